/**
 * One frontend run against the LLBBridge: capabilities from Ping, and the
 * calls a Dockerfile build needs, in our own vocabulary. Everything the
 * conversion code knows about the gateway goes through this interface, so it
 * can be faked in unit tests without gRPC.
 */
import { create, type MessageInitShape } from "@bufbuild/protobuf";
import type { Definition, SourceInfo } from "../gen/moby/buildkit/solver/ops_pb.ts";
import type { Result } from "../gen/moby/buildkit/frontend/gateway_pb.ts";
import type { Status } from "../gen/google/rpc/status_pb.ts";
import { AttestationKind, ResultSchema } from "../gen/moby/buildkit/frontend/gateway_pb.ts";
import { toPbPlatform } from "../llb/pb-util.ts";
import type { Platform } from "../llb/platform.ts";
import type { BridgeClient } from "./bridge-client.ts";
import type { FrontendEnvironment } from "./environment.ts";

export interface Caps {
  /** Gateway API caps (`solve.base`, `gateway.warnings`, ...). */
  readonly frontend: ReadonlySet<string>;
  /** LLB caps (`mergeop`, `exec.mount.cache.sharing`, ...). */
  readonly llb: ReadonlySet<string>;
}

export interface ImageConfigResult {
  /** Manifest digest the ref resolved to. */
  digest: string;
  /** Raw image config JSON. */
  config: Uint8Array;
  /** The ref after source policies. */
  ref: string;
}

export interface ResolveImageOptions {
  platform?: Platform;
  resolveMode?: string;
  logName?: string;
  /** OCI layout store (for oci-layout:// contexts); registry when absent. */
  ociStore?: { sessionId: string; storeId: string };
}

export interface SolveOptions {
  evaluate?: boolean;
  /** Remote caches BuildKit may load results from (`--cache-from`). */
  cacheImports?: readonly { type: string; attrs: Record<string, string> }[];
}

export interface WarnOptions {
  /** Vertex to attach the warning to (the Dockerfile-loading op). */
  digest: string;
  level?: number;
  short: string;
  detail?: string[];
  url?: string;
  info?: SourceInfo;
  ranges?: { start: number; end: number }[];
}

/** The gateway operations a build uses. */
export interface Gateway {
  readonly env: FrontendEnvironment;
  readonly caps: Caps;
  /** Solves a definition lazily and returns the ref id ("" for an empty result). */
  solve(def: Definition, opts?: SolveOptions): Promise<string>;
  /** A file of a solved ref; `range` reads only part of it. */
  readFile(ref: string, path: string, range?: { offset: number; length: number }): Promise<Uint8Array>;
  resolveImageConfig(ref: string, opts: ResolveImageOptions): Promise<ImageConfigResult>;
  inputs(): Promise<Record<string, Definition>>;
  warn(w: WarnOptions): Promise<void>;
}

function capsOf(pong: { FrontendAPICaps: { ID: string; Enabled: boolean }[]; LLBCaps: { ID: string; Enabled: boolean }[] }): Caps {
  const enabled = (list: { ID: string; Enabled: boolean }[]) => new Set(list.filter((c) => c.Enabled).map((c) => c.ID));
  return { frontend: enabled(pong.FrontendAPICaps), llb: enabled(pong.LLBCaps) };
}

/**
 * Connects, asking Ping and Inputs at once (one round trip instead of two).
 * Inputs is only used when Ping says the gateway has it; otherwise its answer
 * (or error) is dropped.
 */
export async function connect(client: BridgeClient, env: FrontendEnvironment): Promise<BridgeGateway> {
  const inputs = client.call("inputs", {}).then(
    (res) => res.Definitions,
    () => ({}) as Record<string, Definition>,
  );
  const caps = capsOf(await client.call("ping", {}));
  return new BridgeGateway(client, env, caps, caps.frontend.has("frontend.inputs") ? inputs : Promise.resolve({}));
}

export class BridgeGateway implements Gateway {
  constructor(
    private readonly client: BridgeClient,
    readonly env: FrontendEnvironment,
    readonly caps: Caps,
    private inputsOnce?: Promise<Record<string, Definition>>,
  ) {}

  async solve(def: Definition, opts: SolveOptions = {}): Promise<string> {
    const res = await this.client.call("solve", {
      Definition: def,
      allowResultReturn: true,
      allowResultArrayRef: true,
      Evaluate: !!opts.evaluate && this.caps.frontend.has("gateway.solve.evaluate"),
      CacheImports: this.caps.frontend.has("importcaches") ? (opts.cacheImports ?? []).map((c) => ({ Type: c.type, Attrs: c.attrs })) : [],
    });
    const r = res.result?.result;
    if (r?.case === "ref") return r.value.id;
    if (r?.case === "refDeprecated") return r.value;
    return res.ref;
  }

