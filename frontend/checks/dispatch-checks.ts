/**
 * Checks of one instruction as a stage dispatches it, at the point upstream's
 * dispatch() runs them: with the stage's environment, declared ARGs, SHELL
 * and WORKDIR as they are just before the instruction. Nothing here changes
 * the build; words are expanded again only to see which variables are unset.
 */
import type * as I from "../dockerfile/instructions/index.ts";
import { closestOption } from "../dockerfile/instructions/suggest.ts";
import { ShellExpansionError, ShellLex } from "../dockerfile/shell/index.ts";
import type { EnvList } from "../llb/env-list.ts";
import type { DispatchContext } from "../convert/context.ts";
import { envGetter } from "../convert/expand.ts";
import { NON_ENV_ARGS } from "../convert/image-commands.ts";
import type { StageState } from "../convert/stage-state.ts";
import type { Linter } from "./linter.ts";
import { linesOf } from "./parse-checks.ts";
import type { LineRange } from "./rule.ts";
import {
  ExposeInvalidFormat,
  ExposeProtoCasing,
  JSONArgsRecommended,
  LegacyKeyValueFormat,
  MultipleInstructionsDisallowed,
  SecretsUsedInArgOrEnv,
  UndefinedVar,
  WorkdirRelativePath,
} from "./rules.ts";

/** Where CMD, ENTRYPOINT and HEALTHCHECK were last set in a stage (only the last one counts). */
export type UsedOnce = Partial<Record<"cmd" | "entrypoint" | "healthcheck", LineRange[]>>;

/** A COPY/ADD source read from the build context, for CopyIgnoredFile once .dockerignore is known. */
export interface ContextSource {
  instruction: "Copy" | "Add";
  path: string;
  lines: LineRange[];
}

