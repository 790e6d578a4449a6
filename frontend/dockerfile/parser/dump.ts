// Upstream's Node.Dump() s-expression format, used by the parser conformance
// files (`testfiles/<case>/result`).

import type { InstructionNode, ParseResult } from "./nodes.ts";
import { goQuote, goQuoteSlice, trimSpace } from "./text.ts";

/** One instruction: `run ["--flag"] "arg" ...`, ONBUILD as `onbuild (run ...)`. */
export function dumpNode(node: InstructionNode): string {
  let s = node.keyword;
  if (node.flags.length > 0) s += " " + goQuoteSlice(node.flags);
  if (node.child) {
    // Upstream keeps the trigger as a child of an otherwise empty Next node.
    s += " (" + dumpNode(node.child) + ")";
  } else {
    for (const a of node.args) s += " " + goQuote(a);
  }
  return trimSpace(s);
}

/** The whole file: one parenthesised node per line, as upstream's root Dump(). */
export function dumpResult(result: Pick<ParseResult, "nodes">): string {
  return result.nodes.map((n) => "(" + dumpNode(n) + ")").join("\n");
}
