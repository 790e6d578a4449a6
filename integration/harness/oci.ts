// Reads an `--output type=oci,dest=x.tar` export: the image index, the chosen
// manifest and the image config, so tests can assert on what the frontend put
// in the image's metadata (Env, Cmd, Labels, history, ...).
import { readFile } from "node:fs/promises";
import { readTar } from "./tar.ts";

export interface OciDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface OciManifest {
  schemaVersion: number;
  mediaType?: string;
  config: OciDescriptor;
  layers: OciDescriptor[];
  annotations?: Record<string, string>;
}

export interface OciImageConfig {
  architecture: string;
  os: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string>;
    ExposedPorts?: Record<string, object>;
    Volumes?: Record<string, object>;
    StopSignal?: string;
    Shell?: string[];
    OnBuild?: string[] | null;
    Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
    ArgsEscaped?: boolean;
    [key: string]: unknown;
  };
  rootfs: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; comment?: string; empty_layer?: boolean }[];
  [key: string]: unknown;
}

export interface OciImage {
  manifestDescriptor: OciDescriptor;
  manifest: OciManifest;
  config: OciImageConfig;
  /** A blob of the archive by digest ("sha256:..."). */
  blob(digest: string): Buffer;
}

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);

/** An OCI layout tar: its blobs, and the manifests its index lists, nested indexes flattened. */
async function openOciTar(ociTarPath: string) {
  const files = untar(await readFile(ociTarPath));
  const blob = (digest: string): Buffer => {
    const [alg, hex] = digest.split(":");
    const data = files.get(`blobs/${alg}/${hex}`);
    if (!data) throw new Error(`${ociTarPath}: no blob ${digest}`);
    return data;
  };
  const json = <T>(b: Buffer): T => JSON.parse(b.toString("utf8")) as T;
  const indexFile = files.get("index.json");
  if (!indexFile) throw new Error(`${ociTarPath}: no index.json (not an OCI layout tar?)`);
  const manifests: OciDescriptor[] = [];
  const visit = (descs: OciDescriptor[]) => {
    for (const d of descs) {
      if (INDEX_TYPES.has(d.mediaType)) visit(json<{ manifests: OciDescriptor[] }>(blob(d.digest)).manifests);
      else manifests.push(d);
    }
  };
  visit(json<{ manifests: OciDescriptor[] }>(indexFile).manifests);
  return { manifests, blob, json };
}

/** "linux/amd64", "linux/arm/v7"; "?" for a descriptor without a platform. */
function platformOf(d: OciDescriptor): string {
  return d.platform ? [d.platform.os, d.platform.architecture, d.platform.variant].filter(Boolean).join("/") : "?";
}

/**
 * The image config of the (single) image in an OCI tar. `platform`
 * ("linux/amd64", "linux/arm/v7") picks one when the export holds several;
 * attestation manifests are never picked.
 */
export async function readOciConfig(ociTarPath: string, platform?: string): Promise<OciImageConfig> {
  return (await readOciImage(ociTarPath, platform)).config;
}

export async function readOciImage(ociTarPath: string, platform?: string): Promise<OciImage> {
  const { manifests, blob, json } = await openOciTar(ociTarPath);
  const images = manifests.filter(
    (d) => d.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest" && d.platform?.os !== "unknown",
  );
  const chosen = platform ? images.filter((d) => platformOf(d) === platform) : images;
  if (chosen.length !== 1) {
    throw new Error(
      `${ociTarPath}: ${chosen.length} images match ${platform ?? "(any platform)"}; has: ${images.map(platformOf).join(", ")}`,
    );
  }
  const manifestDescriptor = chosen[0]!;
  const manifest = json<OciManifest>(blob(manifestDescriptor.digest));
  return { manifestDescriptor, manifest, config: json<OciImageConfig>(blob(manifest.config.digest)), blob };
}

/** Regular files of a tar, by path. */
function untar(buf: Buffer): Map<string, Buffer> {
  return new Map(readTar(buf).filter((e) => e.type === "file").map((e) => [e.path, e.data]));
}

/** An in-toto statement attached to an image through an attestation manifest. */
export interface OciAttestation {
  predicateType: string;
  statement: { _type: string; predicateType: string; subject: unknown[]; predicate: Record<string, unknown> };
}

/**
 * The attestations of each image in an OCI tar, by the image's platform
 * ("linux/amd64"): the layers of the attestation manifest that refers to it.
 */
export async function readOciAttestations(ociTarPath: string): Promise<Map<string, OciAttestation[]>> {
  const { manifests, blob, json } = await openOciTar(ociTarPath);
  const images = new Map(manifests.filter((d) => d.platform && d.platform.os !== "unknown").map((d) => [d.digest, platformOf(d)]));
  const out = new Map<string, OciAttestation[]>();
  for (const d of manifests) {
    if (d.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest") continue;
    const subject = images.get(d.annotations["vnd.docker.reference.digest"] ?? "") ?? "?";
    const manifest = json<OciManifest>(blob(d.digest));
    out.set(
      subject,
      manifest.layers.map((l) => ({ predicateType: l.annotations?.["in-toto.io/predicate-type"] ?? "", statement: json(blob(l.digest)) })),
    );
  }
  return out;
}
