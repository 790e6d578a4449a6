/**
 * Turns a State into a `pb.Definition`: every reachable op, marshalled
 * deterministically and keyed by `sha256:<hex>` of its bytes, followed by the
 * terminal op that points at the result. Same graph in, same bytes out: ops
 * are emitted in a fixed post-order, map keys are sorted, and nothing depends
 * on time, randomness or object identity.
 */
import { createHash } from "node:crypto";
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import { DefinitionSchema, InputSchema, OpMetadataSchema, OpSchema, type Definition, type OpMetadata } from "./proto.ts";
import type { SourceLocation, SourceMap } from "./source-map.ts";
import type { State } from "./state.ts";
import type { Output, Vertex } from "./vertex.ts";

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

export interface MarshalResult {
  definition: Definition;
  /** Digest of the op producing the result (undefined for scratch). */
  head?: string;
}

/** Marshals the graph behind `state`. A scratch state gives an empty Definition (an empty result). */
export function marshal(state: State | Output | undefined): MarshalResult {
  const output = state === undefined ? undefined : "vertex" in state ? state : state.output;
  if (!output) return { definition: create(DefinitionSchema, {}) };

  const digests = new Map<Vertex, string>();
  const ops: Uint8Array[] = [];
  const emitted = new Set<string>();
  const metadata = new Map<string, OpMetadata>();
  const locations = new Map<string, SourceLocation[]>();

  // Iterative post-order: a 10,000-instruction Dockerfile is a 10,000-deep chain.
  const stack: { vertex: Vertex; expanded: boolean }[] = [{ vertex: output.vertex, expanded: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (digests.has(top.vertex)) {
      stack.pop();
      continue;
    }
    if (!top.expanded) {
      top.expanded = true;
      // Push in reverse so the first input is finished first.
      for (let i = top.vertex.inputs.length - 1; i >= 0; i--) {
        const dep = top.vertex.inputs[i]!.vertex;
        if (!digests.has(dep)) stack.push({ vertex: dep, expanded: false });
      }
      continue;
    }
    stack.pop();
    const v = top.vertex;
    const inputs = v.inputs;
    const { op, metadata: extra } = v.toOp((o) => {
      const i = inputs.findIndex((x) => x.vertex === o.vertex && x.index === o.index);
      if (i < 0) throw new Error("vertex referenced an output it does not declare as input");
      return i;
    });
    op.inputs = inputs.map((o) => create(InputSchema, { digest: digests.get(o.vertex)!, index: BigInt(o.index) }));
    const bytes = toBinary(OpSchema, op);
    const digest = digestOf(bytes);
    digests.set(v, digest);
    if (!emitted.has(digest)) {
      emitted.add(digest);
      ops.push(bytes);
    }
    const md = metadataFor(v, extra);
    if (md) metadata.set(digest, mergeMetadata(metadata.get(digest), md));
    if (v.constraints.locations?.length) {
      locations.set(digest, [...(locations.get(digest) ?? []), ...v.constraints.locations]);
    }
  }

  const head = digests.get(output.vertex)!;
  const terminal = toBinary(OpSchema, create(OpSchema, { inputs: [{ digest: head, index: BigInt(output.index) }] }));
  ops.push(terminal);
  metadata.set(digestOf(terminal), create(OpMetadataSchema, { caps: { constraints: true, platform: true } }));

  const init: MessageInitShape<typeof DefinitionSchema> = { def: ops, metadata: sortedRecord(metadata) };
  if (locations.size > 0) init.Source = sourceFor(locations);
  return { definition: create(DefinitionSchema, init), head };
}

function metadataFor(v: Vertex, extra: OpMetadata | undefined): OpMetadata | undefined {
  const c = v.constraints;
  const description: Record<string, string> = { ...(c.description ?? {}) };
  if (c.customName) description["llb.customname"] = c.customName;
  const keys = Object.keys(description).sort();
  if (!extra && keys.length === 0 && !c.ignoreCache && !c.progressGroup) return undefined;
  const md = extra ?? create(OpMetadataSchema, {});
  if (keys.length > 0) {
    const sorted: Record<string, string> = {};
    for (const k of keys) sorted[k] = description[k]!;
    md.description = sorted;
  }
  if (c.ignoreCache) md.ignoreCache = true;
  if (c.progressGroup) md.progressGroup = create(OpMetadataSchema, { progressGroup: c.progressGroup }).progressGroup;
  return md;
}

/**
 * Two vertices can marshal to the same op (two stages FROM the same image, a
 * stage and `COPY --from=<that image>`). As in BuildKit's Go client
 * (mergeMetadata in client/llb), their metadata merge in marshal order: the
 * later vertex wins description keys (so the progress name BuildKit shows),
 * the progress group and cache export; ignoreCache and caps accumulate.
 */
function mergeMetadata(earlier: OpMetadata | undefined, later: OpMetadata): OpMetadata {
  if (!earlier) return later;
  const description: Record<string, string> = { ...earlier.description, ...later.description };
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(description).sort()) sorted[k] = description[k]!;
  const caps: Record<string, boolean> = {};
  for (const k of [...new Set([...Object.keys(earlier.caps), ...Object.keys(later.caps)])].sort()) caps[k] = true;
  return create(OpMetadataSchema, {
    ignoreCache: earlier.ignoreCache || later.ignoreCache,
    description: sorted,
    caps,
    exportCache: later.exportCache ?? earlier.exportCache,
    progressGroup: later.progressGroup ?? earlier.progressGroup,
  });
}

function sourceFor(byDigest: Map<string, SourceLocation[]>): MessageInitShape<typeof DefinitionSchema>["Source"] {
  const infos: SourceMap[] = [];
  const indexOf = (m: SourceMap) => {
    let i = infos.indexOf(m);
    if (i < 0) i = infos.push(m) - 1;
    return i;
  };
  const locations: Record<string, { locations: { sourceIndex: number; ranges: { start: { line: number; character: number }; end: { line: number; character: number } }[] }[] }> = {};
  for (const digest of [...byDigest.keys()].sort()) {
    locations[digest] = {
      locations: byDigest.get(digest)!.map((loc) => ({
        sourceIndex: indexOf(loc.sourceMap),
        ranges: loc.ranges.map((r) => ({ start: { line: r.start, character: 0 }, end: { line: r.end, character: 0 } })),
      })),
    };
  }
  return {
    locations,
    infos: infos.map((m) => ({ filename: m.filename, data: m.data, language: m.language, definition: m.definition })),
  };
}

function sortedRecord<V>(m: Map<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
