/**
 * Dockerfile → LLB for one target platform (upstream's toDispatchState):
 * instructions → stage states → dependency graph → reachable stages →
 * base images resolved in parallel → stages dispatched in order → the
 * target's state and image config.
 */
import type { Gateway } from "../gateway/session.ts";
import { LocatedError } from "../gateway/errors.ts";
import type { ParseResult } from "../dockerfile/parser/index.ts";
import { parseInstructions, parseMount, type Instruction, type Stage } from "../dockerfile/instructions/index.ts";
import { ShellLex } from "../dockerfile/shell/index.ts";
import { defaultPathEnv, getEnv, type ImageConfig } from "../image/config.ts";
import { EnvList } from "../llb/env-list.ts";
import type { ProxyEnv } from "../llb/exec.ts";
import { normalizePlatform, parsePlatform, type Platform } from "../llb/platform.ts";
import type { SourceMap } from "../llb/source-map.ts";
import type { State } from "../llb/state.ts";
import type { BuildOptions } from "./build-options.ts";
import type { DispatchContext } from "./context.ts";
import { dispatch, locate } from "./dispatch.ts";
import type { CacheFromClaim, ConvertExtension } from "./extension.ts";
import type { NamedContexts } from "./named-contexts.ts";
import { dispatchWorkdir } from "./image-commands.ts";
import { platformArgs } from "./platform-args.ts";
import { resolveBaseImages, SCRATCH } from "./resolve.ts";
import { reachableFrom, StageSet, StageState, type Command } from "./stage-state.ts";
import { envGetter } from "./expand.ts";
import { initOnBuildTriggers } from "./onbuild.ts";
import { ConversionChecks } from "../checks/hooks.ts";
import { OutlineCapture } from "./outline-capture.ts";

export interface ConvertInput {
  gw: Gateway;
  options: BuildOptions;
  parsed: ParseResult;
  sourceMap: SourceMap;
  /** The platform being built; `implicit` when the user requested none. */
  targetPlatform: Platform;
  implicitTarget: boolean;
  /** The main build context, resolved by the caller once `contextPaths` are known. */
  buildContext: State;
  extensions: readonly ConvertExtension[];
  namedContexts: NamedContexts;
  /** Build checks, called where upstream calls its linter; none when absent. */
  checks?: ConversionChecks;
  /** Resolve and dispatch every stage, not only those the target needs (linting with no target). */
  allStages?: boolean;
}

export interface ConvertResult {
  state: State;
  image: ImageConfig;
  baseImage?: ImageConfig;
  /** Context paths the build reads; undefined when it may read everything. */
  contextPaths?: string[];
  stages: StageState[];
  target: StageState;
  /** The automatic platform args and the global ARGs (declared before the first FROM), as the build set them. */
  globalArgs: EnvList;
  /** Global ARGs for frontend.outline; `globalNames` also holds the automatic platform args. */
  outline: { globals: OutlineCapture; globalNames: ReadonlySet<string> };
}

