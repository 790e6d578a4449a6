/**
 * What dispatching an instruction can see: build options, engine caps, the
 * lexer, global args, the (late-bound) main build context, the source map,
 * and the extensions plugged into conversion.
 */
import type { Caps } from "../gateway/session.ts";
import type { ShellLex } from "../dockerfile/shell/index.ts";
import type { EnvList } from "../llb/env-list.ts";
import type { ProxyEnv } from "../llb/exec.ts";
import type { Platform } from "../llb/platform.ts";
import type { SourceLocation, SourceMap } from "../llb/source-map.ts";
import type { State } from "../llb/state.ts";
import type { BuildOptions } from "./build-options.ts";
import type { ConvertExtension } from "./extension.ts";
import type { NamedContexts } from "./named-contexts.ts";
import type { StageSet } from "./stage-state.ts";
import type { ConversionChecks } from "../checks/hooks.ts";

export interface DispatchContext {
  readonly options: BuildOptions;
  readonly caps: Caps;
  readonly lex: ShellLex;
  readonly globalArgs: EnvList;
  /** The main build context (`local://context`), resolved after all stages are converted. */
  readonly buildContext: State;
  readonly sourceMap: SourceMap;
  readonly stages: StageSet;
  readonly targetPlatform: Platform;
  readonly buildPlatforms: readonly Platform[];
  readonly proxyEnv?: ProxyEnv;
  readonly extensions: readonly ConvertExtension[];
  /** Prefix progress names with the platform (multi-platform builds). */
  readonly prefixPlatform: boolean;
  readonly namedContexts: NamedContexts;
  /** Build checks (frontend/checks): conversion calls them where upstream calls its linter. */
  readonly checks: ConversionChecks;
}

export function locationOf(ctx: DispatchContext, lines: { start: number; end: number }[]): SourceLocation[] {
  return [{ sourceMap: ctx.sourceMap, ranges: lines }];
}
