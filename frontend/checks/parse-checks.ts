/**
 * Checks that only need the parsed Dockerfile: the ones upstream runs in its
 * parser and instruction parser (empty continuation lines, FROM/AS casing,
 * MAINTAINER, description comments) and right after it (stage names,
 * instruction casing).
 */
import type { InstructionNode, ParseResult } from "../dockerfile/parser/index.ts";
import type { Stage } from "../dockerfile/instructions/index.ts";
import type { Linter } from "./linter.ts";
import type { LineRange } from "./rule.ts";
import {
  ConsistentInstructionCasing,
  DuplicateStageName,
  FromAsCasing,
  InvalidDefinitionDescription,
  MaintainerDeprecated,
  NoEmptyContinuation,
  ReservedStageName,
  StageNameCasing,
} from "./rules.ts";

export function linesOf(node: Pick<InstructionNode, "startLine" | "endLine">): LineRange[] {
  return [{ start: node.startLine, end: node.endLine }];
}

/** Warnings the parser itself found (upstream: parser.Parse's Warnings). */
export function checkParseWarnings(lint: Linter, parsed: ParseResult): void {
  for (const w of parsed.warnings) {
    if (w.rule === NoEmptyContinuation.name) lint.run(NoEmptyContinuation, [{ start: w.line, end: w.line }], NoEmptyContinuation.format());
  }
}

/**
 * Per-instruction checks of upstream's instruction parser, for the nodes up
 * to `lastLine` (instruction parsing stops at the first bad instruction, and
 * so do its checks).
 */
export function checkNodes(lint: Linter, parsed: ParseResult, lastLine = Infinity): void {
  for (const node of parsed.nodes) {
    if (node.startLine > lastLine) break;
    checkNode(lint, node);
  }
}

function checkNode(lint: Linter, node: InstructionNode): void {
  switch (node.keyword) {
    case "maintainer":
      lint.run(MaintainerDeprecated, linesOf(node), MaintainerDeprecated.format());
      return;
    case "from": {
      const args = node.args;
      if (args.length === 3 && args[2] !== args[2]!.toLowerCase()) lint.run(StageNameCasing, linesOf(node), StageNameCasing.format(args[2]!));
      if (!fromMatchesAs(node.rawKeyword, args)) lint.run(FromAsCasing, linesOf(node), FromAsCasing.format(node.rawKeyword, args[1]!));
      if (args.length === 3 && /^as$/i.test(args[1]!)) checkDescription(lint, node, "FROM", [args[2]!.toLowerCase()]);
      return;
    }
    case "arg":
      checkDescription(lint, node, "ARG", node.args.map((a) => a.split("=")[0]!));
      return;
  }
}

/** `FROM x as y`: the AS keyword takes the casing of FROM, when FROM itself is consistently cased. */
function fromMatchesAs(from: string, args: readonly string[]): boolean {
  if (args.length < 3) return true;
  const as = args[1]!;
  if (from === from.toLowerCase()) return as === as.toLowerCase();
  if (from === from.toUpperCase()) return as === as.toUpperCase();
  return true; // inconsistent FROM casing is ConsistentInstructionCasing's business
}

/** The comment right above a stage or ARG, when there is one, should start with its name. */
function checkDescription(lint: Linter, node: InstructionNode, instruction: string, names: readonly string[]): void {
  const comments = node.comments;
  if (comments.length === 0 || names.length === 0) return;
  const first = comments[comments.length - 1]!.split(" ")[0]!;
  if (names.includes(first)) return;
  const example = names.length > 1 ? "<arg_key>" : names[0]!;
  lint.run(InvalidDefinitionDescription, linesOf(node), InvalidDefinitionDescription.format(instruction, example));
}

const RESERVED_STAGE_NAMES = new Set(["context", "scratch"]);

/** Stage names: reserved words, and names used twice (the later stage wins every reference). */
export function checkStageNames(lint: Linter, stages: readonly Stage[]): void {
  const seen = new Set<string>();
  for (const st of stages) {
    const name = st.name;
    if (!name) continue;
    const where = linesOf(st.from.node);
    if (RESERVED_STAGE_NAMES.has(name)) lint.run(ReservedStageName, where, ReservedStageName.format(name));
    if (seen.has(name)) lint.run(DuplicateStageName, where, DuplicateStageName.format(name));
    seen.add(name);
  }
}

/**
 * Instruction keywords should be all upper or all lower case, and the same
 * as the majority of the file's (FROM lines and stage instructions; ARGs
 * before the first FROM do not count, as upstream).
 */
export function checkInstructionCasing(lint: Linter, stages: readonly Stage[]): void {
  const nodes = stages.flatMap((st) => [st.from.node, ...st.commands.map((c) => c.node)]);
  let lower = 0;
  let upper = 0;
  for (const n of nodes) {
    const k = n.rawKeyword;
    if (k === k.toLowerCase()) lower++;
    else if (k === k.toUpperCase()) upper++;
  }
  const majorityLower = lower > upper;
  for (const n of nodes) {
    const k = n.rawKeyword;
    const casing = majorityLower ? (k !== k.toLowerCase() ? "lowercase" : undefined) : k !== k.toUpperCase() ? "uppercase" : undefined;
    if (casing) lint.run(ConsistentInstructionCasing, linesOf(n), ConsistentInstructionCasing.format(k, casing));
  }
}
