/**
 * A fake BuildKit gateway (`moby.buildkit.v1.frontend.LLBBridge`) that runs a
 * frontend entrypoint the way buildkitd does and records what it asks for.
 *
 * The frontend is started as `node <entry>` with BuildKit's environment
 * (`BUILDKIT_FRONTEND_OPT_<n>=key=value`, `BUILDKIT_SESSION_ID`,
 * `BUILDKIT_WORKERS`, `BUILDKIT_EXPORTEDPRODUCT`); a grpc-js server speaks
 * cleartext HTTP/2 over the child's stdio (its stdout is our input, its stdin
 * our output), exactly like the gateway's pipes. Nothing is built: Solve
 * records the definition and hands out a ref id, ReadFile serves files of
 * `locals` for refs whose head is a `local://<name>` source, and
 * ResolveImageConfig answers from `images`.
 *
 *   const run = await runFrontend({ locals: { dockerfile: { Dockerfile: "FROM scratch" }, context: {} } });
 *   expect(run.error).toBeUndefined();
 *   console.log(dumpDefinition(run.finalDefinition()!));
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Duplex, Transform, type Readable, type TransformCallback, type Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { Any } from "@bufbuild/protobuf/wkt";
import {
  LLBBridge,
  type EvaluateRequest,
  type InputsResponse,
  type PongResponse,
  type ReadDirRequest,
  type ReadDirResponse,
  type ReadFileRequest,
  type ReadFileResponse,
  type ResolveImageConfigRequest,
  type ResolveImageConfigResponse,
  type ResolveSourceMetaRequest,
  type ResolveSourceMetaResponse,
  type Result,
  type ReturnRequest,
  type SolveRequest,
  type SolveResponse,
  type StatFileRequest,
  type StatFileResponse,
  type WarnRequest,
} from "../../frontend/gen/moby/buildkit/frontend/gateway_pb.ts";
import { DefinitionSchema, type Definition, type SourceOp } from "../../frontend/gen/moby/buildkit/solver/ops_pb.ts";
import { StatusSchema, type Status } from "../../frontend/gen/google/rpc/status_pb.ts";
import { StatSchema, type Stat } from "../../frontend/gen/fsutil/types/stat_pb.ts";
import { BUILDKIT_V024_FRONTEND_CAPS, BUILDKIT_V024_LLB_CAPS, DEPRECATED_CAPS } from "./caps.ts";
import { decodeDefinition, headOf, type DecodedOp } from "./llb-inspect.ts";

export { BUILDKIT_V024_FRONTEND_CAPS, BUILDKIT_V024_LLB_CAPS } from "./caps.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The bundled real frontend: `npm run bundle` output. */
export const DEFAULT_ENTRY = path.join(REPO_ROOT, "dist/cachefront.mjs");
const MAIN_SOURCE = path.join(REPO_ROOT, "frontend/main.ts");
const MAX_MESSAGE_BYTES = 16 << 20;
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

// ---------------------------------------------------------------------------
// Options and results

export interface FakeWorker {
  id: string;
  labels?: Record<string, string>;
  platforms: { os: string; architecture: string; variant?: string }[];
}

export interface FakeImage {
  /** The image config JSON (`{ architecture, os, config: { Env, ... }, rootfs, history }`). */
  config: object;
  /** Manifest digest; defaults to `sha256:` of the config JSON bytes. */
  digest?: string;
}

/** A gRPC status to fail a call with (google.rpc.Status, details optional). */
export interface FakeStatus {
  code: number;
  message: string;
  details?: { typeUrl: string; value: Uint8Array }[];
}

export type BridgeMethod = keyof typeof LLBBridge.method;
export type InterceptOutcome = { response: Record<string, unknown> } | { error: FakeStatus };
/**
 * Called for every request after it is recorded and before the fake answers.
 * Return `{ error }` to fail the call, `{ response }` (a message init shape)
 * to answer instead of the fake, or undefined for the default behaviour.
 */
export type Intercept = (
  method: BridgeMethod,
  request: unknown,
  run: FakeRun,
) => InterceptOutcome | undefined | Promise<InterceptOutcome | undefined>;

