/**
 * ONBUILD triggers, as the official frontend runs them: a stage built on an
 * image runs the image's `Config.OnBuild`; a stage built on another stage runs
 * that stage's ONBUILD instructions. Each trigger is parsed as one
 * instruction, located at the child's FROM line, marked so its progress name
 * reads `ONBUILD ...`, and put before the stage's own instructions. The
 * triggers are then dropped from the image config: they fire once.
 */
import { parseDockerfile } from "../dockerfile/parser/index.ts";
import { parseCommand, type Instruction } from "../dockerfile/instructions/index.ts";
import { LocatedError } from "../gateway/errors.ts";
import type { DispatchContext } from "./context.ts";
import type { Command, StageState } from "./stage-state.ts";

/**
 * Prepends the triggers of every reachable stage that has not had them yet.
 * Returns true when a trigger added a dependency on another stage or image
 * (reachability must then be computed again).
 */
export function initOnBuildTriggers(
  ctx: DispatchContext,
  reachable: ReadonlySet<StageState>,
  commandsOf: (c: Instruction) => Pick<Command, "sources" | "claims">,
): boolean {
  let newDeps = false;
  for (const d of reachable) {
    if (d.onBuildInit || !d.stage || d.namedContext) continue;
    d.onBuildInit = true;
    const triggers = d.base
      ? d.base.stage?.commands.flatMap((c) => (c.kind === "onbuild" ? [c.expression] : [])) ?? []
      : (d.image?.config.OnBuild ?? []);
    if (d.image) delete d.image.config.OnBuild;
    if (triggers.length === 0) continue;
    const where = d.location;
    const commands: Command[] = triggers.map((trigger) => {
      const { nodes } = parseTrigger(trigger, where);
      const node = { ...nodes[0]!, startLine: where[0]!.start, endLine: where[0]!.end };
      let instruction: Instruction;
      try {
        instruction = parseCommand(node, { extraRunFlags: ctx.extensions.flatMap((e) => e.runFlags ?? []) });
      } catch (e) {
        throw new LocatedError(`ONBUILD ${trigger}: ${(e as Error).message}`, where);
      }
      const { sources, claims } = commandsOf(instruction);
      if (ctx.stages.link(d, sources, instruction)) newDeps = true;
      return { instruction, sources, claims, isOnBuild: true };
    });
    d.commands = [...commands, ...d.commands];
    d.cmdTotal += commands.length;
  }
  return newDeps;
}

function parseTrigger(trigger: string, where: { start: number; end: number }[]) {
  let parsed;
  try {
    parsed = parseDockerfile(trigger);
  } catch (e) {
    throw new LocatedError(`ONBUILD ${trigger}: ${(e as Error).message}`, where);
  }
  if (parsed.nodes.length !== 1) throw new LocatedError("onbuild trigger should be a single expression", where);
  return parsed;
}
