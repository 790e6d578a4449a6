/** Shared fixtures for tests that run the real entrypoint through the fake bridge. */
import { runFrontend, type FakeBridgeOptions, type FakeRun } from "../fake-bridge/index.ts";
import { decodeDefinition, type DecodedOp } from "../fake-bridge/llb-inspect.ts";

export const BUSYBOX_CONFIG = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "11".repeat(32)] },
  history: [{ created: "2024-01-01T00:00:00Z", created_by: "ADD rootfs /" }],
};

export const ALPINE_CONFIG = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "ALPINE=1"], WorkingDir: "/home", User: "nobody" },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "22".repeat(32)] },
};

export interface BuildCase {
  dockerfile: string;
  context?: Record<string, string>;
  opts?: Record<string, string>;
  extra?: Partial<FakeBridgeOptions>;
}

export async function build(c: BuildCase): Promise<FakeRun> {
  return runFrontend({
    opts: c.opts,
    locals: { dockerfile: { Dockerfile: c.dockerfile }, context: c.context ?? {} },
    images: {
      "docker.io/library/busybox:latest": { config: BUSYBOX_CONFIG },
      "docker.io/library/alpine:3.20": { config: ALPINE_CONFIG },
    },
    ...c.extra,
  });
}

/** The image config the build returned. */
export function imageConfig(run: FakeRun): Record<string, any> {
  const raw = run.result?.metadata["containerimage.config"];
  if (!raw) throw new Error(`no image config; error: ${run.error?.message ?? "none"}\n${run.stderr}`);
  return JSON.parse(new TextDecoder().decode(raw));
}

export function finalOps(run: FakeRun): DecodedOp[] {
  const def = run.finalDefinition();
  if (!def) throw new Error(`no final definition; error: ${run.error?.message ?? "none"}\n${run.stderr}`);
  return decodeDefinition(def);
}

export function names(ops: DecodedOp[]): string[] {
  return ops.map((o) => o.metadata?.description["llb.customname"]).filter((n): n is string => !!n);
}

export function execs(ops: DecodedOp[]) {
  return ops.flatMap((o) => (o.op.op.case === "exec" ? [o.op.op.value] : []));
}

/** The decoded `errdefs.Source+json` detail of a returned error, if any. */
export function errorSource(run: FakeRun): { info: { filename: string; data: string }; ranges: { start: { line: number }; end: { line: number } }[] } | undefined {
  const d = run.error?.details.find((x) => x.typeUrl.endsWith("errdefs.Source+json"));
  return d ? JSON.parse(new TextDecoder().decode(d.value)) : undefined;
}
