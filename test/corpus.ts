/**
 * The shared real-world corpus (../shared/corpus beside the repo): listing its
 * Dockerfiles, and a fake-bridge intercept under which every image exists, so
 * the corpus (or files made from it) can run through the real entrypoint
 * without a table of the hundred images it names.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ResolveImageConfigRequest, ResolveSourceMetaRequest } from "../frontend/gen/moby/buildkit/frontend/gateway_pb.ts";
import { REPO_ROOT, type Intercept } from "./fake-bridge/index.ts";
import { STUB_IMAGE } from "./in-process.ts";

// From REPO_ROOT, not this file's directory: the bench bundles this module into dist/bench/.
export const CORPUS_DIR = path.resolve(REPO_ROOT, "../shared/corpus");

/** The corpus's Dockerfiles relative to `dir`, sorted; empty when the corpus is not there. */
export function corpusFiles(dir: string = CORPUS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => statSync(path.join(dir, f)).isFile() && !/(^|\/)(MANIFEST\.tsv|README\.md|LICENSE)$/.test(f))
    .sort();
}

const STUB_CONFIG = new TextEncoder().encode(JSON.stringify(STUB_IMAGE));
const STUB_DIGEST = `sha256:${"cd".repeat(32)}`;

/** Answers every image config and image source-meta request with STUB_IMAGE; other calls go to the fake. */
export const stubAllImages: Intercept = (method, request) => {
  if (method === "resolveImageConfig") {
    return { response: { Digest: STUB_DIGEST, Config: STUB_CONFIG, Ref: (request as ResolveImageConfigRequest).Ref } };
  }
  const src = method === "resolveSourceMeta" ? (request as ResolveSourceMetaRequest).Source : undefined;
  if (src?.identifier.startsWith("docker-image://")) return { response: { Source: src, Image: { Digest: STUB_DIGEST, Config: STUB_CONFIG } } };
  return undefined;
};
