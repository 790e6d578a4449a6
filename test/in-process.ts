/**
 * Converting a Dockerfile in this process, without gRPC or a child process:
 * for tests and benchmarks that measure or validate conversion itself. Images
 * resolve to a stub config; nothing is solved.
 */
import { parseBuildOptions } from "../frontend/convert/build-options.ts";
import { convertDockerfile, type ConvertResult } from "../frontend/convert/convert.ts";
import { NamedContexts } from "../frontend/convert/named-contexts.ts";
import type { ParseResult } from "../frontend/dockerfile/parser/index.ts";
import type { Definition } from "../frontend/gen/moby/buildkit/solver/ops_pb.ts";
import type { Gateway } from "../frontend/gateway/session.ts";
import { local, marshal, placeholder } from "../frontend/llb/index.ts";
import { BUILDKIT_V024_LLB_CAPS } from "./fake-bridge/caps.ts";
import type { ConversionChecks } from "../frontend/checks/index.ts";
import type { ConvertExtension } from "../frontend/convert/extension.ts";

export const STUB_IMAGE = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd: ["sh"] },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "ab".repeat(32)] },
};

/** A Gateway whose every image resolves to `config`, with BuildKit v0.24's LLB caps. */
export function stubGateway(config: object = STUB_IMAGE): Gateway {
  const raw = new TextEncoder().encode(JSON.stringify(config));
  return {
    env: { opts: new Map(), sessionId: "in-process", workers: [], product: "test" },
    caps: { frontend: new Set(["frontend.inputs"]), llb: new Set(BUILDKIT_V024_LLB_CAPS) },
    solve: async () => "",
    readFile: async () => new Uint8Array(),
    resolveImageConfig: async (ref) => ({ digest: "sha256:" + "cd".repeat(32), config: raw, ref }),
    inputs: async () => ({}),
    warn: async () => {},
  };
}

/**
 * Converts parsed Dockerfile `text` for linux/amd64 (target: the last stage unless named) and marshals it.
 * `checks` and `allStages` pass on to convertDockerfile (build checks, linting every stage).
 */
export async function convertInProcess(
  text: string,
  parsed: ParseResult,
  opts: { target?: string; gw?: Gateway; checks?: ConversionChecks; allStages?: boolean; extensions?: ConvertExtension[] } = {},
): Promise<{ result: ConvertResult; definition: Definition }> {
  const gw = opts.gw ?? stubGateway();
  const ctx = placeholder("context");
  const result = await convertDockerfile({
    gw,
    options: { ...parseBuildOptions(gw.env), target: opts.target ?? "" },
    parsed,
    sourceMap: { filename: "Dockerfile", language: "Dockerfile", data: new TextEncoder().encode(text) },
    targetPlatform: { os: "linux", architecture: "amd64" },
    implicitTarget: true,
    buildContext: ctx.state,
    extensions: opts.extensions ?? [],
    namedContexts: new NamedContexts(gw, new Map(), "default"),
    checks: opts.checks,
    allStages: opts.allStages,
  });
  ctx.resolve(local("context", { sessionId: "in-process", followPaths: result.contextPaths }));
  return { result, definition: marshal(result.state).definition };
}
