/**
 * Portable cache mounts, seeding side:
 * `RUN --mount=type=cache,target=/root/.cache/go-build,from=gocache[,source=sub]`
 * where `gocache` is a named build context (`--build-context gocache=./ci-cache/go`).
 *
 * The RUN mounts the cache with no input, so its cache key never depends on
 * the seed: restoring a newer CI cache does not re-run the step. Before the
 * build's own solve, a seed step per seeded cache runs our copier (shipped in
 * cachefront's image) with the cache mounted as the RUN mounts it and the
 * context's `source` subtree mounted read-only; the copier merges the seed in
 * and skips work it has already done (see copier/seed.ts); concurrent seeds
 * of one cache take turns through a lock inside the cache.
 *
 * `from=` naming a stage keeps BuildKit's meaning (the base of a new cache).
 * Naming neither a stage nor a context: if it is an image, BuildKit's meaning
 * too; if not, the build goes on with an empty cache and a warning, so the
 * same Dockerfile works on a laptop without `--build-context`.
 */
import type {
  CacheFromClaim,
  CacheFromInfo,
  CacheMountInfo,
  CheckReporter,
  ConvertExtension,
  OutlineContribution,
  OutlineHookContext,
  SolveHookContext,
} from "../../convert/extension.ts";
import { location } from "../../subrequests/format.ts";
import { LocatedError } from "../../gateway/errors.ts";
import { run, type MountSpec } from "../../llb/exec.ts";
import { marshal } from "../../llb/marshal.ts";
import { NetworkMode } from "../../llb/state.ts";
import { seedSourcePath } from "./source-path.ts";
import { alwaysRuns } from "../always-runs.ts";
import { CacheSeedContextMissing } from "../../checks/cachefront-rules.ts";

export const SEED_MOUNT = "/run/cachefront/seed";
export const CACHE_MOUNT = "/run/cachefront/cache";
export const RULE_MISSING_CONTEXT = CacheSeedContextMissing.name;

interface SeedPlan {
  from: string;
  /** Normalized `source=` inside the context ("/" for its root). */
  source: string;
  mount: Extract<MountSpec, { kind: "cache" }>;
  userId: string;
  lines: { start: number; end: number }[];
}

export class CacheSeedExtension implements ConvertExtension {
  readonly name = "cache-seed";
  private readonly seeds = new Map<string, SeedPlan>();
  private readonly missing: { message: string; lines: { start: number; end: number }[] }[] = [];
  /** Every cache mount whose `from=` could be a seed, for frontend.outline. */
  private readonly claimed: CacheMountInfo[] = [];

  claimCacheFrom(info: CacheFromInfo): CacheFromClaim {
    if (info.isNamedContext) return "seed";
    if (!info.isStage) return "optional";
    return undefined;
  }

  onCacheMount(m: CacheMountInfo): void {
    if (m.claim) this.claimed.push(m);
    if (m.claim === "optional" && m.missing) {
      this.missing.push({
        message: CacheSeedContextMissing.format(m.mount.target, m.from ?? "", m.missing),
        lines: m.lines,
      });
      return;
    }
    if (m.claim !== "seed" || !m.from) return;
    let source: string;
    try {
      source = seedSourcePath(m.source);
    } catch (e) {
      throw new LocatedError((e as Error).message, m.lines);
    }
    // One seed per cache directory and seed source, however many steps or platforms mount it.
    const key = JSON.stringify([m.mount.id, m.from, source, m.mount.selector ?? ""]);
    if (!this.seeds.has(key)) this.seeds.set(key, { from: m.from, source, mount: m.mount, userId: m.userId, lines: m.lines });
  }

  /**
   * frontend.outline: the cache mounts that seed from a named context, and
   * whether the build was given it; without it, `from=` is an image that
   * becomes the base of a new cache (BuildKit's meaning) or, when there is no
   * such image, the cache starts empty.
   */
  outline(ctx: OutlineHookContext): OutlineContribution | undefined {
    const seen = new Set<string>();
    const mounts = this.claimed.filter((m) => {
      const key = JSON.stringify([m.userId, m.from, m.source, m.lines]);
      if (!ctx.stages.includes(m.stage) || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (mounts.length === 0) return undefined;
    const given = (m: CacheMountInfo) => m.claim === "seed";
    const without = (m: CacheMountInfo) => (given(m) ? undefined : m.missing ? "empty cache" : "image as base");
    return {
      key: "seededCacheMounts",
      value: mounts.map((m) => ({
        ID: m.userId,
        target: m.mount.target,
        context: m.from,
        source: m.source || undefined,
        contextGiven: given(m),
        otherwise: without(m),
        location: location(m.lines),
      })),
      table: [
        ["SEEDED CACHE", "TARGET", "FROM CONTEXT", "CONTEXT GIVEN"],
        ...mounts.map((m) => [m.userId, m.mount.target, m.from + (m.source ? ` (${m.source})` : ""), given(m) ? "yes" : `no: ${without(m)}`]),
      ],
    };
  }

  /** CacheSeedContextMissing: a `from=` that is neither a given context, a stage nor an image that exists. */
  check(report: CheckReporter): void {
    for (const w of this.missing) report(CacheSeedContextMissing, w.message, w.lines);
  }

  async beforeSolve(ctx: SolveHookContext): Promise<void> {
    if (this.seeds.size === 0) return;
    const tool = await ctx.frontendImage();
    await Promise.all(
      [...this.seeds.values()].map(async (seed) => {
        const context = await ctx.namedContexts.load(seed.from, ctx.platform);
        if (!context) throw new LocatedError(`build context ${seed.from} vanished while seeding`, seed.lines);
        const exec = run(alwaysRuns(tool.state, ctx).withNetwork(NetworkMode.None), {
          args: [...tool.entrypoint, "cache-copier", "seed", SEED_MOUNT, CACHE_MOUNT],
          mounts: [
            // The cache exactly as the RUN mounts it: same id, base, selector and sharing.
            // Not `locked`: BuildKit gives a `shared` user a new, empty directory when
            // another build holds the cache locked, forking the cache; seeds of one
            // cache take turns through the copier's own lock instead.
            { ...seed.mount, target: CACHE_MOUNT, readonly: false },
            { kind: "bind", target: SEED_MOUNT, source: context.state, selector: seed.source === "/" ? undefined : seed.source, readonly: true },
          ],
          constraints: {
            customName: `[cachefront] seed cache ${seed.userId} from build context ${seed.from}${seed.source === "/" ? "" : ` (${seed.source})`}`,
          },
        });
        // Evaluate now: the seed must be in the cache before any step of the build mounts it.
        await ctx.gw.solve(marshal(exec.root()).definition, { evaluate: true });
      }),
    );
  }
}
