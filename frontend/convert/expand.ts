/** Word expansion against a stage's current environment. */
import { ShellLex, type EnvGetter } from "../dockerfile/shell/index.ts";
import type { EnvList } from "../llb/env-list.ts";

export function envGetter(env: EnvList): EnvGetter {
  return { get: (k: string) => env.get(k), keys: () => env.keys() };
}

export function expandWord(lex: ShellLex, word: string, env: EnvList): string {
  return lex.processWord(word, envGetter(env)).result;
}

/** Expands for display only (progress names): unknown variables and quotes stay as written. */
export function expandForDisplay(lex: ShellLex, text: string, env: EnvList): string {
  try {
    return lex.withOptions({ rawQuotes: true, skipUnsetEnv: true }).processWord(text, envGetter(env)).result;
  } catch {
    return text;
  }
}
