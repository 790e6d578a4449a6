// What the integration global setup found: whether a Docker engine is there
// for these tests and how to reach it. Tests gate on it instead of each
// probing docker themselves.
import { inject, type TestContext } from "vitest";

export interface EngineInfo {
  available: boolean;
  /** DOCKER_HOST of the engine the tests use (unset: the default context). */
  dockerHost?: string;
  /** Why there is no engine, when available is false. */
  reason?: string;
  /** Whether the global setup built cachefront:dev from this tree. */
  image: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    cachefrontEngine: EngineInfo;
  }
}

export function engineInfo(): EngineInfo {
  return inject("cachefrontEngine") ?? { available: false, reason: "integration global setup did not run", image: false };
}

/** True when the tests have a Docker engine. Use as `describe.skipIf(!engineAvailable())`. */
export function engineAvailable(): boolean {
  return engineInfo().available;
}

/**
 * Call first in a test that needs the engine: skips the test with the reason
 * when there is none (the global setup already failed the run in CI, so this
 * only skips on a developer machine). Returns the env that points docker at
 * the engine.
 */
export function requireEngine(ctx: TestContext): Record<string, string> {
  const info = engineInfo();
  if (!info.available) ctx.skip(`no Docker engine: ${info.reason ?? "unknown reason"}`);
  return dockerEnv();
}

/**
 * Like requireEngine, for tests that build through `# syntax=cachefront:dev`:
 * also skips when the global setup did not build the image (no
 * frontend/main.ts yet, or CACHEFRONT_SKIP_IMAGE=1). In CI that is a failure.
 */
export function requireImage(ctx: TestContext): Record<string, string> {
  const env = requireEngine(ctx);
  if (!engineInfo().image) {
    const why = "cachefront:dev was not built by the global setup (no frontend/main.ts, or CACHEFRONT_SKIP_IMAGE=1)";
    if (process.env.CI === "true") throw new Error(why);
    ctx.skip(why);
  }
  return env;
}

/** Env for a docker child process: DOCKER_HOST of the tests' engine. */
export function dockerEnv(): Record<string, string> {
  const host = engineInfo().dockerHost;
  return host ? { DOCKER_HOST: host } : {};
}
