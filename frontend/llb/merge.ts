/**
 * Merge and diff vertices (need the `mergeop` / `diffop` LLB caps).
 * Merge layers its inputs in order; the Go helper drops scratch inputs and
 * skips the op entirely when one input remains, and so do we.
 */
import { create } from "@bufbuild/protobuf";
import { OpSchema } from "./proto.ts";
import { State } from "./state.ts";
import { uniqueOutputs, type Constraints, type OpParts, type Output, type Vertex } from "./vertex.ts";

export class MergeVertex implements Vertex {
  readonly inputs: readonly Output[];
  constructor(
    private readonly layers: readonly Output[],
    readonly constraints: Constraints,
  ) {
    this.inputs = uniqueOutputs(layers);
  }

  toOp(inputIndex: (o: Output) => number): OpParts {
    return {
      op: create(OpSchema, {
        op: { case: "merge", value: { inputs: this.layers.map((o) => ({ input: BigInt(inputIndex(o)) })) } },
        constraints: {},
      }),
    };
  }
}

export function merge(states: readonly State[], constraints: Constraints = {}): State {
  const layers = states.filter((s) => !s.isScratch);
  if (layers.length === 0) return State.scratch();
  if (layers.length === 1) return layers[0]!;
  const outputs = layers.map((s) => s.output!);
  return layers[0]!.withOutput({ vertex: new MergeVertex(outputs, constraints), index: 0 });
}

export class DiffVertex implements Vertex {
  readonly inputs: readonly Output[];
  constructor(
    private readonly lower: Output | undefined,
    private readonly upper: Output | undefined,
    readonly constraints: Constraints,
  ) {
    this.inputs = uniqueOutputs([lower, upper].filter((o): o is Output => !!o));
  }

  toOp(inputIndex: (o: Output) => number): OpParts {
    const idx = (o: Output | undefined) => (o ? BigInt(inputIndex(o)) : -1n);
    return {
      op: create(OpSchema, {
        op: { case: "diff", value: { lower: { input: idx(this.lower) }, upper: { input: idx(this.upper) } } },
        constraints: {},
      }),
    };
  }
}

export function diff(lower: State, upper: State, constraints: Constraints = {}): State {
  return upper.withOutput({ vertex: new DiffVertex(lower.output, upper.output, constraints), index: 0 });
}
