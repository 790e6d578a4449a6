/**
 * The image config a build returns as `containerimage.config`: the Docker
 * flavour of the OCI image config (what BuildKit's exporter expects), with
 * history entries the way the official frontend writes them.
 */
import type { Platform } from "../llb/platform.ts";
import { checkImageConfig } from "./validate.ts";

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, Record<string, never>>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
  Healthcheck?: HealthConfig;
  OnBuild?: string[] | null;
  Shell?: string[];
  [extra: string]: unknown;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  author?: string;
  comment?: string;
  empty_layer?: boolean;
}

export interface ImageConfig {
  created?: string;
  author?: string;
  architecture: string;
  os: string;
  "os.version"?: string;
  "os.features"?: string[];
  variant?: string;
  config: ContainerConfig;
  rootfs: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
  [extra: string]: unknown;
}

export const HISTORY_COMMENT = "buildkit.dockerfile.v0";

/** BuildKit's default PATH for Linux containers. */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function defaultPathEnv(os: string): string | undefined {
  return os === "windows" ? undefined : DEFAULT_PATH;
}

/** The synthetic config `FROM scratch` starts from. */
export function emptyImage(p: Platform): ImageConfig {
  const img: ImageConfig = {
    architecture: p.architecture,
    os: p.os,
    config: { WorkingDir: "/" },
    rootfs: { type: "layers", diff_ids: [] },
  };
  if (p.osVersion) img["os.version"] = p.osVersion;
  if (p.osFeatures) img["os.features"] = [...p.osFeatures];
  if (p.variant) img.variant = p.variant;
  const path = defaultPathEnv(p.os);
  if (path) img.config.Env = [`PATH=${path}`];
  return img;
}

/**
 * Parses a base image's config JSON, dropping `created` as the official
 * frontend does. Throws for JSON that is not an image config (checkImageConfig).
 */
export function parseImageConfig(raw: Uint8Array): ImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    throw new Error("invalid image config: not JSON");
  }
  const parsed = checkImageConfig(json) as Partial<ImageConfig>;
  const img: ImageConfig = {
    ...parsed,
    architecture: parsed.architecture ?? "",
    os: parsed.os ?? "",
    config: { ...(parsed.config ?? {}) },
    rootfs: parsed.rootfs ?? { type: "layers", diff_ids: [] },
  };
  delete img.created;
  return img;
}

/** True when an image has no layers at all: then `FROM` it is just scratch. */
export function hasNoLayers(img: ImageConfig): boolean {
  if ((img.rootfs?.diff_ids ?? []).length > 0) return false;
  return (img.history ?? []).every((h) => h.empty_layer);
}

/**
 * Copies an image config for a stage that will change it. History entries
 * are never modified once written, so the history array is copied shallowly
 * (as upstream's clone does): deep-copying it per stage made conversion of
 * long multi-stage files quadratic.
 */
export function cloneImage(img: ImageConfig): ImageConfig {
  const config: ContainerConfig = { ...img.config };
  for (const key of ["Env", "Entrypoint", "Cmd", "OnBuild", "Shell"] as const) {
    const v = config[key];
    if (Array.isArray(v)) config[key] = [...v];
  }
  for (const key of ["ExposedPorts", "Volumes", "Labels"] as const) {
    const v = config[key];
    if (v) config[key] = { ...v } as never;
  }
  if (config.Healthcheck) config.Healthcheck = { ...config.Healthcheck, Test: config.Healthcheck.Test && [...config.Healthcheck.Test] };
  return {
    ...img,
    config,
    rootfs: { ...img.rootfs, diff_ids: [...(img.rootfs?.diff_ids ?? [])] },
    history: img.history ? [...img.history] : undefined,
  };
}

export function imagePlatform(img: ImageConfig): Platform {
  const p: Platform = { os: img.os, architecture: img.architecture };
  if (img.variant) p.variant = img.variant;
  if (img["os.version"]) p.osVersion = img["os.version"];
  return p;
}

/** Sets or replaces `key` in a stage-owned `K=V` list in place, keeping its position. */
export function setEnv(env: string[], key: string, value: string): void {
  const prefix = `${key}=`;
  const i = env.findIndex((kv) => kv.startsWith(prefix) || kv === key);
  if (i >= 0) env[i] = prefix + value;
  else env.push(prefix + value);
}

export function getEnv(env: readonly string[] | undefined, key: string): string | undefined {
  for (const kv of env ?? []) {
    const eq = kv.indexOf("=");
    if ((eq < 0 ? kv : kv.slice(0, eq)) === key) return eq < 0 ? "" : kv.slice(eq + 1);
  }
  return undefined;
}

/**
 * Appends a history entry. `fromOp` marks messages of instructions that
 * produced an LLB op (RUN, COPY, ADD), which the official frontend suffixes
 * with ` # buildkit`.
 */
export function commitHistory(img: ImageConfig, message: string, withLayer: boolean, fromOp: boolean, epoch?: Date): void {
  const entry: HistoryEntry = {};
  if (epoch) entry.created = epoch.toISOString().replace(".000Z", "Z");
  entry.created_by = fromOp ? `${message} # buildkit` : message;
  entry.comment = HISTORY_COMMENT;
  if (!withLayer) entry.empty_layer = true;
  // Each stage owns its history array (see cloneImage), so appending in place is safe.
  (img.history ??= []).push(entry);
}