export function checkInstruction(lint: Linter, d: StageState, c: I.Command, ctx: DispatchContext, usedOnce: UsedOnce, contextSources: ContextSource[]): void {
  const lines = linesOf(c.node);
  const declared = d.buildArgs.map((a) => a.key);
  const words = new WordChecker(lint, ctx.lex, d.state.env, declared, lines);
  const name = c.node.rawKeyword;
  switch (c.kind) {
    case "env":
      for (const kv of c.pairs) {
        if (kv.noDelim) lint.run(LegacyKeyValueFormat, lines, LegacyKeyValueFormat.format(name));
        const key = words.expand(kv.key) ?? kv.key;
        words.expand(kv.value);
        checkSecretName(lint, "ENV", key, lines);
      }
      return;
    case "label":
      for (const kv of c.pairs) {
        if (kv.noDelim) lint.run(LegacyKeyValueFormat, lines, LegacyKeyValueFormat.format(name));
        words.expand(kv.key);
        words.expand(kv.value);
      }
      return;
    case "arg":
      return checkArg(lint, d, c, ctx, lines);
    case "workdir": {
      const path = words.expand(c.path);
      if (path !== undefined && !d.workdirSet && !isAbsolute(path, d.platform?.os ?? ctx.targetPlatform.os)) {
        lint.run(WorkdirRelativePath, lines, WorkdirRelativePath.format(path));
      }
      return;
    }
    case "user":
      words.expand(c.user);
      return;
    case "volume":
      for (const v of c.volumes) words.expand(v);
      return;
    case "stopsignal":
      words.expand(c.signal);
      return;
    case "cmd":
    case "entrypoint":
    case "healthcheck": {
      const previous = usedOnce[c.kind];
      if (previous) lint.run(MultipleInstructionsDisallowed, previous, MultipleInstructionsDisallowed.format(name));
      usedOnce[c.kind] = lines;
      if (c.kind !== "healthcheck" && c.prependShell && !(d.image.config.Shell && d.image.config.Shell.length > 0)) {
        lint.run(JSONArgsRecommended, lines, JSONArgsRecommended.format(name));
      }
      return;
    }
    case "expose":
      return checkExpose(lint, c, ctx.lex, d.state.env, lines);
    case "copy":
    case "add": {
      if (c.chown !== undefined) words.expand(c.chown);
      if (c.kind === "add" && c.checksum !== undefined) words.expand(c.checksum);
      const sources = c.sourcePaths.map((p) => words.expand(p));
      words.expand(c.dest);
      const raw = new ShellLex("\\", { skipProcessQuotes: true });
      for (const doc of c.sourceContents) if (doc.expand) words.expandWith(raw, doc.data);
      if (c.kind === "copy" && c.from !== undefined) return;
      for (const src of sources) {
        if (src !== undefined && !/^https?:\/\//.test(src)) contextSources.push({ instruction: c.kind === "add" ? "Add" : "Copy", path: src, lines });
      }
      return;
    }
  }
}

/**
 * ARG: each default is expanded with the ARGs before it (in this instruction
 * too) in effect; a value given with --build-arg is not expanded at all.
 */
function checkArg(lint: Linter, d: StageState, c: I.ArgInstruction, ctx: DispatchContext, lines: LineRange[]): void {
  let env = d.state.env;
  const declared = d.buildArgs.map((a) => a.key);
  for (const arg of c.args) {
    checkSecretName(lint, "ARG", arg.key, lines);
    let value = ctx.options.buildArgs.get(arg.key);
    if (value === undefined && arg.value !== undefined) value = new WordChecker(lint, ctx.lex, env, declared, lines).expand(arg.value);
    else if (value === undefined) value = ctx.globalArgs.get(arg.key);
    if (value !== undefined && !NON_ENV_ARGS.has(arg.key)) env = env.set(arg.key, value);
    declared.push(arg.key);
  }
}

/** Expands words of one instruction, reporting variables that are neither set nor declared with ARG. */
class WordChecker {
  constructor(
    private readonly lint: Linter,
    private readonly lex: ShellLex,
    private readonly env: EnvList,
    private readonly declared: readonly string[],
    private readonly lines: LineRange[],
  ) {}

  /** The expanded word, or undefined when it does not expand (the build reports that error itself). */
  expand(word: string): string | undefined {
    return this.expandWith(this.lex, word);
  }

  expandWith(lex: ShellLex, word: string): string | undefined {
    try {
      const r = lex.processWord(word, envGetter(this.env));
      this.report(r.unmatched);
      return r.result;
    } catch (e) {
      // Upstream reports what was looked up before the failure too.
      if (e instanceof ShellExpansionError) this.report(e.unmatched);
      return undefined;
    }
  }

  private report(unmatched: ReadonlySet<string>): void {
    for (const name of unmatched) {
      if (this.declared.includes(name) || NON_ENV_ARGS.has(name)) continue;
      const suggestion = closestOption(name, this.env.keys(), true);
      this.lint.run(UndefinedVar, this.lines, UndefinedVar.format(name, suggestion));
    }
  }
}

// Names that look like they hold credentials: a whole word of the name
// (split at `_`) is one of these, unless another word says it is public.
const SECRET_WORDS = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const ALLOWED_WORDS = /(?:_|^)(?:public|file|version)(?:_|$)/i;

function checkSecretName(lint: Linter, instruction: "ARG" | "ENV", key: string, lines: LineRange[]): void {
  if (SECRET_WORDS.test(key) && !ALLOWED_WORDS.test(key)) lint.run(SecretsUsedInArgOrEnv, lines, SecretsUsedInArgOrEnv.format(instruction, key));
}

/** EXPOSE takes `port[/proto]`: a protocol in upper case, a host port or an IP are reported. */
function checkExpose(lint: Linter, c: I.ExposeInstruction, lex: ShellLex, env: EnvList, lines: LineRange[]): void {
  let ports: string[];
  try {
    ports = c.ports.flatMap((p) => lex.processWords(p, envGetter(env)));
  } catch {
    return;
  }
  for (const raw of ports) {
    const { ip, hostPort, containerPort } = splitPortSpec(raw);
    const slash = containerPort.indexOf("/");
    const proto = slash > 0 ? containerPort.slice(slash + 1) : "";
    if (proto !== proto.toLowerCase()) lint.run(ExposeProtoCasing, lines, ExposeProtoCasing.format(raw));
    if (ip !== "" || hostPort !== "") lint.run(ExposeInvalidFormat, lines, ExposeInvalidFormat.format(raw));
  }
}

/** `[ip:][hostPort:]containerPort`, split as upstream's splitParts (an IPv6 address keeps its colons). */
function splitPortSpec(raw: string): { ip: string; hostPort: string; containerPort: string } {
  const parts = raw.split(":");
  const n = parts.length;
  if (n === 1) return { ip: "", hostPort: "", containerPort: parts[0]! };
  if (n === 2) return { ip: "", hostPort: parts[0]!, containerPort: parts[1]! };
  return { ip: parts.slice(0, n - 2).join(":"), hostPort: parts[n - 2]!, containerPort: parts[n - 1]! };
}

function isAbsolute(path: string, os: string): boolean {
  if (os === "windows") return /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith("\\") || path.startsWith("/");
  return path.startsWith("/");
}
