/**
 * How cachefront's extensions (cache expiry, cache seeding and export) plug
 * into conversion: they declare the RUN flags they own and may rewrite the
 * plan of an exec before it is emitted. Conversion itself knows nothing of
 * any particular extension; neither does `frontend.outline`, which shows what
 * each extension's `outline` hook reports.
 */
import type { RunInstruction } from "../dockerfile/instructions/index.ts";
import type { ExecOptions, MountSpec } from "../llb/exec.ts";
import type { State } from "../llb/state.ts";
import type { BuildOptions } from "./build-options.ts";
import type { StageState } from "./stage-state.ts";
import type { Gateway } from "../gateway/session.ts";
import type { ImageConfig } from "../image/config.ts";
import type { Platform } from "../llb/platform.ts";
import type { NamedContexts } from "./named-contexts.ts";
import type { LineRange, RuleInfo } from "../checks/rule.ts";
import type { JsonValue } from "../subrequests/format.ts";

/** Everything about a RUN that is about to become an exec op. */
export interface RunPlan {
  /** The state the command runs over. */
  base: State;
  exec: ExecOptions & { mounts: MountSpec[] };
  /** The progress name (already prefixed with the step). */
  name: string;
}

export interface RunHookContext {
  readonly instruction: RunInstruction;
  readonly stage: StageState;
  readonly options: BuildOptions;
  /** Lines of the instruction, for errors. */
  readonly lines: { start: number; end: number }[];
  /** Reports one of the extension's build checks, at the RUN unless `lines` say otherwise. */
  readonly report: CheckReporter;
}

/**
 * Reports an occurrence of an extension's build check (frontend/checks):
 * skipped, sent as a warning or failing the build as `# check=` says.
 */
export type CheckReporter = (rule: RuleInfo, message: string, lines?: readonly LineRange[]) => void;

/**
 * What an extension makes of a cache mount's `from=<name>`:
 * - "seed": the extension handles the contents; the mount gets no input, so
 *   the step's cache key does not depend on `<name>`.
 * - "optional": keep the official meaning (the image is the base of a new
 *   cache), but a missing image leaves the cache empty instead of failing.
 * - undefined: the official meaning.
 */
export type CacheFromClaim = "seed" | "optional" | undefined;

export interface CacheFromInfo {
  from: string;
  isStage: boolean;
  isNamedContext: boolean;
}

/** A cache mount as a RUN mounts it, with the extension's claim on its `from=`, if any. */
export interface CacheMountInfo {
  claim?: "seed" | "optional";
  from?: string;
  /** `source=` inside `<name>`, "" for its root. */
  source: string;
  /** The mount exactly as the RUN uses it (same id, base and selector). */
  mount: Extract<MountSpec, { kind: "cache" }>;
  /** The id as the user wrote it (or its default, the target), without namespace. */
  userId: string;
  stage: StageState;
  lines: { start: number; end: number }[];
  /** For "optional": why the image could not be used. */
  missing?: string;
}

export interface ConvertExtension {
  readonly name: string;
  /** RUN flags this extension owns (e.g. `cache-ttl`); the parser accepts them. */
  readonly runFlags?: readonly string[];
  /** Rewrites a RUN's plan; must be deterministic for the same inputs. */
  transformRun?(plan: RunPlan, ctx: RunHookContext): RunPlan;
  /** Claims a cache mount's `from=` (see CacheFromClaim). */
  claimCacheFrom?(info: CacheFromInfo): CacheFromClaim;
  /** Told about every cache mount when its RUN is converted. */
  onCacheMount?(m: CacheMountInfo): void;
  /** Once every platform is converted, before anything is solved: the extension's build checks on what it saw. */
  check?(report: CheckReporter): void;
  /** Runs before the build's own solve (e.g. seeding cache mounts). */
  beforeSolve?(ctx: SolveHookContext): Promise<void>;
  /** May replace what the build returns (e.g. exported cache mounts); `main` is the target's state. */
  replaceResult?(ctx: SolveHookContext, main: State): Promise<ReplacedResult | undefined>;
  /** What `frontend.outline` shows about this extension, once the target is converted (not solved). */
  outline?(ctx: OutlineHookContext): OutlineContribution | undefined;
}

export interface OutlineHookContext {
  /** The stages the outlined target depends on, all converted, target first. */
  readonly stages: readonly StageState[];
}

/**
 * An extension's part of the outline: `value` becomes `cachefront.<key>` in
 * result.json (clients that know only upstream's fields ignore it), `table`
 * a section of result.txt (first row: the column titles).
 */
export interface OutlineContribution {
  key: string;
  value: JsonValue;
  table: string[][];
}

/** cachefront's own image, for helper steps that run our bundled tools. */
export interface FrontendImage {
  state: State;
  /** The image's entrypoint (`node /cachefront/cachefront.mjs`); tool arguments follow it. */
  entrypoint: string[];
}

export interface SolveHookContext {
  readonly gw: Gateway;
  readonly options: BuildOptions;
  readonly platform: Platform;
  readonly namedContexts: NamedContexts;
  /** Resolved once, digest-pinned, from the `source` frontend opt. */
  frontendImage(): Promise<FrontendImage>;
}

export interface ReplacedResult {
  state: State;
  image: ImageConfig;
}
