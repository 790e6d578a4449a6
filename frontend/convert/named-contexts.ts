/**
 * Named build contexts (`docker buildx build --build-context name=...`,
 * frontend opts `context:<name>`), as the official frontend resolves them:
 * a stage, a base image, `COPY --from` or a mount `from=` that names one gets
 * the context instead. Values: `docker-image://<ref>`, `local:<localname>`,
 * `oci-layout://<store>@<digest>`, `input:<name>` (a frontend input), git
 * URLs (`git://`, `git@host:path`, `https://...git#ref:subdir`) and other
 * http(s) URLs (one downloaded file, named `context`).
 */
import { messageOf } from "../gateway/errors.ts";
import type { Gateway } from "../gateway/session.ts";
import { emptyImage, parseImageConfig, type ImageConfig } from "../image/config.ts";
import { familiarName, normalizeReference, withDigest } from "../image/reference.ts";
import { definitionState } from "../input/definition-state.ts";
import { sessionFor } from "../input/dockerfile-source.ts";
import { parseDockerignore } from "../input/dockerignore.ts";
import { marshal } from "../llb/marshal.ts";
import { formatPlatform, type Platform } from "../llb/platform.ts";
import { image, local, ociLayout, type ImageResolveMode } from "../llb/source.ts";
import { GitRefError } from "../input/git-ref.ts";
import { remoteSource } from "./git-source.ts";
import { State } from "../llb/state.ts";
import { EnvList } from "../llb/env-list.ts";

export interface LoadedContext {
  state: State;
  /** The image config, for image-like contexts. */
  image?: ImageConfig;
}

export class NamedContextError extends Error {}

export class NamedContexts {
  constructor(
    private readonly gw: Gateway,
    private readonly values: ReadonlyMap<string, string>,
    private readonly resolveMode: ImageResolveMode,
  ) {}

  /** The opt key and value for `name` (platform-specific first), if the client gave one. */
  find(name: string, platform?: Platform): { key: string; value: string } | undefined {
    if (name.toLowerCase() === "scratch" || name.toLowerCase() === "context") return undefined;
    const key = lookupName(name);
    if (platform) {
      const specific = this.values.get(`${key}::${formatPlatform(platform)}`);
      if (specific !== undefined) return { key: `${key}::${formatPlatform(platform)}`, value: specific };
    }
    const value = this.values.get(key);
    return value === undefined ? undefined : { key, value };
  }

  has(name: string, platform?: Platform): boolean {
    return this.find(name, platform) !== undefined;
  }

