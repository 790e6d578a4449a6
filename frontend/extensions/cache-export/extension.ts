/**
 * Portable cache mounts, export side:
 * `--build-arg BUILDKIT_CACHE_EXPORT=<id>[,<id>...]` makes the build's result
 * a filesystem with one directory per cache id (named by the id) holding that
 * cache mount's contents after the build. `--output type=local,dest=...` or
 * `type=tar` gets it out; `type=image` makes an image another builder can use
 * as `--build-context <name>=docker-image://...`.
 *
 * Each id is copied by our copier in cachefront's image, in its own step that
 * never comes from the cache (always the cache's current contents) and that
 * runs after the build (it mounts the build's result, read-only, as a
 * dependency). The per-id outputs are layered with MergeOp when the engine
 * has it, copied together otherwise.
 */
import { posix } from "node:path";
import type { CacheMountInfo, CheckReporter, ConvertExtension, OutlineContribution, ReplacedResult, SolveHookContext } from "../../convert/extension.ts";
import { emptyImage } from "../../image/config.ts";
import { run, type MountSpec } from "../../llb/exec.ts";
import { copy, file } from "../../llb/file.ts";
import { merge } from "../../llb/merge.ts";
import { NetworkMode, State } from "../../llb/state.ts";
import { alwaysRuns } from "../always-runs.ts";
import { CacheExportUnused } from "../../checks/cachefront-rules.ts";

export const EXPORT_ARG = "BUILDKIT_CACHE_EXPORT";
export const RULE_UNUSED_EXPORT = CacheExportUnused.name;
const CACHE_AT = "/run/cachefront/cache";
const OUT_AT = "/run/cachefront/out";
const BUILD_AT = "/run/cachefront/build";

export class CacheExportExtension implements ConvertExtension {
  readonly name = "cache-export";
  /** Cache mounts seen in the build, by the id users write (`id=` or the target). */
  private readonly mounts = new Map<string, Extract<MountSpec, { kind: "cache" }>>();

  constructor(private readonly requested: readonly string[]) {}

  static fromBuildArgs(args: ReadonlyMap<string, string>): CacheExportExtension {
    const raw = args.get(EXPORT_ARG) ?? "";
    const ids = [...new Set(raw.split(",").map((s) => s.trim()).filter((s) => s !== ""))];
    for (const id of ids) exportDir(id);
    return new CacheExportExtension(ids);
  }

  onCacheMount(m: CacheMountInfo): void {
    if (!this.mounts.has(m.userId)) this.mounts.set(m.userId, m.mount);
  }

  /** frontend.outline: the cache ids BUILDKIT_CACHE_EXPORT asks for, where they go, and whether a RUN mounts them. */
  outline(): OutlineContribution | undefined {
    if (this.requested.length === 0) return undefined;
    const rows = this.requested.map((id) => ({ ID: id, directory: `${exportDir(id)}/`, mounted: this.mounts.has(id) }));
    return {
      key: "cacheExports",
      value: rows,
      table: [["CACHE EXPORT", "DIRECTORY", "MOUNTED BY A RUN"], ...rows.map((r) => [r.ID, r.directory, r.mounted ? "yes" : "no"])],
    };
  }

  /** CacheExportUnused: an id to export that no RUN of the build mounts (a typo, or a stale CI setting). */
  check(report: CheckReporter): void {
    for (const id of this.requested) if (!this.mounts.has(id)) report(CacheExportUnused, CacheExportUnused.format(EXPORT_ARG, id));
  }

  async replaceResult(ctx: SolveHookContext, main: State): Promise<ReplacedResult | undefined> {
    if (this.requested.length === 0) return undefined;
    const tool = await ctx.frontendImage();
    const layers = this.requested.map((id) => {
      let mount = this.mounts.get(id);
      if (!mount) {
        mount = { kind: "cache", target: CACHE_AT, id: `${ctx.options.cacheMountNamespace}/${id}`, sharing: "shared" };
      }
      const dir = exportDir(id);
      const mounts: MountSpec[] = [
        // As the RUN mounts it (see cache-seed: `locked` would fork a shared cache).
        { ...mount, target: CACHE_AT, readonly: false },
        { kind: "bind", target: OUT_AT, source: State.scratch() },
      ];
      // Reading the build's result makes this step wait for the build (and so for every RUN that used the cache).
      if (!main.isScratch) mounts.push({ kind: "bind", target: BUILD_AT, source: main, readonly: true });
      const exec = run(alwaysRuns(tool.state, ctx).withNetwork(NetworkMode.None), {
        args: [...tool.entrypoint, "cache-copier", "export", CACHE_AT, posix.join(OUT_AT, dir)],
        mounts,
        constraints: { customName: `[cachefront] export cache ${id} to ${dir}/` },
      });
      return exec.mount(OUT_AT, State.scratch());
    });
    const state = ctx.gw.caps.llb.has("mergeop") ? merge(layers) : file(State.scratch(), layers.map((l) => copy(l, "/", "/", { copyDirContentsOnly: true, createDestPath: true })));
    return { state, image: emptyImage(ctx.platform) };
  }
}

/**
 * The directory an id is exported to: the id itself, as a relative path
 * (`gocache` → `gocache/`, `/root/.cache/go-build` → `root/.cache/go-build/`).
 */
export function exportDir(id: string): string {
  const parts = id.split("/").filter((p) => p !== "" && p !== ".");
  if (parts.length === 0 || parts.includes("..")) throw new Error(`${EXPORT_ARG}: cache id "${id}" cannot name a directory`);
  return parts.join("/");
}
