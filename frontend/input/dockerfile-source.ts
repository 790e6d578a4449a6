/**
 * Reads the Dockerfile the way the official frontend does: a `local://dockerfile`
 * source restricted to the file (and its per-Dockerfile ignore file), solved
 * lazily and read with ReadFile. A frontend input named `dockerfile` replaces
 * the local source (buildx bake and `--build-context` plumbing use that); a
 * remote build context (git or URL) supplies it unless `dockerfilekey` is set.
 */
import { posix } from "node:path";
import type { Definition } from "../gen/moby/buildkit/solver/ops_pb.ts";
import type { Gateway } from "../gateway/session.ts";
import { local, marshal, State } from "../llb/index.ts";
import { definitionState } from "./definition-state.ts";
import type { RemoteContext } from "./remote-context.ts";

export const DEFAULT_DOCKERFILE = "Dockerfile";

export interface DockerfileSource {
  filename: string;
  data: Uint8Array;
  /** The definition that loaded the file: source maps and warnings refer to it. */
  definition: Definition;
  /** Digest of the loading op, the vertex warnings attach to. */
  loaderDigest: string;
  /** Content of `<filename>.dockerignore` when present: it replaces the context's .dockerignore. */
  ignoreFile?: Uint8Array;
}

export function sessionFor(gw: Gateway, localName: string): string {
  return gw.env.opts.get(`local-sessionid:${localName}`) ?? gw.env.sessionId;
}

export async function readDockerfile(gw: Gateway, remote?: RemoteContext): Promise<DockerfileSource> {
  const fromRemote = remote !== undefined && !gw.env.opts.has("dockerfilekey");
  const filename = (fromRemote ? remote.filename : undefined) ?? (gw.env.opts.get("filename") || DEFAULT_DOCKERFILE);
  const localName = gw.env.opts.get("dockerfilekey") || "dockerfile";

  const inputs = gw.env.opts.has("dockerfilekey") ? {} : await gw.inputs();
  let state: State;
  if (fromRemote) {
    state = remote.dockerfile;
  } else if (inputs.dockerfile) {
    state = definitionState(inputs.dockerfile);
  } else {
    const follow = [filename, `${filename}.dockerignore`];
    if (posix.basename(filename) === DEFAULT_DOCKERFILE) follow.push(posix.join(posix.dirname(filename), "dockerfile"));
    state = local(localName, {
      sessionId: sessionFor(gw, localName),
      followPaths: follow,
      sharedKeyHint: localName,
      differ: "none",
      constraints: { customName: `[internal] load build definition from ${filename}` },
    });
  }
  const { definition, head } = marshal(state);
  const ref = await gw.solve(definition);

  // The file and its per-Dockerfile ignore file are read together: one round trip, not two.
  const optional = (p: string) => gw.readFile(ref, p).catch(() => undefined);
  let [data, ignoreFile] = await Promise.all([gw.readFile(ref, filename).catch((err: unknown) => err as Error), optional(`${filename}.dockerignore`)]);
  let name = filename;
  if (data instanceof Error) {
    // The official frontend retries a lower-case `dockerfile` before giving up.
    const lower = posix.join(posix.dirname(filename), "dockerfile");
    const retry = posix.basename(filename) === DEFAULT_DOCKERFILE ? await optional(lower) : undefined;
    if (!retry) throw missing(filename, data);
    [data, name, ignoreFile] = [retry, lower, await optional(`${lower}.dockerignore`)];
  }
  return { filename: name, data, definition, loaderDigest: head ?? "", ignoreFile };
}

function missing(filename: string, cause: unknown): Error {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new Error(`failed to read dockerfile: open ${filename}: no such file or directory${detail ? ` (${detail.slice(2)})` : ""}`);
}