  /** Loads the named context; undefined when the client gave none. */
  async load(name: string, platform: Platform): Promise<LoadedContext | undefined> {
    const found = this.find(name, platform);
    if (!found) return undefined;
    const label = found.key;
    const { value } = found;
    const colon = value.indexOf(":");
    let scheme = colon < 0 ? value : value.slice(0, colon);
    if (scheme.startsWith("git@")) scheme = "git";
    const rest = colon < 0 ? "" : value.slice(colon + 1);
    switch (scheme) {
      case "docker-image":
        return this.loadImage(label, rest.replace(/^\/\//, ""), platform);
      case "local":
        return this.loadLocal(label, rest);
      case "oci-layout":
        return this.loadOciLayout(label, rest.replace(/^\/\//, ""), platform);
      case "input":
        return this.loadInput(label, rest);
      case "git":
      case "http":
      case "https":
        return this.loadRemote(label, value);
      default:
        throw new NamedContextError(`unsupported context source ${scheme} for ${name}`);
    }
  }

  private async loadImage(label: string, ref: string, platform: Platform): Promise<LoadedContext> {
    if (ref === "scratch") return { state: State.scratch(), image: emptyImage(platform) };
    const qualified = normalizeReference(ref);
    const res = await this.gw
      .resolveImageConfig(qualified, { platform, resolveMode: this.resolveMode, logName: `[context ${label}] load metadata for ${ref}` })
      .catch((e: unknown) => {
        throw new NamedContextError(`${label}: ${messageOf(e)}`);
      });
    const img = parseImageConfig(res.config);
    const pinned = res.digest ? withDigest(qualified, res.digest) : qualified;
    const state = image(pinned, { platform, resolveMode: this.resolveMode, constraints: { customName: `[context ${label}] ${ref}` } });
    return { state: withImageConfig(state, img), image: img };
  }

  private async loadLocal(label: string, localName: string): Promise<LoadedContext> {
    const sessionId = sessionFor(this.gw, localName);
    // The context's own .dockerignore applies to it, as for the main context.
    const ignore = local(localName, {
      sessionId,
      followPaths: [".dockerignore"],
      sharedKeyHint: `${label}-.dockerignore`,
      differ: "none",
      constraints: { customName: `[context ${label}] load .dockerignore` },
    });
    const ref = await this.gw.solve(marshal(ignore).definition);
    const excludes = await this.gw.readFile(ref, ".dockerignore").then(parseDockerignore, () => [] as string[]);
    const state = local(localName, {
      sessionId,
      excludePatterns: excludes,
      sharedKeyHint: `context:${label}`,
      constraints: { customName: `[context ${label}] load from client` },
    });
    return { state };
  }

  private async loadOciLayout(label: string, ref: string, platform: Platform): Promise<LoadedContext> {
    // <store>[:tag]@<digest>; the store id is the name part.
    const at = ref.indexOf("@");
    if (at < 0) throw new NamedContextError(`oci-layout reference ${ref} for ${label} needs a digest`);
    const digest = ref.slice(at + 1);
    const store = ref.slice(0, at).replace(/:[^/:]*$/, "");
    const sessionId = this.gw.env.sessionId;
    const res = await this.gw.resolveImageConfig(`${store}@${digest}`, {
      platform,
      resolveMode: this.resolveMode,
      logName: `[context ${label}] load metadata for ${ref}`,
      ociStore: { sessionId, storeId: store },
    });
    const img = parseImageConfig(res.config);
    const state = ociLayout(`${store}@${digest}`, { platform, sessionId, storeId: store, constraints: { customName: `[context ${label}] OCI load from client` } });
    return { state: withImageConfig(state, img), image: img };
  }

  /** A git repository, or (http/https that is not git) a single downloaded file named `context`. */
  private loadRemote(label: string, url: string): LoadedContext {
    let source;
    try {
      source = remoteSource(url, this.gw.caps, { filename: "context", httpName: `[context ${label}] ${url}` });
    } catch (e) {
      if (!(e instanceof GitRefError)) throw e;
      throw new NamedContextError(`${label}: ${messageOf(e)}`);
    }
    if (!source) throw new NamedContextError(`invalid git context ${url}`);
    return { state: source.state };
  }

  private async loadInput(label: string, inputName: string): Promise<LoadedContext> {
    const def = (await this.gw.inputs())[inputName];
    if (!def) throw new NamedContextError(`invalid input ${inputName} for ${label}`);
    const meta = this.gw.env.opts.get(`input-metadata:${inputName}`);
    let img: ImageConfig | undefined;
    if (meta !== undefined) {
      // Upstream's words for both failures (dockerui/namedcontext.go).
      let parsed: Record<string, unknown> | null;
      try {
        parsed = JSON.parse(meta) as Record<string, unknown> | null;
      } catch (e) {
        throw new NamedContextError(`failed to parse input metadata ${meta}: ${messageOf(e)}`);
      }
      const config = parsed?.["containerimage.config"];
      if (typeof config === "string") {
        try {
          img = parseImageConfig(Buffer.from(config, "base64"));
        } catch (e) {
          throw new NamedContextError(`failed to parse image config for ${label}: ${messageOf(e)}`);
        }
      }
    }
    const state = definitionState(def);
    return { state: img ? withImageConfig(state, img) : state, image: img };
  }
}

/** Image env, working dir and user become the state's process settings (llb's WithImageConfig). */
function withImageConfig(state: State, img: ImageConfig): State {
  let st = state.withEnv(state.env.setAll(EnvList.fromStrings(img.config.Env ?? []).pairs()));
  if (img.config.WorkingDir) st = st.withDir(img.config.WorkingDir);
  if (img.config.User) st = st.withUser(img.config.User);
  return st;
}

/** `context:<familiar name without :latest>`, as the official frontend looks contexts up. */
function lookupName(name: string): string {
  let key = name;
  try {
    key = familiarName(normalizeReference(name));
  } catch {
    // Not an image reference (e.g. an upper-case stage name): used as written.
  }
  return key;
}