  async readFile(ref: string, path: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
    const Range = range ? { Offset: BigInt(range.offset), Length: BigInt(range.length) } : undefined;
    const res = await this.client.call("readFile", { Ref: ref, FilePath: path, Range });
    return res.Data;
  }

  async resolveImageConfig(ref: string, opts: ResolveImageOptions): Promise<ImageConfigResult> {
    const res = await this.client.call("resolveImageConfig", {
      Ref: ref,
      Platform: opts.platform ? toPbPlatform(opts.platform) : undefined,
      ResolveMode: opts.resolveMode ?? "",
      LogName: opts.logName ?? "",
      ResolverType: opts.ociStore ? 1 : 0,
      SessionID: opts.ociStore?.sessionId ?? "",
      StoreID: opts.ociStore?.storeId ?? "",
    });
    return { digest: res.Digest, config: res.Config, ref: res.Ref || ref };
  }

  /** Frontend inputs; asked once per run (the Dockerfile loader and the context both need them). */
  inputs(): Promise<Record<string, Definition>> {
    if (!this.caps.frontend.has("frontend.inputs")) return Promise.resolve({});
    return (this.inputsOnce ??= this.client.call("inputs", {}).then((res) => res.Definitions));
  }

  async warn(w: WarnOptions): Promise<void> {
    if (!this.caps.frontend.has("gateway.warnings")) return;
    const enc = new TextEncoder();
    await this.client.call("warn", {
      digest: w.digest,
      level: BigInt(w.level ?? 1),
      short: enc.encode(w.short),
      detail: (w.detail ?? []).map((d) => enc.encode(d)),
      url: w.url ?? "",
      info: w.info,
      ranges: (w.ranges ?? []).map((r) => ({ start: { line: r.start, character: 0 }, end: { line: r.end, character: 0 } })),
    });
  }
}

/** What a build hands back: refs by key plus metadata, before it becomes a pb Result. */
export interface BuildResult {
  /** Single ref (single-platform) or refs by platform id. */
  ref?: string;
  refs?: Record<string, string>;
  metadata: Record<string, Uint8Array>;
  /** Attestations by platform id (the ids of `refs.platforms`). */
  attestations?: Record<string, BuildAttestation[]>;
}

/** An attestation of a result: a solved ref holding an in-toto statement (InToto) or a directory of them (Bundle). */
export interface BuildAttestation {
  kind: "intoto" | "bundle";
  ref: string;
  /** The statement's path in `ref` (InToto only). */
  path?: string;
  metadata: Readonly<Record<string, string>>;
  predicateType?: string;
}

export function toPbResult(r: BuildResult): Result {
  const metadata: Record<string, Uint8Array> = {};
  for (const k of Object.keys(r.metadata).sort()) metadata[k] = r.metadata[k]!;
  const attestations = toPbAttestations(r.attestations ?? {});
  if (r.refs) {
    const refs: Record<string, { id: string }> = {};
    for (const k of Object.keys(r.refs).sort()) refs[k] = { id: r.refs[k]! };
    return create(ResultSchema, { result: { case: "refs", value: { refs } }, metadata, attestations });
  }
  return create(ResultSchema, { result: { case: "ref", value: { id: r.ref ?? "" } }, metadata, attestations });
}

function toPbAttestations(byPlatform: Record<string, BuildAttestation[]>): MessageInitShape<typeof ResultSchema>["attestations"] {
  const enc = new TextEncoder();
  const out: NonNullable<MessageInitShape<typeof ResultSchema>["attestations"]> = {};
  for (const id of Object.keys(byPlatform).sort()) {
    out[id] = {
      attestation: byPlatform[id]!.map((a) => ({
        kind: a.kind === "bundle" ? AttestationKind.Bundle : AttestationKind.InToto,
        ref: { id: a.ref },
        path: a.path ?? "",
        inTotoPredicateType: a.predicateType ?? "",
        metadata: Object.fromEntries(Object.keys(a.metadata).sort().map((k) => [k, enc.encode(a.metadata[k]!)])),
      })),
    };
  }
  return out;
}

export async function sendReturn(client: BridgeClient, outcome: { result: Result } | { error: Status }): Promise<void> {
  await client.call("return", outcome);
}
