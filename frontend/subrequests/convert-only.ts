/**
 * Conversion for a subrequest: the target (first platform) converted as a
 * build would, but never solved, so the main context is only a placeholder
 * name in the graph (lint collects its checks itself).
 */
import { convertDockerfile, type ConvertInput, type ConvertResult } from "../convert/convert.ts";
import { NamedContexts } from "../convert/named-contexts.ts";
import { placeholder } from "../llb/placeholder.ts";
import type { SubrequestContext } from "./index.ts";

export function convertOnly(ctx: SubrequestContext, extra: Pick<ConvertInput, "checks" | "allStages"> = {}): Promise<ConvertResult> {
  const { gw, options } = ctx;
  const implicit = options.targetPlatforms.length === 0;
  return convertDockerfile({
    gw,
    options,
    parsed: ctx.parsed(),
    sourceMap: ctx.sourceMap,
    targetPlatform: implicit ? options.buildPlatforms[0]! : options.targetPlatforms[0]!,
    implicitTarget: implicit,
    buildContext: placeholder("build context").state,
    extensions: ctx.extensions,
    namedContexts: new NamedContexts(gw, options.namedContexts, options.imageResolveMode),
    ...extra,
  });
}
