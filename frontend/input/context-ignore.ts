/**
 * The main context's ignore patterns as a build reads them:
 * `<Dockerfile>.dockerignore` wins; otherwise the context's `.dockerignore`
 * (missing = none), fetched through a local source that follows only it.
 */
import type { Gateway } from "../gateway/session.ts";
import { local, marshal } from "../llb/index.ts";
import { sessionFor, type DockerfileSource } from "./dockerfile-source.ts";
import { parseDockerignore } from "./dockerignore.ts";

export async function loadIgnorePatterns(gw: Gateway, dockerfile: DockerfileSource): Promise<string[]> {
  if (dockerfile.ignoreFile) return parseDockerignore(dockerfile.ignoreFile);
  const st = local("context", {
    sessionId: sessionFor(gw, "context"),
    followPaths: [".dockerignore"],
    sharedKeyHint: "context-.dockerignore",
    differ: "none",
    constraints: { customName: "[internal] load .dockerignore" },
  });
  const ref = await gw.solve(marshal(st).definition);
  try {
    return parseDockerignore(await gw.readFile(ref, ".dockerignore"));
  } catch {
    return [];
  }
}
