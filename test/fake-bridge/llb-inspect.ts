/**
 * Helpers for asserting on LLB `Definition`s in tests: decode the ops, find
 * them by kind or name, walk their inputs, and dump a whole definition as
 * readable JSON for debugging or snapshots.
 *
 * A Definition is a list of marshalled `pb.Op`s keyed by the sha256 of their
 * bytes; the last one is the terminal op (no `op` set) whose `inputs[0]`
 * names the result.
 */
import { createHash } from "node:crypto";
import { fromBinary } from "@bufbuild/protobuf";
import {
  OpSchema,
  type Definition,
  type Op,
  type OpMetadata,
  type SourceOp,
} from "../../frontend/gen/moby/buildkit/solver/ops_pb.ts";

export type OpKind = "source" | "exec" | "file" | "build" | "merge" | "diff" | "terminal";

export interface DecodedOp {
  /** `sha256:<hex>` of the op's marshalled bytes: the key inputs refer to. */
  digest: string;
  /** Position in `Definition.def`. */
  index: number;
  kind: OpKind;
  op: Op;
  /** `Definition.metadata[digest]`, if any. */
  metadata?: OpMetadata;
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export function opKind(op: Op): OpKind {
  return op.op.case ?? "terminal";
}

/** Every op of the definition, in definition order (the terminal op last). */
export function decodeDefinition(def: Definition): DecodedOp[] {
  return def.def.map((bytes, index) => {
    const digest = digestOf(bytes);
    const op = fromBinary(OpSchema, bytes);
    const metadata = def.metadata[digest];
    return { digest, index, kind: opKind(op), op, ...(metadata ? { metadata } : {}) };
  });
}

/** Ops by digest. */
export function opsByDigest(def: Definition | DecodedOp[]): Map<string, DecodedOp> {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  return new Map(ops.map((o) => [o.digest, o]));
}

/**
 * The op producing the result: the terminal op's first input. A definition
 * without a terminal op (not what BuildKit clients send) yields its last op.
 * Undefined for an empty definition (scratch).
 */
export function headOf(def: Definition | DecodedOp[]): DecodedOp | undefined {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  const last = ops[ops.length - 1];
  if (!last) return undefined;
  if (last.kind !== "terminal") return last;
  const input = last.op.inputs[0];
  return input ? opsByDigest(ops).get(input.digest) : undefined;
}

/** Ops of one kind (the terminal op excluded unless asked for), in definition order. */
export function findOps(def: Definition | DecodedOp[], kind: OpKind, where?: (op: DecodedOp) => boolean): DecodedOp[] {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  return ops.filter((o) => o.kind === kind && (!where || where(o)));
}

/** Source ops, optionally only those whose identifier starts with `prefix` (`local://`, `docker-image://`, ...). */
export function sourceOps(def: Definition | DecodedOp[], prefix = ""): (DecodedOp & { source: SourceOp })[] {
  return findOps(def, "source")
    .map((o) => ({ ...o, source: o.op.op.value as SourceOp }))
    .filter((o) => o.source.identifier.startsWith(prefix));
}

/** The `llb.customname` of every op that has one, in definition order. */
export function customNames(def: Definition | DecodedOp[]): string[] {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  return ops.map((o) => customName(o)).filter((n): n is string => n !== undefined && n !== "");
}

export function customName(op: DecodedOp): string | undefined {
  return op.metadata?.description["llb.customname"];
}

/** The op with this `llb.customname` (the first one, if several). */
export function findByName(def: Definition | DecodedOp[], name: string | RegExp): DecodedOp | undefined {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  return ops.find((o) => {
    const n = customName(o);
    return n !== undefined && (typeof name === "string" ? n === name : name.test(n));
  });
}

/** The ops `op` reads from, in input order (index of the output used in `.output`). */
export function inputsOf(def: Definition | DecodedOp[], op: DecodedOp | string): (DecodedOp & { output: number })[] {
  const byDigest = opsByDigest(def);
  const from = typeof op === "string" ? byDigest.get(op) : op;
  if (!from) throw new Error(`no op ${String(op)} in definition`);
  return from.op.inputs.map((i) => {
    const target = byDigest.get(i.digest);
    if (!target) throw new Error(`op ${from.digest} references unknown input ${i.digest}`);
    return { ...target, output: Number(i.index) };
  });
}

/**
 * Follows first inputs from `from` (default: the head) down to an op without
 * inputs: for a linear stage, its instructions newest first.
 */
export function firstInputChain(def: Definition | DecodedOp[], from?: DecodedOp): DecodedOp[] {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  const byDigest = opsByDigest(ops);
  const chain: DecodedOp[] = [];
  const seen = new Set<string>();
  for (let cur = from ?? headOf(ops); cur && !seen.has(cur.digest); ) {
    seen.add(cur.digest);
    chain.push(cur);
    const next = cur.op.inputs[0];
    cur = next ? byDigest.get(next.digest) : undefined;
  }
  return chain;
}

/** Every op reachable from `from` (default: the head), dependencies first. */
export function reachable(def: Definition | DecodedOp[], from?: DecodedOp): DecodedOp[] {
  const ops = Array.isArray(def) ? def : decodeDefinition(def);
  const byDigest = opsByDigest(ops);
  const start = from ?? headOf(ops);
  const out: DecodedOp[] = [];
  const seen = new Set<string>();
  const visit = (o: DecodedOp) => {
    if (seen.has(o.digest)) return;
    seen.add(o.digest);
    for (const i of o.op.inputs) {
      const dep = byDigest.get(i.digest);
      if (dep) visit(dep);
    }
    out.push(o);
  };
  if (start) visit(start);
  return out;
}

/**
 * A JSON-friendly view of a protobuf-es message: `$typeName` dropped, oneofs
 * as `{ <case>: value }`, bigint as a decimal string, bytes as UTF-8 text when
 * they are printable (else `base64:<...>`), nested Definitions decoded (see
 * `definitionToPlain`), and proto3 defaults (empty strings, 0, false, empty
 * lists and maps, unset fields) omitted.
 */
export function plain(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "bigint") return value === 0n ? undefined : value.toString();
  if (typeof value === "number") return value === 0 ? undefined : value;
  if (typeof value === "boolean") return value || undefined;
  if (typeof value === "string") return value === "" ? undefined : value;
  if (value instanceof Uint8Array) return value.length === 0 ? undefined : bytesToText(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => plain(v) ?? null);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    // A nested definition (SourceInfo.definition, Ref.def, ...): its ops, decoded.
    if (obj.$typeName === "pb.Definition") return definitionToPlain(obj as Definition);
    // A oneof group: { case, value }.
    if ("case" in obj && Object.keys(obj).every((k) => k === "case" || k === "value")) {
      if (obj.case === undefined) return undefined;
      return { [String(obj.case)]: plain(obj.value) ?? {} };
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      if (key === "$typeName") continue;
      const v = plain(obj[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return String(value);
}

function bytesToText(b: Uint8Array): string {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(b);
  // Printable: no replacement characters and no control characters but \t \n \r.
  if (!text.includes("\uFFFD") && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text)) return text;
  return `base64:${Buffer.from(b).toString("base64")}`;
}

export interface DumpedOp {
  /** `#<index>` in Definition.def. */
  "#": number;
  digest: string;
  kind: OpKind;
  /** Inputs as `#<index>[<output>]`, for reading the graph without digests. */
  inputs?: string[];
  name?: string;
  /** The op's oneof, e.g. `{ source: { identifier, attrs } }`; absent for the terminal op. */
  op?: unknown;
  platform?: unknown;
  constraints?: unknown;
  metadata?: unknown;
}

/** The definition as plain data (see `plain`): the head op's `#index`, then every op in order. */
export function definitionToPlain(def: Definition): { head?: string; ops: DumpedOp[]; source?: unknown } {
  const ops = decodeDefinition(def);
  const indexOf = new Map(ops.map((o) => [o.digest, o.index]));
  const head = headOf(ops);
  const dumped = ops.map((o): DumpedOp => {
    const entry: DumpedOp = { "#": o.index, digest: o.digest, kind: o.kind };
    if (o.op.inputs.length > 0) entry.inputs = o.op.inputs.map((i) => `#${indexOf.get(i.digest) ?? "?"}[${i.index}]`);
    const name = customName(o);
    if (name) entry.name = name;
    // The op oneof directly ({ source: ... }, { exec: ... }), then platform and constraints.
    const op = plain(o.op.op);
    if (op !== undefined) entry.op = op;
    const platform = plain(o.op.platform);
    if (platform !== undefined) entry.platform = platform;
    const constraints = plain(o.op.constraints);
    if (constraints !== undefined) entry.constraints = constraints;
    const md = plain(o.metadata);
    if (md !== undefined) entry.metadata = md;
    return entry;
  });
  const result: { head?: string; ops: DumpedOp[]; source?: unknown } = head ? { head: `#${head.index}`, ops: dumped } : { ops: dumped };
  const source = plain(def.Source);
  if (source !== undefined) result.source = source;
  return result;
}

/** Readable, stable JSON of a definition (see `definitionToPlain`). */
export function dumpDefinition(def: Definition): string {
  return JSON.stringify(definitionToPlain(def), null, 2);
}
