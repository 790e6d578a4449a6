/**
 * How cachefront's extensions (cache expiry, cache seeding and export) plug
 * into conversion: they declare the RUN flags they own and may rewrite the
 * plan of an exec before it is emitted. Conversion itself knows nothing of
 * any particular extension.
 */
import type { RunInstruction } from "../dockerfile/instructions/index.ts";
import type { ExecOptions, MountSpec } from "../llb/exec.ts";
import type { State } from "../llb/state.ts";
import type { BuildOptions } from "./build-options.ts";
import type { StageState } from "./stage-state.ts";

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
}

export interface ConvertExtension {
  readonly name: string;
  /** RUN flags this extension owns (e.g. `cache-ttl`); the parser accepts them. */
  readonly runFlags?: readonly string[];
  /** Rewrites a RUN's plan; must be deterministic for the same inputs. */
  transformRun?(plan: RunPlan, ctx: RunHookContext): RunPlan;
}
