// Nodes → stages (upstream instructions.Parse): ARGs before the first FROM
// are meta args, every FROM opens a stage, everything else joins the current
// stage.

import type { InstructionNode, ParseResult } from "../parser/index.ts";
import { commentFor, parseInstructionNode } from "./commands.ts";
import { InstructionError } from "./errors.ts";
import type { ArgInstruction, Command, Instruction, ParsedInstructions, ParseOptions, Stage } from "./types.ts";

/**
 * Parses one node, wrapping failures as upstream does:
 * `dockerfile parse error on line N: <message>` with the node's lines.
 */
export function parseInstruction(node: InstructionNode, opts: ParseOptions = {}): Instruction {
  try {
    return parseInstructionNode(node, opts);
  } catch (e) {
    if (e instanceof InstructionError) throw e;
    throw InstructionError.forNode(node, (e as Error).message);
  }
}

/**
 * A single instruction that may appear in a stage (upstream ParseCommand),
 * e.g. an ONBUILD trigger read back from an image config.
 */
export function parseCommand(node: InstructionNode, opts: ParseOptions = {}): Command {
  const ins = parseInstruction(node, opts);
  if (ins.kind === "from") {
    throw new InstructionError("FROM is not a command type", node, "FROM is not a command type", node);
  }
  return ins;
}

export function parseInstructions(result: Pick<ParseResult, "nodes">, opts: ParseOptions = {}): ParsedInstructions {
  const metaArgs: ArgInstruction[] = [];
  const stages: Stage[] = [];

  for (const node of result.nodes) {
    const ins = parseInstruction(node, opts);
    if (stages.length === 0 && ins.kind === "arg") {
      metaArgs.push(ins);
      continue;
    }
    if (ins.kind === "from") {
      const stage: Stage = {
        name: ins.stageName,
        originalName: ins.originalName,
        index: stages.length,
        baseName: ins.baseName,
        from: ins,
        commands: [],
        comment: commentFor(node.comments, ins.stageName ?? ""),
      };
      if (ins.platform !== undefined) stage.platform = ins.platform;
      // A name used twice is allowed, as upstream: references resolve to the
      // later stage, and the DuplicateStageName check warns about it.
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (!current) {
      const msg = "no build stage in current context";
      throw new InstructionError(msg, node, msg, node);
    }
    current.commands.push(ins);
  }
  return { metaArgs, stages };
}
