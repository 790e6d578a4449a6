// docker / buildx invocations against the tests' engine.
import { run, type RunResult } from "./exec.ts";
import { dockerEnv } from "./engine.ts";

export interface DockerOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  timeoutMs?: number;
}

/** `docker ARGS` against the tests' engine. Never rejects on a non-zero exit. */
export function docker(args: readonly string[], opts: DockerOptions = {}): Promise<RunResult> {
  return run("docker", args, { ...opts, env: { ...dockerEnv(), ...opts.env } });
}

/**
 * `docker buildx build --progress=plain ARGS`: the plain progress log lands in
 * stderr, one line per step, so tests can assert on `#N CACHED` and on RUN
 * output. Pass the context directory as the last argument.
 */
export function buildx(args: readonly string[], opts: DockerOptions = {}): Promise<RunResult> {
  return docker(["buildx", "build", "--progress=plain", ...args], opts);
}
