/**
 * The LLB graph: immutable vertices whose outputs feed other vertices.
 *
 * A vertex knows how to turn itself into a `pb.Op` once the digests of its
 * inputs are known; `marshal.ts` walks the graph, hashes each op and builds
 * the Definition. Vertices never change after construction, so a vertex can be
 * marshalled once per definition and shared freely between states.
 */
import type { Op, OpMetadata } from "./proto.ts";
import type { SourceLocation } from "./source-map.ts";

/** One output of a vertex: what a State points at. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}

/** Per-op metadata that is not part of the op digest (progress, cache hints, locations). */
export interface Constraints {
  /** Progress name (`llb.customname`). */
  readonly customName?: string;
  /** Extra description entries (e.g. `com.docker.dockerfile.v1.command`). */
  readonly description?: Readonly<Record<string, string>>;
  /** Forces re-execution (no-cache). */
  readonly ignoreCache?: boolean;
  readonly progressGroup?: { readonly id: string; readonly name: string; readonly weak: boolean };
  /** Dockerfile lines this op comes from, so errors can show them. */
  readonly locations?: readonly SourceLocation[];
}

/** What a vertex contributes to the Definition, given its inputs' digests. */
export interface OpParts {
  op: Op;
  metadata?: OpMetadata;
}

export interface Vertex {
  /** Outputs this vertex reads, in op input order (duplicates removed). */
  readonly inputs: readonly Output[];
  readonly constraints: Constraints;
  /**
   * Builds the op. `inputIndex(o)` gives the position of `o` in `inputs`;
   * the marshaller fills `op.inputs` itself.
   */
  toOp(inputIndex: (o: Output) => number): OpParts;
}

/** Removes repeated outputs while keeping first-seen order. */
export function uniqueOutputs(outputs: Iterable<Output>): Output[] {
  const out: Output[] = [];
  for (const o of outputs) {
    if (!out.some((x) => x.vertex === o.vertex && x.index === o.index)) out.push(o);
  }
  return out;
}
