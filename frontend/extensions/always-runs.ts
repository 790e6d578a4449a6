/**
 * Helper steps that must run in every build (seeding and exporting cache
 * mounts) cannot use BuildKit's ignore-cache flag: since 2019 it also gives
 * the step fresh, empty cache mounts (moby/buildkit#1213, #4250), which would
 * defeat their purpose. Instead their environment carries the build's session
 * id, which is unique per build invocation: a new cache key every build, the
 * same cache mounts as every other step.
 */
import type { SolveHookContext } from "../convert/extension.ts";
import type { State } from "../llb/state.ts";
import { randomUUID } from "node:crypto";

export const INVOCATION_ENV = "CACHEFRONT_INVOCATION";

export function alwaysRuns(state: State, ctx: Pick<SolveHookContext, "gw">): State {
  return state.addEnv(INVOCATION_ENV, ctx.gw.env.sessionId || randomUUID());
}
