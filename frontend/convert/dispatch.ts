/**
 * Dispatches one instruction of a stage to its converter. Errors come back
 * located at the instruction's lines, so users see the `>>>` snippet.
 */
import { LocatedError } from "../gateway/errors.ts";
import { ShellExpansionError } from "../dockerfile/shell/index.ts";
import type { DispatchContext } from "./context.ts";
import { dispatchCopy } from "./copy.ts";
import * as cmds from "./image-commands.ts";
import { dispatchRun } from "./run.ts";
import type { Command, StageState } from "./stage-state.ts";

export function dispatch(d: StageState, cmd: Command, ctx: DispatchContext): void {
  d.cmdIsOnBuild = cmd.isOnBuild;
  const c = cmd.instruction;
  if (c.kind !== "from") ctx.checks.instruction(d, c, ctx);
  try {
    switch (c.kind) {
      case "env":
        return cmds.dispatchEnv(d, c, ctx);
      case "arg":
        return cmds.dispatchArg(d, c, ctx);
      case "label":
        return cmds.dispatchLabel(d, c, ctx);
      case "user":
        return cmds.dispatchUser(d, c, ctx);
      case "workdir":
        return cmds.dispatchWorkdir(d, c.path, ctx, c);
      case "cmd":
        return cmds.dispatchCmd(d, c, ctx);
      case "entrypoint":
        return cmds.dispatchEntrypoint(d, c, ctx);
      case "expose":
        return cmds.dispatchExpose(d, c, ctx);
      case "volume":
        return cmds.dispatchVolume(d, c, ctx);
      case "stopsignal":
        return cmds.dispatchStopSignal(d, c, ctx);
      case "shell":
        return cmds.dispatchShell(d, c, ctx);
      case "maintainer":
        return cmds.dispatchMaintainer(d, c, ctx);
      case "healthcheck":
        return cmds.dispatchHealthcheck(d, c, ctx);
      case "onbuild":
        return cmds.dispatchOnbuild(d, c);
      case "run":
        return dispatchRun(d, c, cmd.sources, cmd.claims, ctx);
      case "copy": {
        const from = cmd.sources[0];
        if (from && !from.dispatched) {
          throw new Error(`cannot copy from stage "${c.from}", it needs to be defined before current stage "${d.stageName}"`);
        }
        return dispatchCopy(d, { instruction: c, source: from ? from.state : ctx.buildContext, fromContext: !from, isAdd: false }, ctx);
      }
      case "add":
        return dispatchCopy(d, { instruction: c, source: ctx.buildContext, fromContext: true, isAdd: true }, ctx);
      case "from":
        throw new Error("FROM cannot appear inside a stage");
    }
  } catch (err) {
    throw locate(err, [{ start: c.node.startLine, end: c.node.endLine }]);
  }
}

export function locate(err: unknown, ranges: { start: number; end: number }[]): LocatedError {
  if (err instanceof LocatedError) return err;
  if (err instanceof ShellExpansionError) return new LocatedError(err.message, ranges);
  return new LocatedError(err instanceof Error ? err.message : String(err), ranges);
}
