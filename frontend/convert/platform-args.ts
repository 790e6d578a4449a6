/**
 * The automatic platform build args (BUILDPLATFORM, TARGETARCH, ...). They
 * are "global": usable in FROM lines, and inside a stage once declared with a
 * bare `ARG NAME`. A build arg of the same name overrides the automatic value.
 */
import { formatPlatform, formatPlatformAll, type Platform } from "../llb/platform.ts";

export function platformArgs(build: Platform, target: Platform, targetStage: string, overrides: ReadonlyMap<string, string>): [string, string][] {
  const pairs: [string, string][] = [
    ["BUILDPLATFORM", formatPlatform(build)],
    ["BUILDOS", build.os],
    ["BUILDOSVERSION", build.osVersion ?? ""],
    ["BUILDARCH", build.architecture],
    ["BUILDVARIANT", build.variant ?? ""],
    ["TARGETPLATFORM", formatPlatformAll(target)],
    ["TARGETOS", target.os],
    ["TARGETOSVERSION", target.osVersion ?? ""],
    ["TARGETARCH", target.architecture],
    ["TARGETVARIANT", target.variant ?? ""],
    ["TARGETSTAGE", targetStage],
  ];
  return pairs.map(([k, v]) => [k, overrides.get(k) ?? v]);
}
