/**
 * Newer LLB features cachefront uses only when the engine says (in Ping's
 * caps) that it understands them. An engine that does not know a field
 * ignores it silently, so sending one blindly would build a different image
 * than asked; instead the converter falls back where the official frontend
 * has a fallback, and otherwise fails naming the feature and the missing cap.
 */
import type { Caps } from "../gateway/session.ts";

export interface EngineFeature {
  /** What the user wrote that needs it, for the error. */
  readonly what: string;
  /** The LLB cap that proves support. */
  readonly cap: string;
}

export const FEATURES = {
  /** COPY --link without a base (falls back to a plain copy when missing, as upstream). */
  mergeOp: { what: "COPY --link", cap: "mergeop" },
  /** --exclude and --parents (include/exclude patterns on a copy). */
  copyPatterns: { what: "COPY --exclude/--parents", cap: "file.copy.includeexcludepatterns" },
  /**
   * A non-octal --chmod (`modeStr` on the copy). BuildKit declares no cap of
   * its own for it in the versions we know (v0.24 advertises none); the field
   * arrived in v0.20 together with CDI devices, so their cap stands in.
   */
  copyModeString: { what: "a symbolic --chmod relative to the source mode", cap: "exec.meta.cdi" },
  /** RUN --device (CDI devices). */
  cdiDevices: { what: "RUN --device", cap: "exec.meta.cdi" },
  /** RUN --security=insecure. */
  insecure: { what: "RUN --security=insecure", cap: "exec.meta.security" },
  /** RUN --mount=type=secret,env=... */
  secretEnv: { what: "RUN --mount=type=secret,env=", cap: "exec.secretenv" },
  /** ADD --checksum of an HTTP source. */
  httpChecksum: { what: "ADD --checksum of a URL", cap: "source.http.checksum" },
  /** ADD --checksum of a git source. */
  gitChecksum: { what: "ADD --checksum of a git repository", cap: "source.git.checksum" },
  /** ADD --keep-git-dir. */
  gitKeepDir: { what: "ADD --keep-git-dir", cap: "source.git.keepgitdir" },
  /** A git URL with `submodules=false`. */
  gitSkipSubmodules: { what: "a git source without submodules", cap: "source.git.skipsubmodules" },
  /** Git sources at all. */
  git: { what: "a git source", cap: "source.git" },
  /** HTTP sources at all. */
  http: { what: "a URL source", cap: "source.http" },
} as const satisfies Record<string, EngineFeature>;

export class MissingEngineFeatureError extends Error {}

export function hasFeature(caps: Caps, feature: EngineFeature): boolean {
  return caps.llb.has(feature.cap);
}

/** Throws a clear error when the engine lacks `feature`. */
export function requireFeature(caps: Caps, feature: EngineFeature): void {
  if (!hasFeature(caps, feature)) {
    throw new MissingEngineFeatureError(`${feature.what} is not supported by this BuildKit engine (it lacks the LLB capability "${feature.cap}"); upgrade the engine`);
  }
}
