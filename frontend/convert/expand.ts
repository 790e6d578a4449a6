/** Word expansion against a stage's current environment. */
import { ShellLex, type EnvGetter } from "../dockerfile/shell/index.ts";
import type { EnvList } from "../llb/env-list.ts";

export function envGetter(env: EnvList): EnvGetter {
  return { get: (k: string) => env.get(k), keys: () => env.keys() };
}

export function expandWord(lex: ShellLex, word: string, env: EnvList): string {
  return lex.processWord(word, envGetter(env)).result;
}

/** Expands for a progress name: text that does not expand is shown as written rather than failing. */
export function expandOrKeep(lex: ShellLex, text: string, env: EnvList): string {
  try {
    return lex.processWord(text, envGetter(env)).result;
  } catch {
    return text;
  }
}

/** Expands for display only (RUN/COPY progress names): unknown variables and quotes stay as written. */
export function expandForDisplay(lex: ShellLex, text: string, env: EnvList): string {
  return expandOrKeep(lex.withOptions({ rawQuotes: true, skipUnsetEnv: true }), text, env);
}
