/**
 * Build checks for cachefront's own extensions (per-step cache expiry and
 * portable cache mounts), named in the style of docker/dockerfile's rules and
 * governed by the same `# check=` directive. docs/checks.md explains each.
 * The extensions report them: only they know their semantics (which TTL
 * applies to a step, which caches a build mounts).
 */
import { defineRule } from "./rule.ts";

/** Our rules have no public site; the URL names their section in the repository's docs. */
const DOCS = "docs/checks.md#";

export const CacheSeedContextMissing = defineRule(
  {
    name: "CacheSeedContextMissing",
    description: "A cache mount's from= should name a build context given with --build-context (or an image that exists); otherwise the cache starts empty",
    url: `${DOCS}cacheseedcontextmissing`,
    origin: "cachefront",
  },
  (target: string, from: string, why: string) =>
    `cache mount ${target} has from=${from}, which is neither a build context given with --build-context nor an image that could be resolved; the cache starts empty (${why})`,
);

export const CacheTTLTooShort = defineRule(
  {
    name: "CacheTTLTooShort",
    description: "A cache TTL shorter than a minute makes the step re-run on nearly every build",
    url: `${DOCS}cachettltooshort`,
    origin: "cachefront",
  },
  (setting: string, seconds: number) =>
    `${setting} lets a cached result live at most ${seconds}s, so the step re-runs on nearly every build; use a TTL of a minute or more (30s is easily mistaken for 30m), or --no-cache-filter to always re-run a stage`,
);

export const CacheTTLWithoutNetwork = defineRule(
  {
    name: "CacheTTLWithoutNetwork",
    description: "A cache TTL on a RUN with --network=none expires a step that cannot fetch anything new",
    url: `${DOCS}cachettlwithoutnetwork`,
    origin: "cachefront",
  },
  (setting: string) =>
    `${setting} on a RUN with --network=none: the step cannot download anything, so when its cache expires it re-runs to the same result; drop the TTL unless the command depends on the clock`,
);

export const CacheExportUnused = defineRule(
  {
    name: "CacheExportUnused",
    description: "Every cache id in BUILDKIT_CACHE_EXPORT should be mounted by a RUN of the build",
    url: `${DOCS}cacheexportunused`,
    origin: "cachefront",
  },
  (arg: string, id: string) => `${arg} asks for cache id ${id}, which no RUN of this build mounts; exporting whatever that cache holds`,
);

export const CACHEFRONT_RULES = [CacheSeedContextMissing, CacheTTLTooShort, CacheTTLWithoutNetwork, CacheExportUnused] as const;