export async function convertDockerfile(input: ConvertInput): Promise<ConvertResult> {
  const { options } = input;
  const checks = input.checks ?? ConversionChecks.silent();
  const { metaArgs, stages } = checks.instructions(input.parsed, () =>
    parseInstructions(input.parsed, { extraRunFlags: input.extensions.flatMap((e) => e.runFlags ?? []) }),
  );
  if (stages.length === 0) throw new Error("dockerfile contains no stages to build");

  const lex = new ShellLex(input.parsed.escapeToken);
  const targetName = options.target || stages[stages.length - 1]!.name || "";
  let globalArgs = EnvList.from(platformArgs(options.buildPlatforms[0]!, input.targetPlatform, targetName, options.buildArgs));
  checks.defaultBaseNames(stages, metaArgs, lex, globalArgs);
  const globals = new OutlineCapture();
  const globalNames = new Set(globalArgs.keys());
  for (const cmd of metaArgs) {
    const lines = [{ start: cmd.node.startLine, end: cmd.node.endLine }];
    for (const kv of cmd.args) {
      let value = options.buildArgs.get(kv.key);
      let deps: Set<string> | undefined;
      if (value === undefined && kv.value !== undefined) {
        try {
          ({ result: value, matched: deps } = lex.processWord(kv.value, envGetter(globalArgs)));
        } catch (e) {
          throw locate(e, lines);
        }
      }
      if (value !== undefined) globalArgs = globalArgs.set(kv.key, value);
      globals.args.set(kv.key, { key: kv.key, value, comment: kv.comment, lines, deps });
      globalNames.add(kv.key);
    }
  }

  const ctx: DispatchContext = {
    options,
    caps: input.gw.caps,
    lex,
    globalArgs,
    buildContext: input.buildContext,
    sourceMap: input.sourceMap,
    stages: new StageSet(),
    targetPlatform: input.targetPlatform,
    buildPlatforms: options.buildPlatforms,
    proxyEnv: proxyEnvFromBuildArgs(options.buildArgs),
    extensions: input.extensions,
    prefixPlatform: options.multiPlatform,
    namedContexts: input.namedContexts,
    checks,
  };

  stages.forEach((st, i) => {
    checks.stageFrom(st, ctx.lex, ctx.globalArgs);
    const d = stageState(st, i, ctx);
    ctx.stages.add(d);
    // A stage a named context replaces has no base stage: the context is its content.
    if (d.namedContext) d.base = undefined;
  });
  const target = resolveTarget(ctx, options.target);
  buildDependencyGraph(ctx);
  // Step names drop the stage name only when the build has a single stage.
  // Upstream also counts the implicit stage it registers for every RUN mount
  // (a scratch placeholder when the mount has no from=), so a one-stage
  // Dockerfile with any RUN --mount keeps it: `[stage-0 2/3] RUN --mount=...`.
  const only = ctx.stages.states.length === 1 ? ctx.stages.states[0]! : undefined;
  if (only && !only.commands.some((c) => c.instruction.kind === "run" && c.instruction.mounts.length > 0)) only.stageName = "";

  // ONBUILD triggers can name other stages or images: resolve, add triggers, repeat until stable.
  // Linting with no target takes every stage as reachable, as upstream does.
  const reach = () => (input.allStages ? new Set(ctx.stages.states) : reachableFrom(target));
  let reachable = reach();
  for (;;) {
    await resolveBaseImages(input.gw, ctx, ctx.stages.states, reachable, input.implicitTarget);
    if (!initOnBuildTriggers(ctx, reachable, (c) => sourcesOf(c, ctx))) break;
    reachable = reach();
  }

  const contextPaths = new Set<string>();
  for (const d of ctx.stages.states) {
    if (!reachable.has(d) || d.dispatched) continue;
    dispatchStage(d, ctx);
    for (const p of d.ctxPaths) contextPaths.add(p);
  }

  finalizeImage(target, ctx, input.implicitTarget);
  return {
    state: target.state,
    image: target.image,
    baseImage: target.baseImage,
    contextPaths: normalizeContextPaths(contextPaths),
    stages: ctx.stages.states,
    target,
    globalArgs: ctx.globalArgs,
    outline: { globals, globalNames },
  };
}

function stageState(st: Stage, i: number, ctx: DispatchContext): StageState {
  const where = [{ start: st.from.node.startLine, end: st.from.node.endLine }];
  let baseName: string;
  let matched: Set<string>;
  try {
    ({ result: baseName, matched } = ctx.lex.processWord(st.baseName, envGetter(ctx.globalArgs)));
  } catch (e) {
    throw locate(e, where);
  }
  if (baseName === "") throw new LocatedError(`base name (${st.baseName}) should not be blank`, where);
  const d = new StageState(st, baseName, i, where);
  d.outline.use(matched);
  if (st.platform) {
    let p: string;
    try {
      let used: Set<string>;
      ({ result: p, matched: used } = ctx.lex.processWord(st.platform, envGetter(ctx.globalArgs)));
      d.outline.use(used);
    } catch (e) {
      throw locate(e, where);
    }
    if (p === "") throw new LocatedError(`empty platform value from expression ${st.platform}`, where);
    try {
      d.platform = parsePlatform(p);
    } catch (e) {
      throw new LocatedError(`failed to parse platform ${st.platform}: ${(e as Error).message}`, where);
    }
  }
  if (st.name && ctx.namedContexts.has(st.name, d.platform ?? ctx.targetPlatform)) d.namedContext = st.name;
  if (!st.name) d.stageName = `stage-${i}`;
  d.commands = st.commands.map((instruction) => ({ instruction, sources: [], claims: [], isOnBuild: false }));
  const noCache = ctx.options.noCache;
  d.ignoreCache = noCache === "all" || (noCache !== undefined && !!st.name && noCache.has(st.name.toLowerCase()));
  return d;
}

