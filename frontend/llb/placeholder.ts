/**
 * A vertex whose real definition is decided later. The main build context is
 * the case in point: COPY instructions reference it while stages are being
 * converted, but which paths it must sync (`local.followpaths`) is only known
 * once every stage has been seen. Upstream uses a mutable Output for this.
 */
import type { Constraints, OpParts, Output, Vertex } from "./vertex.ts";
import { State } from "./state.ts";

export class PlaceholderVertex implements Vertex {
  private resolved?: Output;

  private get target(): Output {
    if (!this.resolved) throw new Error(`placeholder "${this.label}" was used before it was resolved`);
    return this.resolved;
  }

  constructor(private readonly label: string) {}

  get inputs(): readonly Output[] {
    return this.target.vertex.inputs;
  }

  get constraints(): Constraints {
    return this.target.vertex.constraints;
  }

  toOp(inputIndex: (o: Output) => number): OpParts {
    return this.target.vertex.toOp(inputIndex);
  }

  /** Fixes what this placeholder stands for; `state` must be a single-output, non-scratch state. */
  resolve(state: State): void {
    if (!state.output || state.output.index !== 0) throw new Error(`placeholder "${this.label}" needs a first-output state`);
    this.resolved = state.output;
  }
}

/** A State backed by a placeholder, plus the function that fills it in. */
export function placeholder(label: string): { state: State; resolve: (s: State) => void } {
  const v = new PlaceholderVertex(label);
  return { state: State.fromOutput({ vertex: v, index: 0 }), resolve: (s) => v.resolve(s) };
}
