/**
 * Build checks of per-step cache expiry (docs/checks.md):
 *
 * - CacheTTLTooShort: a TTL under a minute is a bucket so small that the
 *   step re-runs on nearly every build (`30s` typed for `30m`), while looking
 *   like it is cached.
 * - CacheTTLWithoutNetwork: a TTL re-runs a step to pick up what changed
 *   outside the build (package indexes, remote refs). With `--network=none`
 *   the step can reach nothing outside, and everything else it reads (the
 *   command, env, files of earlier steps, bind mounts) is already part of its
 *   cache key, so a re-run gives the same result. Two inputs are not in the
 *   key: cache mounts and secrets, which may change between builds; a step
 *   that mounts either is left alone. So is a step whose command reads the
 *   clock, which no frontend can see: the warning says so.
 *
 * Both only look at a TTL the step asks for itself (flag or comment); the
 * `BUILDKIT_CACHE_TTL` default applies to every RUN, so it is checked once,
 * without a location, and never against `--network=none`.
 */
import { CacheTTLTooShort, CacheTTLWithoutNetwork } from "../../checks/cachefront-rules.ts";
import type { CheckReporter, RunHookContext, RunPlan } from "../../convert/extension.ts";

export const MIN_USEFUL_TTL_SECONDS = 60;

interface Ttl {
  seconds: number;
  written: string;
  source: "flag" | "comment" | "default";
}

export function checkStepTtl(ttl: Ttl, plan: RunPlan, ctx: RunHookContext, flag: string, commentKey: string): void {
  if (ttl.source === "default" || ttl.seconds === 0) return;
  const setting = ttl.source === "flag" ? `--${flag}=${ttl.written}` : `# ${commentKey}=${ttl.written}`;
  if (ttl.seconds < MIN_USEFUL_TTL_SECONDS) ctx.report(CacheTTLTooShort, CacheTTLTooShort.format(setting, ttl.seconds));
  const changingInputs = plan.exec.mounts.some((m) => m.kind === "cache") || (plan.exec.secrets ?? []).length > 0;
  if (ctx.instruction.network === "none" && !changingInputs) ctx.report(CacheTTLWithoutNetwork, CacheTTLWithoutNetwork.format(setting));
}

export function checkDefaultTtl(ttl: Ttl | undefined, buildArg: string, report: CheckReporter): void {
  if (!ttl || ttl.seconds === 0 || ttl.seconds >= MIN_USEFUL_TTL_SECONDS) return;
  report(CacheTTLTooShort, CacheTTLTooShort.format(`build arg ${buildArg}=${ttl.written}`, ttl.seconds));
}
