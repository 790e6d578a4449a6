/**
 * `frontend.lint` (`--print=lint` with buildx 0.13 and BUILDX_EXPERIMENTAL=1,
 * `--call=check` with newer buildx): runs the build checks without building.
 * As upstream's DockerfileLint, the Dockerfile is converted (base images
 * resolved, nothing solved) for the requested target, or for every stage
 * when no target is given; whatever fails the conversion is not an error of
 * the request but the result's `buildError`, next to the warnings found
 * before it. `# check=` and BUILDKIT_DOCKERFILE_CHECK apply as in a build.
 *
 * result.json is upstream's LintResults as Go's encoding/json writes it
 * (see lint-format.ts); result.statuscode is "1" when there are warnings or
 * an error. result.txt is what buildx prints for a client that does not know
 * the request (buildx 0.13 prints it as is): newer buildx's rendering, the
 * warnings with their Dockerfile snippets and then the error.
 */
import { convertOnly } from "./convert-only.ts";
import { CHECK_BUILD_ARG, createChecks, parseCheckOptions, type CheckWarning } from "../checks/index.ts";
import { messageOf } from "../gateway/errors.ts";
import { toLocated } from "../located.ts";
import { loadIgnorePatterns } from "../input/context-ignore.ts";
import type { DockerfileSource } from "../input/dockerfile-source.ts";
import { lintJson, lintText, type LintResults } from "./lint-format.ts";
import type { Subrequest, SubrequestAnswer, SubrequestContext } from "./index.ts";

export const lintRequest: Subrequest = {
  name: "frontend.lint",
  version: "1.0.0",
  description: "Lint a Dockerfile",
  opts: [],
  metadata: ["result.json", "result.txt", "result.statuscode"],
  handle: async (ctx) => lintAnswer(await lintDockerfile(ctx), ctx.dockerfile),
};

export function lintAnswer(results: LintResults, dockerfile: DockerfileSource): SubrequestAnswer {
  return {
    json: lintJson(results, dockerfile),
    text: lintText(results, dockerfile),
    statusCode: results.warnings.length > 0 || results.error ? 1 : 0,
  };
}

/** Converts without solving, collecting what the checks report and what fails. */
export async function lintDockerfile(ctx: SubrequestContext): Promise<LintResults> {
  const { gw, options, dockerfile } = ctx;
  // A bad BUILDKIT_DOCKERFILE_CHECK fails the request itself (upstream rejects it with the opts).
  const arg = options.buildArgs.get(CHECK_BUILD_ARG);
  if (arg !== undefined) {
    try {
      parseCheckOptions(arg);
    } catch (e) {
      throw new Error(`failed to parse build-arg:${CHECK_BUILD_ARG}: ${messageOf(e)}`);
    }
  }
  const warnings: CheckWarning[] = [];
  try {
    const checks = createChecks(dockerfile.data, options.buildArgs, (w) => warnings.push(w));
    // No target: every stage, as upstream lints them all.
    await convertOnly(ctx, { checks, allStages: options.target === "" });
    // Asked for only when CopyIgnoredFile is enabled, so a lint costs that solve only then.
    await checks.complete(ctx.extensions, () => loadIgnorePatterns(gw, dockerfile).catch(() => []));
  } catch (e) {
    return { warnings, error: { message: messageOf(e), lines: mergeRanges(toLocated(e)?.ranges ?? []) } };
  }
  return { warnings };
}

/** Overlapping ranges become one, sorted by line (upstream's mergeLocations). */
export function mergeRanges(ranges: readonly { start: number; end: number }[]): { start: number; end: number }[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

