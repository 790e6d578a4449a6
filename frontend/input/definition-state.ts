/**
 * Wraps an existing Definition (a frontend input) as a State, so it can feed
 * ops like any other source: the ops are copied in as they are and the
 * head becomes the state's output.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { OpSchema, type Definition, type Op, type OpMetadata } from "../gen/moby/buildkit/solver/ops_pb.ts";
import { State, digestOf } from "../llb/index.ts";
import type { Constraints, OpParts, Output, Vertex } from "../llb/vertex.ts";

class DefinitionVertex implements Vertex {
  readonly constraints: Constraints = {};
  constructor(
    private readonly op: Op,
    readonly inputs: readonly Output[],
    private readonly metadata: OpMetadata | undefined,
  ) {}
  toOp(): OpParts {
    // Inputs are re-filled by the marshaller from this.inputs, in the same order.
    return { op: { ...this.op }, metadata: this.metadata };
  }
}

export function definitionState(def: Definition): State {
  if (def.def.length === 0) return State.scratch();
  const byDigest = new Map<string, Op>();
  for (const bytes of def.def) byDigest.set(digestOf(bytes), fromBinary(OpSchema, bytes));
  const terminal = fromBinary(OpSchema, def.def[def.def.length - 1]!);
  const headInput = terminal.inputs[0];
  if (!headInput) return State.scratch();
  const vertices = new Map<string, Vertex>();
  const build = (digest: string): Vertex => {
    const cached = vertices.get(digest);
    if (cached) return cached;
    const op = byDigest.get(digest);
    if (!op) throw new Error(`input definition references unknown op ${digest}`);
    const inputs = op.inputs.map((i) => ({ vertex: build(i.digest), index: Number(i.index) }));
    const v = new DefinitionVertex(op, inputs, def.metadata[digest]);
    vertices.set(digest, v);
    return v;
  };
  return State.fromOutput({ vertex: build(headInput.digest), index: Number(headInput.index) });
}
