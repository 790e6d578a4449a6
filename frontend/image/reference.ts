/**
 * Docker image references, normalized as docker/distribution's
 * ParseNormalizedNamed + TagNameOnly do: `busybox` becomes
 * `docker.io/library/busybox:latest`. BuildKit's resolver needs the fully
 * qualified form (a registry host and a tag or digest).
 */

export class ReferenceError extends Error {}

export interface ImageReference {
  domain: string;
  path: string;
  tag?: string;
  digest?: string;
}

const DEFAULT_DOMAIN = "docker.io";
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$/;

export function parseReference(input: string): ImageReference {
  if (input === "" || input.length > 255 + 128 + 72) throw new ReferenceError("invalid reference format");
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ReferenceError("invalid reference format");
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError("invalid reference format");
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost" || first !== first.toLowerCase()) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === "index.docker.io") domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !path.includes("/")) path = `library/${path}`;
  if (path !== path.toLowerCase()) throw new ReferenceError("invalid reference format: repository name (" + path + ") must be lowercase");
  if (!DOMAIN.test(domain) || path.split("/").some((c) => !PATH_COMPONENT.test(c))) throw new ReferenceError("invalid reference format");
  return { domain, path, tag, digest };
}

export function formatReference(r: ImageReference): string {
  return `${r.domain}/${r.path}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

/** Fully qualified, with `:latest` added when neither tag nor digest is given. */
export function normalizeReference(input: string): string {
  const r = parseReference(input);
  if (!r.tag && !r.digest) r.tag = "latest";
  return formatReference(r);
}

/** Pins a reference to a manifest digest, keeping its tag for readability. */
export function withDigest(ref: string, digest: string): string {
  const r = parseReference(ref);
  r.digest = digest;
  return formatReference(r);
}

/** The short name users wrote images with (`busybox`), for suggestions and named-context lookup. */
export function familiarName(ref: string): string {
  const r = parseReference(ref);
  let name = r.domain === DEFAULT_DOMAIN ? r.path.replace(/^library\//, "") : `${r.domain}/${r.path}`;
  if (r.tag && r.tag !== "latest") name += `:${r.tag}`;
  if (r.digest) name += `@${r.digest}`;
  return name;
}