function countSteps(d: StageState): number {
  let total = d.baseName.toLowerCase() !== SCRATCH && !d.base ? 1 : 0;
  for (const c of d.commands) if (["add", "copy", "run", "workdir"].includes(c.instruction.kind)) total++;
  return total;
}

function resolveTarget(ctx: DispatchContext, name: string): StageState {
  if (!name) return ctx.stages.states[ctx.stages.states.length - 1]!;
  const t = ctx.stages.findByName(name);
  if (!t) throw new Error(`target stage "${name}" could not be found`);
  return t;
}

/** Finds the stages each instruction reads from; images named there become implicit stages. */
function buildDependencyGraph(ctx: DispatchContext): void {
  for (const d of [...ctx.stages.states]) {
    for (const cmd of d.commands) {
      const { sources, claims } = sourcesOf(cmd.instruction, ctx);
      cmd.sources = sources;
      cmd.claims = claims;
      ctx.stages.link(d, sources, cmd.instruction);
    }
  }
  for (const d of ctx.stages.states) d.cmdTotal = d.unregistered || d.namedContext ? 0 : countSteps(d);
  detectCycles(ctx.stages.states);
}

function sourcesOf(c: Instruction, ctx: DispatchContext): { sources: (StageState | undefined)[]; claims: CacheFromClaim[] } {
  const where = [{ start: c.node.startLine, end: c.node.endLine }];
  if (c.kind === "copy" && c.from) {
    if (ctx.lex.processWord(c.from, { get: () => undefined, keys: () => [] }).result !== c.from) {
      throw new LocatedError("variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround", where);
    }
    return { sources: [stageRef(c.from, ctx, where)], claims: [] };
  }
  if (c.kind !== "run") return { sources: [], claims: [] };
  const claims: CacheFromClaim[] = [];
  const sources = c.mounts.map((raw, i) => {
    let m;
    try {
      m = parseMount(raw, (w) => w);
    } catch (e) {
      throw locate(e, where);
    }
    if (m.type === "tmpfs" || m.type === "secret" || m.type === "ssh" || !m.from) return undefined;
    if (m.type === "cache") {
      const info = {
        from: m.from,
        isStage: !!ctx.stages.findByName(m.from),
        isNamedContext: ctx.namedContexts.has(m.from, ctx.targetPlatform),
      };
      for (const ext of ctx.extensions) {
        const claim = ext.claimCacheFrom?.(info);
        if (claim) {
          claims[i] = claim;
          break;
        }
      }
      if (claims[i] === "seed") return undefined;
    }
    // A mount's from= names a stage or an image, never a stage index (as upstream).
    const s = stageRef(m.from, ctx, where, false);
    if (claims[i] === "optional" && s.unregistered) s.optional = true;
    return s;
  });
  return { sources, claims };
}

function stageRef(name: string, ctx: DispatchContext, where: { start: number; end: number }[], byIndex = true): StageState {
  if (byIndex && /^\d+$/.test(name)) {
    const s = ctx.stages.findByIndex(Number(name));
    if (!s) throw new LocatedError(`invalid stage index ${name}`, where);
    return s;
  }
  const s = ctx.stages.findByName(name);
  if (s) return s;
  // An image (or named context) used directly: an implicit, unnamed stage.
  const existing = ctx.stages.states.find((x) => x.unregistered && x.baseName === name);
  return existing ?? new StageState(undefined, name, ctx.stages.states.length, where);
}

