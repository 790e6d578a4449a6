// Errors of the instructions layer, carrying the instruction's lines so they
// can be attached to the Dockerfile source like upstream's ErrorLocation.

import type { InstructionNode } from "../parser/index.ts";

export class InstructionError extends Error {
  readonly startLine: number;
  readonly endLine: number;
  /** The message without the "dockerfile parse error on line N: " prefix. */
  readonly detail: string;
  readonly node?: InstructionNode;

  constructor(message: string, lines: { startLine: number; endLine: number }, detail = message, node?: InstructionNode) {
    super(message);
    this.name = "InstructionError";
    this.startLine = lines.startLine;
    this.endLine = lines.endLine;
    this.detail = detail;
    if (node) this.node = node;
  }

  /**
   * Upstream wraps errors from parsing one instruction as
   * `dockerfile parse error on line <start>: <message>`.
   */
  static forNode(node: InstructionNode, detail: string): InstructionError {
    return new InstructionError(`dockerfile parse error on line ${node.startLine}: ${detail}`, node, detail, node);
  }
}
