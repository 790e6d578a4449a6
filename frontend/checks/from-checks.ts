/**
 * Checks of FROM lines: the base name with only ARG defaults, the variables
 * a FROM uses, `--platform` values, and the platform a base image resolved
 * to (upstream: validateBaseImagesWithDefaultArgs, reportUnusedFromArgs,
 * reportRedundantTargetPlatform, reportConstPlatformDisallowed,
 * validateBaseImagePlatform).
 */
import type { ArgInstruction, Stage } from "../dockerfile/instructions/index.ts";
import { closestOption } from "../dockerfile/instructions/suggest.ts";
import type { ExpandResult, ShellLex } from "../dockerfile/shell/index.ts";
import { parseReference } from "../image/reference.ts";
import type { EnvList } from "../llb/env-list.ts";
import { formatPlatformAll, normalizePlatform, parsePlatform, type Platform } from "../llb/platform.ts";
import { envGetter } from "../convert/expand.ts";
import type { Linter } from "./linter.ts";
import { linesOf } from "./parse-checks.ts";
import type { LineRange } from "./rule.ts";
import { FromPlatformFlagConstDisallowed, InvalidBaseImagePlatform, InvalidDefaultArgInFrom, RedundantTargetPlatform, UndefinedArgInFrom } from "./rules.ts";

/**
 * Every base name as it would be if no build arg were given: a default that
 * makes it empty or malformed is a trap for whoever builds without the arg.
 */
export function checkDefaultBaseNames(lint: Linter, stages: readonly Stage[], metaArgs: readonly ArgInstruction[], lex: ShellLex, automatic: EnvList): void {
  let env = automatic;
  try {
    for (const cmd of metaArgs) {
      for (const arg of cmd.args) {
        if (arg.value !== undefined) env = env.set(arg.key, lex.processWord(arg.value, envGetter(env)).result);
      }
    }
  } catch {
    return; // the build fails on that ARG itself
  }
  for (const st of stages) {
    let name: string;
    try {
      name = lex.processWord(st.baseName, envGetter(env)).result;
    } catch {
      return;
    }
    try {
      parseReference(name);
    } catch {
      lint.run(InvalidDefaultArgInFrom, linesOf(st.from.node), InvalidDefaultArgInFrom.format(st.baseName));
    }
  }
}

/**
 * Variables used in a FROM line (its base name or --platform) must be ARGs
 * declared before the first FROM or automatic platform args.
 */
export function checkFromArgs(lint: Linter, st: Stage, used: ExpandResult, globalArgs: EnvList, metaArgKeys: ReadonlySet<string>): void {
  const known = new Set([...metaArgKeys, ...globalArgs.keys()]);
  for (const name of used.unmatched) {
    if (known.has(name)) continue;
    lint.run(UndefinedArgInFrom, linesOf(st.from.node), UndefinedArgInFrom.format(name, closestOption(name, known, true)));
  }
}

/** `FROM --platform=$TARGETPLATFORM` says what is the default anyway; a constant platform defeats multi-platform builds. */
export function checkFromPlatform(lint: Linter, st: Stage, platform: ExpandResult, globalArgs: EnvList): void {
  const where = linesOf(st.from.node);
  if (platform.matched.size === 1 && platform.unmatched.size === 0 && platform.matched.has("TARGETPLATFORM")) {
    if (platform.result === globalArgs.get("TARGETPLATFORM")) lint.run(RedundantTargetPlatform, where, RedundantTargetPlatform.format(st.platform ?? ""));
  }
  if (platform.matched.size > 0 || platform.unmatched.size > 0) return;
  let p: Platform;
  try {
    p = parsePlatform(platform.result);
  } catch {
    return; // fails later, on its own
  }
  // A stage named after its platform (`AS build-arm64`) pins it on purpose.
  const name = st.name ?? "";
  if (name.includes(p.os) || name.includes(p.architecture)) return;
  lint.run(FromPlatformFlagConstDisallowed, where, FromPlatformFlagConstDisallowed.format(platform.result));
}

/** The image resolved for a stage is for another OS or architecture than the build asked for. */
export function checkBaseImagePlatform(lint: Linter, image: string, expected: Platform, actual: { os: string; architecture: string; variant?: string }, lines: LineRange[]): void {
  if (expected.os === actual.os && expected.architecture === actual.architecture) return;
  const show = (p: Platform) => formatPlatformAll(normalizePlatform(p));
  lint.run(InvalidBaseImagePlatform, lines, InvalidBaseImagePlatform.format(image, show(expected), show(actual)));
}