export interface FakeBridgeOptions {
  /** Frontend opts (`filename`, `build-arg:FOO`, `target`, ...), passed as BUILDKIT_FRONTEND_OPT_<n>. */
  opts?: Record<string, string>;
  /** Local name -> files (relative path -> content), served by ReadFile/StatFile/ReadDir. */
  locals?: Record<string, Record<string, string | Uint8Array>>;
  /**
   * Image ref -> config, for ResolveImageConfig / ResolveSourceMeta. Keys are
   * normalized (`busybox` means `docker.io/library/busybox:latest`); requests
   * are matched exactly, as the daemon needs fully qualified refs.
   */
  images?: Record<string, FakeImage>;
  /** Frontend inputs, returned by Inputs. */
  inputs?: Record<string, Definition>;
  /** Enabled gateway caps reported by Ping; default: BuildKit v0.24's. */
  frontendCaps?: readonly string[];
  /** Enabled LLB caps reported by Ping; default: BuildKit v0.24's. */
  llbCaps?: readonly string[];
  /** Default: one linux/amd64 worker. */
  workers?: FakeWorker[];
  /** BUILDKIT_SESSION_ID; default `fake-session-0123456789`. */
  sessionId?: string;
  /** BUILDKIT_EXPORTEDPRODUCT; default `buildkit`. */
  product?: string;
  /** Extra environment (the child otherwise gets only PATH, a private TMPDIR and the BUILDKIT_* variables). */
  env?: Record<string, string>;
  /** Script to run with node; default dist/cachefront.mjs, (re)built first if missing or stale. */
  entry?: string;
  /** Extra node arguments, e.g. `["--enable-source-maps"]`. */
  nodeArgs?: string[];
  /** Child working directory; default `/`, as in a container without WorkingDir. */
  cwd?: string;
  /** Kill the child and reject after this long; default 20 s. */
  timeoutMs?: number;
  intercept?: Intercept;
}

export interface FakeRun {
  /** Exit code, or null if killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  pinged: boolean;
  /** Method names in call order (`ping`, `solve`, `readFile`, ...). */
  calls: BridgeMethod[];
  /** Every Solve request, in order. */
  solves: SolveRequest[];
  resolves: ResolveImageConfigRequest[];
  sourceResolves: ResolveSourceMetaRequest[];
  reads: { ref: string; path: string }[];
  warnings: WarnRequest[];
  /** Every Return call, accepted or not. */
  returnCalls: ReturnRequest[];
  /** The accepted Return call (result or error). */
  returned?: ReturnRequest;
  result?: Result;
  error?: Status;
  /** Set when the child's stdout did not start with the HTTP/2 preface (stray output on stdout). */
  protocolError?: string;
  /** Milliseconds from spawn to the accepted Return and to process exit. */
  timings: { returnMs?: number; exitMs: number };
  /** The definition a Solve returned this ref id for (an empty Definition for ""). */
  definitionOf(ref: string): Definition | undefined;
  /**
   * The Definition behind the returned ref: for a `ref` result, or a `refs`
   * result with a single entry. An empty Definition when the ref is "" (scratch).
   */
  finalDefinition(): Definition | undefined;
  /** Definitions behind every returned ref, by key (`""` for a single `ref` result). */
  finalDefinitions(): Record<string, Definition>;
}

/** A call failure with a gRPC status, the way the daemon would fail it. */
export class FakeBridgeError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details: { typeUrl: string; value: Uint8Array }[] = [],
  ) {
    super(message);
    this.name = "FakeBridgeError";
  }
}

// ---------------------------------------------------------------------------
// Bundling

let bundlePromise: Promise<string> | undefined;

/**
 * Makes sure dist/cachefront.mjs exists and is newer than everything under
 * frontend/ (and scripts/bundle.mjs); bundles it otherwise. Once per process.
 */
export function ensureFrontendBundle(): Promise<string> {
  bundlePromise ??= (async () => {
    if (!existsSync(MAIN_SOURCE)) throw new Error(`fake bridge: ${path.relative(REPO_ROOT, MAIN_SOURCE)} does not exist yet`);
    const newestSource = Math.max(newestMtime(path.join(REPO_ROOT, "frontend")), mtimeOr0(path.join(REPO_ROOT, "scripts/bundle.mjs")));
    if (mtimeOr0(DEFAULT_ENTRY) <= newestSource) await bundle(MAIN_SOURCE, DEFAULT_ENTRY);
    return DEFAULT_ENTRY;
  })();
  bundlePromise.catch(() => {
    bundlePromise = undefined; // let a later call retry (e.g. after a source fix)
  });
  return bundlePromise;
}

