/**
 * `frontend.targets` (`--print=targets`, `--call=targets`): the stages a
 * build can target, from the parsed Dockerfile alone (nothing is resolved),
 * as upstream's ListTargets: name (lower-cased, as stage names are), whether
 * it is the default (the last stage), its description (a `# <name> text`
 * comment right above FROM), its base and platform as written, and where it
 * is. The text is upstream's TARGET/DESCRIPTION table.
 */
import { parseInstructions } from "../dockerfile/instructions/index.ts";
import { goBase64, location, table, type JsonValue } from "./format.ts";
import type { Subrequest, SubrequestAnswer, SubrequestContext } from "./index.ts";

export interface TargetInfo {
  name?: string;
  default: boolean;
  description: string;
  base: string;
  platform?: string;
  lines: { start: number; end: number }[];
}

export const targetsRequest: Subrequest = {
  name: "frontend.targets",
  version: "1.0.0",
  description: "List all targets current build supports",
  opts: [],
  metadata: ["result.json", "result.txt"],
  handle: async (ctx) => targetsAnswer(listTargets(ctx), ctx.dockerfile.data),
};

export function listTargets(ctx: Pick<SubrequestContext, "parsed" | "extensions">): TargetInfo[] {
  const { stages } = parseInstructions(ctx.parsed(), { extraRunFlags: ctx.extensions.flatMap((e) => e.runFlags ?? []) });
  return stages.map((s, i) => ({
    name: s.name,
    default: i === stages.length - 1,
    description: s.comment,
    base: s.baseName,
    platform: s.platform,
    lines: [{ start: s.from.node.startLine, end: s.from.node.endLine }],
  }));
}

export function targetsAnswer(targets: readonly TargetInfo[], dockerfile: Uint8Array): SubrequestAnswer {
  const json = {
    targets:
      targets.length === 0
        ? null
        : targets.map(
            (t): JsonValue => ({
              name: t.name || undefined,
              default: t.default || undefined,
              description: t.description || undefined,
              base: t.base || undefined,
              platform: t.platform || undefined,
              location: location(t.lines),
            }),
          ),
    sources: [goBase64(dockerfile)],
  };
  const rows = targets.map((t) => [t.default ? (t.name ? `${t.name} (default)` : "(default)") : (t.name ?? ""), t.description]);
  return { json, text: table([["TARGET", "DESCRIPTION"], ...rows], 1) };
}
