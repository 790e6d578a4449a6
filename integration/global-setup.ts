// Global setup of the `integration` vitest project: finds or starts a Docker
// engine, makes sure the base images and cachefront:dev (built from this
// tree) are in it, and hands its DOCKER_HOST to the tests.
//
// Order: a DOCKER_HOST that answers is reused as it is; else the private
// engine of integration/engine/start.sh in $CACHEFRONT_ENGINE_DIR (default
// integration/.engine) is joined when it already runs, or installed
// (install.sh, only when dockerd is missing) and started. Teardown stops it
// only when a test run started it and no other run still uses it.
//
// With no engine to be had, CI=true fails the run; anywhere else the engine
// tests skip, saying why (see harness/engine.ts). A failing image build fails
// the run everywhere: the frontend is what is under test.
import { appendFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { run } from "./harness/exec.ts";
import type { EngineInfo } from "./harness/engine.ts";

const repo = fileURLToPath(new URL("..", import.meta.url));
const engineScripts = path.join(repo, "integration/engine");
const engineDir = path.resolve(process.env.CACHEFRONT_ENGINE_DIR || path.join(repo, "integration/.engine"));
const setupLog = path.join(engineDir, "setup.log");

function say(msg: string): void {
  process.stderr.write(`[integration setup] ${msg}\n`);
}

async function dockerAnswers(host: string | undefined): Promise<boolean> {
  const env = host ? { DOCKER_HOST: host } : {};
  try {
    return (await run("docker", ["info", "--format", "{{.ServerVersion}}"], { env, timeoutMs: 15_000 })).code === 0;
  } catch {
    return false; // no docker CLI at all
  }
}

/** Runs a script, its stderr to setup.log; resolves with stdout, rejects with the log's tail. */
async function step(what: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const t0 = Date.now();
  await appendFile(setupLog, `\n=== ${new Date().toISOString()} ${what}: ${cmd} ${args.join(" ")}\n`);
  const r = await run(cmd, args, { cwd: repo, env });
  await appendFile(setupLog, r.stderr + r.stdout);
  if (r.code !== 0) {
    throw new Error(`${what} failed (exit ${r.code}); full log in ${setupLog}\n${(r.stderr + r.stdout).slice(-3000)}`);
  }
  say(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  return r.stdout;
}

function onPath(bin: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((d) => d && existsSync(path.join(d, bin)));
}

/**
 * Finds or starts an engine. `held`: this run registered itself as a user of
 * the private engine (start.sh --hold) and must release it in teardown; the
 * last user out stops an engine that a test run started, so concurrent runs
 * in one checkout share it and one started by hand is left running.
 */
async function acquire(): Promise<{ host: string; held: boolean } | { reason: string }> {
  const given = process.env.DOCKER_HOST;
  if (given && (await dockerAnswers(given))) {
    say(`reusing DOCKER_HOST=${given}`);
    return { host: given, held: false };
  }
  if (given) say(`DOCKER_HOST=${given} does not answer; trying the private engine`);

  const privateHost = `unix://${engineDir}/docker.sock`;
  const running = await dockerAnswers(privateHost);
  if (process.getuid?.() !== 0) {
    if (running) return { host: privateHost, held: false };
    return {
      reason:
        "starting the private engine needs root; run `sudo integration/engine/start.sh` and export the " +
        "DOCKER_HOST it prints, or point DOCKER_HOST at an engine with BuildKit and the containerd image store",
    };
  }
  try {
    if (!["dockerd", "containerd", "busybox"].every(onPath)) {
      await step("install engine", "bash", [path.join(engineScripts, "install.sh")]);
    }
    const what = running ? "join the running private engine" : "start engine";
    const out = await step(what, "bash", [path.join(engineScripts, "start.sh"), "--hold", String(process.pid), engineDir]);
    const host = /export DOCKER_HOST=(\S+)/.exec(out)?.[1];
    if (!host) throw new Error(`start.sh printed no DOCKER_HOST: ${out}`);
    return { host, held: true };
  } catch (e) {
    return { reason: (e as Error).message };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await mkdir(engineDir, { recursive: true });
  const got = await acquire();
  if ("reason" in got) {
    const info: EngineInfo = { available: false, reason: got.reason, image: false };
    if (process.env.CI === "true") throw new Error(`no Docker engine for the integration tests: ${got.reason}`);
    say(`NO ENGINE, engine tests will be skipped: ${got.reason}`);
    project.provide("cachefrontEngine", info);
    return async () => {};
  }

  const teardown = async () => {
    if (got.held) {
      await step("release engine", "bash", [path.join(engineScripts, "stop.sh"), "--release", String(process.pid), engineDir]);
    }
  };
  try {
    const env = { DOCKER_HOST: got.host };
    await step("base images", "bash", [path.join(engineScripts, "base-images.sh")], env);
    // The gateway image from this working tree, on the local node base:
    // there is no registry to pull node:20-alpine from. With
    // CACHEFRONT_SKIP_IMAGE=1 (to iterate on tests that do not need the
    // frontend), tests that call requireImage skip, or fail in CI.
    let image = false;
    if (process.env.CACHEFRONT_SKIP_IMAGE === "1") {
      say("CACHEFRONT_SKIP_IMAGE=1: not building cachefront:dev");
    } else if (existsSync(path.join(repo, "frontend/main.ts"))) {
      await step("gateway image", "bash", [path.join(repo, "scripts/image.sh")], {
        ...env,
        CACHEFRONT_BASE_IMAGE: process.env.CACHEFRONT_BASE_IMAGE || "cachefront/node-runtime:local",
      });
      image = true;
    } else {
      say("frontend/main.ts does not exist yet: not building cachefront:dev");
    }
    // Workers are started after global setup and inherit this; tests should
    // still prefer inject("cachefrontEngine") through the harness.
    process.env.DOCKER_HOST = got.host;
    project.provide("cachefrontEngine", { available: true, dockerHost: got.host, image });
  } catch (e) {
    await teardown().catch(() => {});
    throw e;
  }
  return teardown;
}
