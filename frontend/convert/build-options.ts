/**
 * Everything the frontend opts say about a build, parsed once into typed
 * values (the equivalent of BuildKit's dockerui.Config). Conversion code
 * never reads raw opts.
 */
import type { FrontendEnvironment } from "../gateway/environment.ts";
import { hostPlatform, normalizePlatform, parsePlatform, type Platform } from "../llb/platform.ts";
import { NetworkMode, type HostEntry, type UlimitEntry } from "../llb/state.ts";
import type { ImageResolveMode } from "../llb/source.ts";
import { parseAttestRequests, type AttestRequests } from "../attest/requests.ts";
import { parseGoBool } from "../dockerfile/instructions/index.ts";

export interface BuildOptions {
  target: string;
  /** `build-arg:*` values, sorted by name. */
  buildArgs: ReadonlyMap<string, string>;
  labels: ReadonlyMap<string, string>;
  /** Requested target platforms; empty means "implicit" (the worker's). */
  targetPlatforms: Platform[];
  buildPlatforms: Platform[];
  multiPlatform: boolean;
  imageResolveMode: ImageResolveMode;
  /** undefined: cache allowed; "all": every stage; otherwise lower-cased stage names. */
  noCache: "all" | ReadonlySet<string> | undefined;
  hostname: string;
  networkMode: NetworkMode;
  extraHosts: HostEntry[];
  shmSize: bigint;
  ulimits: UlimitEntry[];
  cgroupParent: string;
  cacheMountNamespace: string;
  /** SOURCE_DATE_EPOCH, when given. */
  epoch?: Date;
  /** Named context opts (`context:<name>`), raw. */
  namedContexts: ReadonlyMap<string, string>;
  /** Remote caches to import (`--cache-from`); the frontend passes them on its solves. */
  cacheImports: CacheImport[];
  /** `BUILDKIT_CONTEXT_KEEP_GIT_DIR`: a git build context keeps its `.git` directory. */
  keepGitDir: boolean;
  /** Attestations asked for (`attest:*`); BuildKit makes provenance, the frontend the SBOM. */
  attest: AttestRequests;
}

export interface CacheImport {
  type: string;
  attrs: Record<string, string>;
}

export class BuildOptionsError extends Error {}

export function parseBuildOptions(env: FrontendEnvironment): BuildOptions {
  const opts = env.opts;
  const buildArgs = prefixed(opts, "build-arg:");
  const labels = prefixed(opts, "label:");
  const namedContexts = prefixed(opts, "context:");

  const workerPlatforms = env.workers.flatMap((w) => w.platforms).map((p) => normalizePlatform({ os: p.os, architecture: p.architecture, variant: p.variant }));
  const buildPlatforms = workerPlatforms.length > 0 ? [workerPlatforms[0]!] : [hostPlatform()];
  const targetPlatforms = splitList(opts.get("platform")).map((p) => {
    try {
      return parsePlatform(p);
    } catch (e) {
      throw new BuildOptionsError(`failed to parse target platform ${p}: ${(e as Error).message}`);
    }
  });

  const multi = opts.get("multi-platform") ?? buildArgs.get("BUILDKIT_MULTI_PLATFORM");
  const multiPlatform = multi !== undefined && multi !== "" ? parseBool(multi, "multi-platform") : false;
  if (multi !== undefined && multi !== "" && !multiPlatform && targetPlatforms.length > 1) {
    throw new BuildOptionsError("returning multiple target platforms is not allowed");
  }

  let noCache: BuildOptions["noCache"];
  if (opts.has("no-cache")) {
    const v = opts.get("no-cache")!;
    noCache = v === "" ? "all" : new Set(splitList(v).map((s) => s.toLowerCase()));
  }

  const epochRaw = buildArgs.get("SOURCE_DATE_EPOCH");
  let epoch: Date | undefined;
  if (epochRaw !== undefined && epochRaw !== "") {
    if (!/^\d+$/.test(epochRaw)) throw new BuildOptionsError(`invalid SOURCE_DATE_EPOCH: ${epochRaw}`);
    epoch = new Date(Number(epochRaw) * 1000);
  }

  return {
    target: opts.get("target") ?? "",
    buildArgs,
    labels,
    targetPlatforms,
    buildPlatforms,
    multiPlatform: multiPlatform || targetPlatforms.length > 1,
    imageResolveMode: parseResolveMode(opts.get("image-resolve-mode")),
    noCache,
    // The build arg, when set, overrides the opt (dockerui copies it over).
    hostname: buildArgs.get("BUILDKIT_SANDBOX_HOSTNAME") || opts.get("hostname") || "",
    networkMode: parseNetworkMode(opts.get("force-network-mode")),
    extraHosts: parseExtraHosts(opts.get("add-hosts")),
    shmSize: parseShmSize(opts.get("shm-size")),
    ulimits: parseUlimits(opts.get("ulimit")),
    cgroupParent: opts.get("cgroup-parent") ?? "",
    cacheMountNamespace: buildArgs.get("BUILDKIT_CACHE_MOUNT_NS") ?? "",
    epoch,
    namedContexts,
    cacheImports: parseCacheImports(opts.get("cache-imports"), opts.get("cache-from")),
    // Upstream ignores a value ParseBool rejects (false), rather than failing the build.
    keepGitDir: parseGoBool(buildArgs.get("BUILDKIT_CONTEXT_KEEP_GIT_DIR") ?? "") ?? false,
    attest: parseAttestRequests(opts),
  };
}