function detectCycles(states: readonly StageState[]): void {
  const visiting = new Set<StageState>();
  const done = new Set<StageState>();
  const visit = (s: StageState, path: StageState[]) => {
    if (done.has(s)) return;
    if (visiting.has(s)) {
      const names = [...path.slice(path.indexOf(s)), s].map((x) => x.stageName || x.baseName);
      throw new LocatedError(`circular dependency detected on stage: ${names[0]}`, s.location);
    }
    visiting.add(s);
    for (const dep of s.deps.keys()) visit(dep, [...path, s]);
    visiting.delete(s);
    done.add(s);
  };
  for (const s of states) visit(s, []);
}

function dispatchStage(d: StageState, ctx: DispatchContext): void {
  d.init();
  d.dispatched = true;
  if (!d.platform) d.platform = ctx.targetPlatform;
  d.state = d.state.withPlatform(d.platform);
  const path = defaultPathEnv(d.platform.os);
  if (getEnv(d.image.config.Env, "PATH") === undefined && path) {
    d.image.config.Env = [...(d.image.config.Env ?? []), `PATH=${path}`];
  }
  d.state = d.state.withEnv(d.state.env.setAll(EnvList.fromStrings(d.image.config.Env ?? []).pairs()));
  if (ctx.options.hostname) d.state = d.state.withHostname(ctx.options.hostname);
  if (d.image.config.WorkingDir) dispatchWorkdir(d, d.image.config.WorkingDir, ctx);
  if (d.image.config.User) {
    d.state = d.state.withUser(d.image.config.User);
  }
  d.state = d.state.withNetwork(ctx.options.networkMode);
  for (const cmd of d.commands as Command[]) dispatch(d, cmd, ctx);
}

function finalizeImage(target: StageState, ctx: DispatchContext, implicitTarget: boolean): void {
  if (ctx.options.labels.size > 0) {
    const labels = { ...(target.image.config.Labels ?? {}) };
    for (const [k, v] of ctx.options.labels) labels[k] = v;
    target.image.config.Labels = labels;
  }
  if (!implicitTarget) {
    const p = ctx.targetPlatform;
    const sameOsArch = p.os === target.image.os && p.architecture === target.image.architecture;
    target.image.os = p.os;
    target.image.architecture = p.architecture;
    if (p.variant || !sameOsArch) setOrDelete(target.image, "variant", p.variant);
    if (p.osVersion || !sameOsArch) setOrDelete(target.image, "os.version", p.osVersion);
    if (p.osFeatures) target.image["os.features"] = [...p.osFeatures];
  }
  const n = normalizePlatform({ os: target.image.os, architecture: target.image.architecture, variant: target.image.variant });
  target.image.os = n.os;
  target.image.architecture = n.architecture;
  setOrDelete(target.image, "variant", n.variant);
}

function setOrDelete(img: ImageConfig, key: "variant" | "os.version", value: string | undefined): void {
  if (value) img[key] = value;
  else delete img[key];
}

/** Sorted, relative; undefined when the whole context is used. */
function normalizeContextPaths(paths: Set<string>): string[] | undefined {
  if (paths.size === 0 || paths.has("/")) return undefined;
  return [...paths].map((p) => p.replace(/^\/+/, "") || ".").sort();
}

function proxyEnvFromBuildArgs(args: ReadonlyMap<string, string>): ProxyEnv | undefined {
  const pe: { httpProxy?: string; httpsProxy?: string; ftpProxy?: string; noProxy?: string; allProxy?: string } = {};
  let set = false;
  for (const k of [...args.keys()].sort()) {
    const v = args.get(k)!;
    const lk = k.toLowerCase();
    const field = ({ http_proxy: "httpProxy", https_proxy: "httpsProxy", ftp_proxy: "ftpProxy", no_proxy: "noProxy", all_proxy: "allProxy" } as const)[lk as "http_proxy"];
    if (field) {
      pe[field] = v;
      set = true;
    }
  }
  return set ? pe : undefined;
}
