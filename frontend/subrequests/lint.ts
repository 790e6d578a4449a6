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
import { convertDockerfile } from "../convert/convert.ts";
import { NamedContexts } from "../convert/named-contexts.ts";
import { CHECK_BUILD_ARG, createChecks, parseCheckOptions, type CheckWarning } from "../checks/index.ts";
import { DockerfileParseError } from "../dockerfile/parser/index.ts";
import { InstructionError } from "../dockerfile/instructions/index.ts";
import { LocatedError, messageOf } from "../gateway/errors.ts";
import { parseDockerignore } from "../input/dockerignore.ts";
import { sessionFor, type DockerfileSource } from "../input/dockerfile-source.ts";
import { local, marshal } from "../llb/index.ts";
import { placeholder } from "../llb/placeholder.ts";
import type { Gateway } from "../gateway/session.ts";
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
    const implicit = options.targetPlatforms.length === 0;
    await convertDockerfile({
      gw,
      options,
      parsed: ctx.parsed(),
      sourceMap: ctx.sourceMap,
      targetPlatform: implicit ? options.buildPlatforms[0]! : options.targetPlatforms[0]!,
      implicitTarget: implicit,
      buildContext: placeholder("build context").state,
      extensions: ctx.extensions,
      namedContexts: new NamedContexts(gw, options.namedContexts, options.imageResolveMode),
      warn: () => {},
      checks,
      // No target: every stage, as upstream lints them all.
      allStages: options.target === "",
    });
    await checks.complete(ctx.extensions, () => ignorePatterns(gw, dockerfile));
  } catch (e) {
    return { warnings, error: { message: messageOf(e), lines: mergeRanges(rangesOf(e)) } };
  }
  return { warnings };
}

function rangesOf(err: unknown): { start: number; end: number }[] {
  if (err instanceof LocatedError) return [...err.ranges];
  if (err instanceof DockerfileParseError || err instanceof InstructionError) return [{ start: err.startLine, end: err.endLine }];
  return [];
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

/**
 * The context's ignore patterns, for CopyIgnoredFile (asked for only when
 * that check is enabled): `<Dockerfile>.dockerignore`, else the context's
 * `.dockerignore`, read as a build reads it (build.ts loads it the same way,
 * but always; here it costs a solve only when the check wants it).
 */
async function ignorePatterns(gw: Gateway, dockerfile: DockerfileSource): Promise<string[]> {
  if (dockerfile.ignoreFile) return parseDockerignore(dockerfile.ignoreFile);
  const st = local("context", {
    sessionId: sessionFor(gw, "context"),
    followPaths: [".dockerignore"],
    sharedKeyHint: "context-.dockerignore",
    differ: "none",
    constraints: { customName: "[internal] load .dockerignore" },
  });
  try {
    return parseDockerignore(await gw.readFile(await gw.solve(marshal(st).definition), ".dockerignore"));
  } catch {
    return [];
  }
}