/**
 * Bundles a TypeScript entry into one ESM file for node, the way the gateway
 * image is built: with scripts/bundle.mjs when it exists, else esbuild
 * directly. Writes to a temporary file and renames, so parallel test workers
 * never see a half-written bundle.
 */
export async function bundle(entry: string, outfile: string): Promise<void> {
  const tmp = `${outfile}.${process.pid}.${Date.now()}.tmp.mjs`;
  const script = path.join(REPO_ROOT, "scripts/bundle.mjs");
  try {
    if (existsSync(script)) {
      const { code, stderr } = await runNode([script, "--entry", entry, "--outfile", tmp], REPO_ROOT);
      if (code !== 0) throw new Error(`fake bridge: bundling ${entry} failed (exit ${code}):\n${stderr}`);
    } else {
      const esbuild = await import("esbuild");
      await esbuild.build({
        entryPoints: [entry],
        outfile: tmp,
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        nodePaths: [path.join(REPO_ROOT, "node_modules")],
        banner: { js: "import{createRequire}from'module';const require=createRequire(import.meta.url);" },
        logLevel: "error",
      });
    }
    renameSync(tmp, outfile);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function runNode(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

function mtimeOr0(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, mtimeOr0(full));
  }
  return newest;
}

/** A temporary directory for test artefacts (removed by the caller). */
export function makeTempDir(prefix = "fake-bridge-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

// ---------------------------------------------------------------------------
// Local file trees

interface FileTree {
  files: Map<string, Uint8Array>;
  dirs: Set<string>;
}

function cleanRel(p: string): string {
  const n = path.posix.normalize(`/${p.replace(/\\/g, "/")}`);
  return n === "/" ? "" : n.slice(1).replace(/\/$/, "");
}

function toTree(files: Record<string, string | Uint8Array>): FileTree {
  const tree: FileTree = { files: new Map(), dirs: new Set([""]) };
  for (const [name, content] of Object.entries(files)) {
    const rel = cleanRel(name);
    if (name.endsWith("/")) tree.dirs.add(rel);
    else tree.files.set(rel, typeof content === "string" ? new TextEncoder().encode(content) : content);
    for (let d = path.posix.dirname(rel); d !== "." && d !== ""; d = path.posix.dirname(d)) tree.dirs.add(d);
  }
  return tree;
}

function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** True if `pattern` matches `rel` or one of its parent directories (fsutil-style). */
function matchesPathOrParent(pattern: string, rel: string): boolean {
  const cleaned = cleanRel(pattern);
  if (cleaned === "") return true;
  const re = globToRegExp(cleaned);
  for (let p = rel; p !== "." && p !== ""; p = path.posix.dirname(p)) if (re.test(p)) return true;
  return false;
}

function parseJsonList(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.map(String) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which paths of a local the source op would transfer. Loose: follow paths
 * and include patterns select a path and everything under it, exclude
 * patterns (with `!` exceptions, last match wins) drop it.
 */
function localFilter(attrs: Record<string, string>): (rel: string) => boolean {
  const includes = [...(parseJsonList(attrs["local.includepattern"]) ?? []), ...(parseJsonList(attrs["local.followpaths"]) ?? [])];
  const excludes = parseJsonList(attrs["local.excludepatterns"]) ?? [];
  return (rel) => {
    if (rel === "") return true;
    if (includes.length > 0 && !includes.some((p) => matchesPathOrParent(p, rel) || matchesPathOrParent(rel, p))) return false;
    let excluded = false;
    for (const p of excludes) {
      const negated = p.startsWith("!");
      if (matchesPathOrParent(negated ? p.slice(1) : p, rel)) excluded = !negated;
    }
    return !excluded;
  };
}

// ---------------------------------------------------------------------------
// Image refs

function normalizeImageRef(ref: string): string {
  let name = ref;
  let suffix = "";
  const at = name.indexOf("@");
  if (at >= 0) {
    suffix = name.slice(at);
    name = name.slice(0, at);
  }
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  let tag = "";
  if (colon > lastSlash) {
    tag = name.slice(colon);
    name = name.slice(0, colon);
  }
  const first = name.split("/")[0]!;
  const hasHost = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasHost) name = name.includes("/") ? `docker.io/${name}` : `docker.io/library/${name}`;
  if (!tag && !suffix) tag = ":latest";
  return `${name}${tag}${suffix}`;
}

// ---------------------------------------------------------------------------
// The server

type MethodDesc = (typeof LLBBridge.methods)[number];

function serviceDefinition(): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<Message, Message>> = {};
  for (const m of LLBBridge.methods as readonly MethodDesc[]) {
    const input = m.input as DescMessage;
    const output = m.output as DescMessage;
    def[m.localName] = {
      path: `/${LLBBridge.typeName}/${m.name}`,
      requestStream: m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming",
      responseStream: m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming",
      requestSerialize: (msg: Message) => Buffer.from(toBinary(input, msg)),
      requestDeserialize: (buf: Buffer) => fromBinary(input, buf),
      responseSerialize: (msg: Message) => Buffer.from(toBinary(output, msg)),
      responseDeserialize: (buf: Buffer) => fromBinary(output, buf),
      originalName: m.localName,
    };
  }
  return def;
}

function toServiceError(err: unknown): Partial<grpc.StatusObject> & { message: string } {
  const e =
    err instanceof FakeBridgeError ? err : new FakeBridgeError(grpc.status.UNKNOWN, `fake bridge: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  const metadata = new grpc.Metadata();
  const status = create(StatusSchema, { code: e.code, message: e.message, details: e.details as Any[] });
  metadata.set("grpc-status-details-bin", Buffer.from(toBinary(StatusSchema, status)));
  return { code: e.code, details: e.message, message: e.message, metadata };
}

const notFound = (p: string) => new FakeBridgeError(grpc.status.NOT_FOUND, `open ${p}: no such file or directory`);

/** The fake daemon's state for one frontend run. */
class FakeDaemon {
  readonly run: FakeRun;
  private readonly refs = new Map<string, Definition>();
  private nextRef = 0;
  private readonly locals: Map<string, FileTree>;
  private readonly images = new Map<string, { config: Uint8Array; digest: string }>();
  private readonly startedAt = performance.now();

  constructor(private readonly options: FakeBridgeOptions) {
    this.locals = new Map(Object.entries(options.locals ?? {}).map(([k, v]) => [k, toTree(v)]));
    for (const [ref, img] of Object.entries(options.images ?? {})) {
      const config = new TextEncoder().encode(JSON.stringify(img.config));
      const digest = img.digest ?? `sha256:${createHash("sha256").update(config).digest("hex")}`;
      this.images.set(normalizeImageRef(ref), { config, digest });
    }
    const refs = this.refs;
    this.run = {
      exitCode: null,
      signal: null,
      stderr: "",
      pinged: false,
      calls: [],
      solves: [],
      resolves: [],
      sourceResolves: [],
      reads: [],
      warnings: [],
      returnCalls: [],
      timings: { exitMs: 0 },
      definitionOf: (ref) => (ref === "" ? create(DefinitionSchema, {}) : refs.get(ref)),
      finalDefinition() {
        const all = Object.values(this.finalDefinitions());
        return all.length === 1 ? all[0] : undefined;
      },
      finalDefinitions() {
        const r = this.result?.result;
        const out: Record<string, Definition> = {};
        const add = (key: string, id: string) => {
          const d = this.definitionOf(id);
          if (d) out[key] = d;
        };
        if (r?.case === "ref") add("", r.value.id);
        else if (r?.case === "refDeprecated") add("", r.value);
        else if (r?.case === "refs") for (const [k, v] of Object.entries(r.value.refs)) add(k, v.id);
        else if (r?.case === "refsDeprecated") for (const [k, v] of Object.entries(r.value.refs)) add(k, v);
        return out;
      },
    };
  }

  elapsed(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  handlers(): grpc.UntypedServiceImplementation {
    const impl: grpc.UntypedServiceImplementation = {};
    for (const m of LLBBridge.methods as readonly MethodDesc[]) {
      const name = m.localName as BridgeMethod;
      const output = m.output as DescMessage;
      if (m.methodKind !== "unary") {
        impl[name] = (call: grpc.ServerDuplexStream<unknown, unknown>) => {
          this.run.calls.push(name);
          call.emit("error", toServiceError(new FakeBridgeError(grpc.status.UNIMPLEMENTED, `fake bridge: ${m.name} is not implemented`)));
        };
        continue;
      }
      impl[name] = (call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => {
        void (async () => {
          this.run.calls.push(name);
          this.record(name, call.request);
          const intercepted = await this.options.intercept?.(name, call.request, this.run);
          if (intercepted && "error" in intercepted) {
            const s = intercepted.error;
            throw new FakeBridgeError(s.code, s.message, s.details);
          }
          if (intercepted) return create(output, intercepted.response as never);
          return create(output, (await this.answer(name, call.request)) as never);
        })().then(
          (res) => callback(null, res),
          (err: unknown) => callback(toServiceError(err)),
        );
      };
    }
    return impl;
  }

  private record(name: BridgeMethod, req: Message): void {
    switch (name) {
      case "ping":
        this.run.pinged = true;
        break;
      case "solve":
        this.run.solves.push(req as SolveRequest);
        break;
      case "resolveImageConfig":
        this.run.resolves.push(req as ResolveImageConfigRequest);
        break;
      case "resolveSourceMeta":
        this.run.sourceResolves.push(req as ResolveSourceMetaRequest);
        break;
      case "readFile": {
        const r = req as ReadFileRequest;
        this.run.reads.push({ ref: r.Ref, path: r.FilePath });
        break;
      }
      case "warn":
        this.run.warnings.push(req as WarnRequest);
        break;
      case "return":
        this.run.returnCalls.push(req as ReturnRequest);
        break;
      default:
        break;
    }
  }

  private async answer(name: BridgeMethod, req: Message): Promise<object> {
    switch (name) {
      case "ping":
        return this.ping();
      case "solve":
        return this.solve(req as SolveRequest);
      case "readFile":
        return this.readFile(req as ReadFileRequest);
      case "readDir":
        return this.readDir(req as ReadDirRequest);
      case "statFile":
        return this.statFile(req as StatFileRequest);
      case "evaluate":
        this.lookupRef((req as EvaluateRequest).Ref);
        return {};
      case "resolveImageConfig":
        return this.resolveImageConfig(req as ResolveImageConfigRequest);
      case "resolveSourceMeta":
        return this.resolveSourceMeta(req as ResolveSourceMetaRequest);
      case "inputs":
        return { Definitions: this.options.inputs ?? {} } satisfies Partial<InputsResponse>;
      case "warn":
        return {};
      case "return":
        return this.return(req as ReturnRequest);
      default:
        throw new FakeBridgeError(grpc.status.UNIMPLEMENTED, `fake bridge: ${name} is not implemented`);
    }
  }

  private ping(): Partial<PongResponse> {
    const caps = (ids: readonly string[]) =>
      [...new Set(ids)].sort().map((ID) => ({ ID, Enabled: true, Deprecated: DEPRECATED_CAPS.has(ID) }));
    return {
      FrontendAPICaps: caps(this.options.frontendCaps ?? BUILDKIT_V024_FRONTEND_CAPS) as PongResponse["FrontendAPICaps"],
      LLBCaps: caps(this.options.llbCaps ?? BUILDKIT_V024_LLB_CAPS) as PongResponse["LLBCaps"],
      Workers: workersOf(this.options).map((w) => ({
        ID: w.id,
        Labels: w.labels ?? {},
        platforms: w.platforms.map((p) => ({ OS: p.os, Architecture: p.architecture, Variant: p.variant ?? "" })),
      })) as PongResponse["Workers"],
    };
  }

  private solve(req: SolveRequest): Partial<SolveResponse> {
    if (req.Definition && req.Frontend) {
      throw new FakeBridgeError(grpc.status.UNKNOWN, "cannot solve with both Definition and Frontend specified");
    }
    if (req.Frontend) {
      throw new FakeBridgeError(grpc.status.UNIMPLEMENTED, `fake bridge: solving with frontend ${req.Frontend} is not supported`);
    }
    const def = req.Definition;
    let id = "";
    if (def && def.def.length > 0) {
      // Fail like the daemon's loader on a definition it cannot parse.
      const ops = decodeDefinition(def);
      const byDigest = new Set(ops.map((o) => o.digest));
      for (const o of ops) {
        for (const i of o.op.inputs) {
          if (!byDigest.has(i.digest)) throw new FakeBridgeError(grpc.status.INVALID_ARGUMENT, `invalid missing input digest ${i.digest}`);
        }
      }
      id = `ref-${++this.nextRef}`;
      this.refs.set(id, def);
    }
    const refDef = def ?? create(DefinitionSchema, {});
    if (!req.allowResultReturn) return { ref: id };
    if (!req.allowResultArrayRef) return { result: { result: { case: "refDeprecated", value: id } } as Result };
    return { result: { result: { case: "ref", value: { id, def: refDef } } } as Result };
  }

  private lookupRef(id: string): Definition | undefined {
    if (id === "") return undefined;
    const def = this.refs.get(id);
    if (!def) throw new FakeBridgeError(grpc.status.UNKNOWN, `no such ref: ${id}`);
    return def;
  }

  /** The local file tree behind a ref, filtered by the source's attrs; undefined for scratch. */
  private treeOf(id: string): { tree: FileTree; visible: (rel: string) => boolean } | undefined {
    const def = this.lookupRef(id);
    if (!def) return undefined;
    const head: DecodedOp | undefined = headOf(def);
    if (!head) return undefined;
    const describe = () => (head.kind === "source" ? `source op ${(head.op.op.value as SourceOp).identifier}` : `${head.kind} op`);
    if (head.kind !== "source") throw new FakeBridgeError(grpc.status.UNIMPLEMENTED, `fake bridge: cannot read from ${describe()}`);
    const src = head.op.op.value as SourceOp;
    if (!src.identifier.startsWith("local://")) throw new FakeBridgeError(grpc.status.UNIMPLEMENTED, `fake bridge: cannot read from ${describe()}`);
    const name = src.identifier.slice("local://".length);
    const tree = this.locals.get(name);
    if (!tree) throw new FakeBridgeError(grpc.status.NOT_FOUND, `no access allowed to dir "${name}"`);
    return { tree, visible: localFilter(src.attrs) };
  }

  private readFile(req: ReadFileRequest): Partial<ReadFileResponse> {
    const t = this.treeOf(req.Ref);
    const rel = cleanRel(req.FilePath);
    if (!t || !t.visible(rel)) throw notFound(req.FilePath);
    const data = t.tree.files.get(rel);
    if (!data) {
      if (t.tree.dirs.has(rel)) throw new FakeBridgeError(grpc.status.UNKNOWN, `read ${req.FilePath}: is a directory`);
      throw notFound(req.FilePath);
    }
    if (req.Range) {
      const start = Math.min(Number(req.Range.Offset), data.length);
      const len = req.Range.Length > 0n ? Number(req.Range.Length) : data.length;
      return { Data: data.subarray(start, Math.min(data.length, start + len)) };
    }
    return { Data: data };
  }

  private stat(tree: FileTree, rel: string): Stat | undefined {
    const data = tree.files.get(rel);
    const base = rel === "" ? "/" : path.posix.basename(rel);
    // Go's fs.FileMode: ModeDir is 1<<31.
    if (data) return create(StatSchema, { path: base, mode: 0o644, size: BigInt(data.length) });
    if (tree.dirs.has(rel)) return create(StatSchema, { path: base, mode: (0x80000000 | 0o755) >>> 0 });
    return undefined;
  }

  private statFile(req: StatFileRequest): Partial<StatFileResponse> {
    const t = this.treeOf(req.Ref);
    const rel = cleanRel(req.Path);
    const st = t && t.visible(rel) ? this.stat(t.tree, rel) : undefined;
    if (!st) throw new FakeBridgeError(grpc.status.NOT_FOUND, `stat ${req.Path}: no such file or directory`);
    return { stat: st };
  }

  private readDir(req: ReadDirRequest): Partial<ReadDirResponse> {
    const t = this.treeOf(req.Ref);
    const dir = cleanRel(req.DirPath);
    if (!t) {
      if (dir === "") return { entries: [] };
      throw notFound(req.DirPath);
    }
    if (!t.tree.dirs.has(dir) || !t.visible(dir)) throw notFound(req.DirPath);
    const names = new Set<string>();
    for (const p of [...t.tree.files.keys(), ...t.tree.dirs]) {
      if (p === "" || path.posix.dirname(p) !== (dir === "" ? "." : dir)) continue;
      if (t.visible(p)) names.add(p);
    }
    const include = req.IncludePattern ? globToRegExp(req.IncludePattern) : undefined;
    const entries = [...names]
      .sort()
      .filter((p) => !include || include.test(path.posix.basename(p)))
      .map((p) => this.stat(t.tree, p)!);
    return { entries };
  }

  private image(ref: string): { config: Uint8Array; digest: string } {
    let img = this.images.get(ref);
    if (!img) {
      const at = ref.indexOf("@");
      if (at >= 0) {
        // name[:tag]@digest: match by digest under the same repository.
        const digest = ref.slice(at + 1);
        const repo = normalizeImageRef(ref.slice(0, at)).replace(/:[^:/]+$/, "");
        for (const [key, candidate] of this.images) {
          if (candidate.digest === digest && key.replace(/:[^:/]+$/, "") === repo) img = candidate;
        }
      }
    }
    if (!img) throw new FakeBridgeError(grpc.status.NOT_FOUND, `${ref}: not found`);
    return img;
  }

  private resolveImageConfig(req: ResolveImageConfigRequest): Partial<ResolveImageConfigResponse> {
    const img = this.image(req.Ref);
    return { Digest: img.digest, Config: img.config, Ref: req.Ref };
  }

  private resolveSourceMeta(req: ResolveSourceMetaRequest): Partial<ResolveSourceMetaResponse> {
    const src = req.Source;
    if (!src) throw new FakeBridgeError(grpc.status.INVALID_ARGUMENT, "source is required");
    const prefix = "docker-image://";
    if (!src.identifier.startsWith(prefix)) return { Source: src };
    const img = this.image(src.identifier.slice(prefix.length));
    return { Source: src, Image: { Digest: img.digest, Config: img.config } as ResolveSourceMetaResponse["Image"] };
  }

  private return(req: ReturnRequest): object {
    const hasError = req.error !== undefined && req.error.code !== grpc.status.OK;
    if ((req.result === undefined) === !hasError) throw new FakeBridgeError(grpc.status.UNKNOWN, "gateway return must be either result or err");
    if (req.result) {
      const r = req.result.result;
      const ids: string[] =
        r.case === "ref" ? [r.value.id]
        : r.case === "refDeprecated" ? [r.value]
        : r.case === "refs" ? Object.values(r.value.refs).map((x) => x.id)
        : r.case === "refsDeprecated" ? Object.values(r.value.refs)
        : [];
      for (const id of ids) {
        if (id !== "" && !this.refs.has(id)) throw new FakeBridgeError(grpc.status.UNKNOWN, `return reference ${id} not found`);
      }
    }
    if (this.run.returned) throw new FakeBridgeError(grpc.status.UNKNOWN, "gateway result is already set");
    this.run.returned = req;
    if (hasError) this.run.error = req.error;
    else this.run.result = req.result;
    this.run.timings.returnMs = this.elapsed();
    return {};
  }
}

function workersOf(options: FakeBridgeOptions): FakeWorker[] {
  return (
    options.workers ?? [
      {
        id: "fakeworker0",
        labels: {
          "org.mobyproject.buildkit.worker.executor": "oci",
          "org.mobyproject.buildkit.worker.hostname": "fakehost",
          "org.mobyproject.buildkit.worker.network": "host",
          "org.mobyproject.buildkit.worker.snapshotter": "overlayfs",
        },
        platforms: [{ os: "linux", architecture: "amd64" }],
      },
    ]
  );
}

/** The environment buildkitd gives a gateway frontend (frontend/gateway/gateway.go). */
export function frontendEnv(options: FakeBridgeOptions): Record<string, string> {
  const env: Record<string, string> = { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" };
  Object.entries(options.opts ?? {}).forEach(([k, v], i) => {
    env[`BUILDKIT_FRONTEND_OPT_${i}`] = `${k}=${v}`;
  });
  env.BUILDKIT_SESSION_ID = options.sessionId ?? "fake-session-0123456789";
  env.BUILDKIT_WORKERS = JSON.stringify(
    workersOf(options).map((w) => ({
      id: w.id,
      labels: w.labels ?? {},
      platforms: w.platforms,
      gcPolicy: null,
      buildkitVersion: { package: "github.com/moby/buildkit", version: "v0.24.0", revision: "b772c318368090fb2ffc9c0fed92e0a35bf82389" },
      cdiDevices: null,
    })),
  );
  env.BUILDKIT_EXPORTEDPRODUCT = options.product ?? "buildkit";
  return { ...env, ...options.env };
}

/** Passes bytes through, noting whether the stream starts with the HTTP/2 client preface. */
class PrefaceCheck extends Transform {
  private seen = Buffer.alloc(0);
  private done = false;
  constructor(private readonly onBad: (msg: string) => void) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (!this.done) {
      this.seen = Buffer.concat([this.seen, chunk]);
      const n = Math.min(this.seen.length, HTTP2_PREFACE.length);
      if (!this.seen.subarray(0, n).equals(HTTP2_PREFACE.subarray(0, n))) {
        this.done = true;
        this.onBad(`stdout did not start with the HTTP/2 preface: ${JSON.stringify(this.seen.subarray(0, 80).toString("latin1"))}`);
      } else if (n === HTTP2_PREFACE.length) this.done = true;
    }
    cb(null, chunk);
  }
}

/**
 * The child's stdio as one Duplex for the HTTP/2 server: reads its stdout,
 * writes its stdin. Node wraps a non-socket Duplex in a JSStreamSocket, which
 * asserts if a write is still pending when the session writes again (e.g. its
 * GOAWAY on shutdown); so every write completes, even when the child is gone
 * (EPIPE and writes after exit are dropped, as a closed pipe would).
 */
class ChildConnection extends Duplex {
  constructor(
    private readonly from: Readable,
    private readonly to: Writable,
  ) {
    super();
    from.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) from.pause();
    });
    from.once("end", () => this.push(null));
    from.once("error", () => this.push(null));
    to.on("error", () => {});
  }
  override _read(): void {
    this.from.resume();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.to.destroyed || this.to.writableEnded) {
      cb();
      return;
    }
    this.to.write(chunk, () => cb());
  }
  override _final(cb: (err?: Error | null) => void): void {
    if (!this.to.destroyed && !this.to.writableEnded) this.to.end();
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.from.destroy();
    this.to.destroy();
    cb(err);
  }
}

/**
 * Runs a frontend against the fake gateway and resolves when the process has
 * exited. Rejects only when it does not exit within `timeoutMs` (the child is
 * killed; the error carries its stderr) or cannot be started.
 */
export async function runFrontend(options: FakeBridgeOptions = {}): Promise<FakeRun> {
  const entry = options.entry ?? (await ensureFrontendBundle());
  const timeoutMs = options.timeoutMs ?? 20_000;
  const daemon = new FakeDaemon(options);
  const run = daemon.run;

  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(serviceDefinition(), daemon.handlers());
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());

  // A private TMPDIR, removed afterwards: a killed frontend leaves its stdio socket directory behind.
  const tmpdir = makeTempDir("fake-bridge-run-");
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), entry], {
    cwd: options.cwd ?? "/",
    env: { TMPDIR: tmpdir, ...frontendEnv(options) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (run.stderr += s));
  // The child may exit with data still unsent; EPIPE here is expected.
  child.stdin!.on("error", () => {});
  const fromChild = child.stdout!.pipe(
    new PrefaceCheck((msg) => {
      run.protocolError ??= msg;
    }),
  );
  const connection = new ChildConnection(fromChild, child.stdin!);
  injector.injectConnection(connection);

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new Error(
            `fake bridge: frontend did not exit within ${timeoutMs} ms (calls so far: ${run.calls.join(", ") || "none"})\n--- stderr ---\n${run.stderr}`,
          ),
        );
      }, timeoutMs);
      child.once("error", (err) => {
        clearTimeout(timer);
        reject(new Error(`fake bridge: cannot start ${entry}: ${err.message}`));
      });
      child.once("close", (code, signal) => {
        clearTimeout(timer);
        run.exitCode = code;
        run.signal = signal;
        run.timings.exitMs = daemon.elapsed();
        resolve();
      });
    });
  } finally {
    // The session normally ends with the child's stdout; this only cleans up
    // after a killed child or a grandchild still holding the pipes.
    server.forceShutdown();
    injector.destroy();
    connection.destroy();
    rmSync(tmpdir, { recursive: true, force: true });
  }
  return run;
}