/**
 * `cache-imports` is a JSON list of `{Type, Attrs}`; the legacy `cache-from`
 * opt is a comma-separated list of registry references.
 */
function parseCacheImports(json: string | undefined, legacy: string | undefined): CacheImport[] {
  if (json) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new BuildOptionsError(`failed to parse cache-imports: ${json}`);
    }
    if (!Array.isArray(parsed)) throw new BuildOptionsError("cache-imports must be a JSON list");
    return parsed.map((e: { Type?: unknown; Attrs?: unknown }) => {
      if (typeof e?.Type !== "string") throw new BuildOptionsError("cache-imports entries need a Type");
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries((e.Attrs as Record<string, unknown>) ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) attrs[k] = String(v);
      return { type: e.Type, attrs };
    });
  }
  return splitList(legacy).map((ref) => ({ type: "registry", attrs: { ref } }));
}

function prefixed(opts: ReadonlyMap<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of opts) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out;
}

function splitList(v: string | undefined): string[] {
  return (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function parseBool(v: string, what: string): boolean {
  const b = parseGoBool(v);
  if (b === undefined) throw new BuildOptionsError(`invalid boolean value for ${what}: ${v}`);
  return b;
}

function parseResolveMode(v: string | undefined): ImageResolveMode {
  switch (v ?? "") {
    case "":
    case "default":
      return "default";
    case "pull":
      return "pull";
    case "local":
      return "local";
    default:
      throw new BuildOptionsError(`invalid image-resolve-mode: ${v}`);
  }
}

function parseNetworkMode(v: string | undefined): NetworkMode {
  switch (v ?? "") {
    case "":
    case "sandbox":
      return NetworkMode.Sandbox;
    case "host":
      return NetworkMode.Host;
    case "none":
      return NetworkMode.None;
    default:
      throw new BuildOptionsError(`invalid force-network-mode: ${v}`);
  }
}

function parseExtraHosts(v: string | undefined): HostEntry[] {
  return splitList(v).map((entry) => {
    const i = entry.indexOf("=");
    const j = i >= 0 ? i : entry.indexOf(":");
    if (j <= 0) throw new BuildOptionsError(`invalid host ${entry}`);
    const host = entry.slice(0, j).toLowerCase();
    const ip = entry.slice(j + 1);
    if (!isIP(ip)) throw new BuildOptionsError(`failed to parse IP ${ip}`);
    return { host, ip };
  });
}

function isIP(s: string): boolean {
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(s) || /^[0-9a-fA-F:]+$/.test(s);
}

function parseShmSize(v: string | undefined): bigint {
  if (!v) return 0n;
  if (!/^\d+$/.test(v)) throw new BuildOptionsError(`invalid shm-size: ${v}`);
  return BigInt(v);
}

function parseUlimits(v: string | undefined): UlimitEntry[] {
  return splitList(v).map((spec) => {
    const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(spec);
    if (!m) throw new BuildOptionsError(`invalid ulimit argument: ${spec}`);
    const soft = BigInt(m[2]!);
    const hard = m[3] !== undefined ? BigInt(m[3]) : soft;
    return { name: m[1]!, soft, hard };
  });
}
