/**
 * One build, end to end: read the Dockerfile, parse it, convert it for each
 * target platform, bind the main build context, solve, and describe the
 * result (image config, platforms) the way BuildKit's exporters expect.
 * A subrequest (`requestid` opt) is answered instead, once the Dockerfile is
 * read (subrequests/).
 */
import type { ErrorSource } from "./gateway/errors.ts";
import { toLocated } from "./located.ts";
import type { BuildAttestation, BuildResult, Gateway } from "./gateway/session.ts";
import { parseDockerfile } from "./dockerfile/parser/index.ts";
import { loadIgnorePatterns } from "./input/context-ignore.ts";
import { readDockerfile, sessionFor, type DockerfileSource } from "./input/dockerfile-source.ts";
import { definitionState } from "./input/definition-state.ts";
import { parseBuildOptions, type BuildOptions } from "./convert/build-options.ts";
import { convertDockerfile, type ConvertResult } from "./convert/convert.ts";
import type { ConvertExtension, FrontendImage, SolveHookContext } from "./convert/extension.ts";
import { NamedContexts } from "./convert/named-contexts.ts";
import { resolveFrontendImage } from "./extensions/frontend-image.ts";
import { Warnings } from "./warnings.ts";
import { createChecks } from "./checks/index.ts";
import type { ParseResult } from "./dockerfile/parser/index.ts";
import type { Definition } from "./gen/moby/buildkit/solver/ops_pb.ts";
import { createExtensions } from "./extensions/index.ts";
import { serializeImage } from "./image/serialize.ts";
import { local, marshal, placeholder, State } from "./llb/index.ts";
import { detectRemoteContext, type RemoteContext } from "./input/remote-context.ts";
import { formatPlatformAll, type Platform } from "./llb/platform.ts";
import type { SourceMap } from "./llb/source-map.ts";
import { checkFrontendCaps, FRONTEND_CAPS_OPT } from "./gateway/frontend-caps.ts";
import { handleSubrequest, REQUEST_ID_OPT } from "./subrequests/index.ts";
import { createScanner, SBOM_ATTESTATION, scanTargets } from "./attest/sbom.ts";
import { checkAttestSupport } from "./attest/requests.ts";

const sources = new WeakMap<object, ErrorSource>();

/** The Dockerfile an error refers to, so Return can carry the snippet. */
export function errorSourceOf(err: unknown): ErrorSource | undefined {
  return typeof err === "object" && err !== null ? sources.get(err) : undefined;
}

export async function build(gw: Gateway, trace: (what: string) => void = () => {}): Promise<BuildResult> {
  const caps = checkFrontendCaps(gw.env.opts.get(FRONTEND_CAPS_OPT));
  if (caps.error && !caps.forward) throw caps.error;
  const options = parseBuildOptions(gw.env);
  checkAttestSupport(options.attest, gw.caps);
  const extensions = createExtensions(options, gw.caps);
  const remote = await detectRemoteContext(gw, options);
  const dockerfile = await readDockerfile(gw, remote);
  trace("dockerfile read");
  if (caps.error) throw caps.error;
  const sourceMap: SourceMap = { filename: dockerfile.filename, language: "Dockerfile", data: dockerfile.data, definition: dockerfile.definition };
  try {
    const requestId = gw.env.opts.get(REQUEST_ID_OPT);
    if (requestId !== undefined) {
      let parsed: ParseResult | undefined;
      return await handleSubrequest(requestId, { gw, options, dockerfile, sourceMap, extensions, parsed: () => (parsed ??= parseNonEmpty(dockerfile)) });
    }
    return await buildFromDockerfile(gw, options, dockerfile, sourceMap, extensions, remote, trace);
  } catch (err) {
    const located = toLocated(err);
    if (located) sources.set(located, { filename: dockerfile.filename, data: dockerfile.data, language: "Dockerfile" });
    throw located ?? err;
  }
}

function decodeNonEmpty(dockerfile: DockerfileSource): string {
  const text = new TextDecoder().decode(dockerfile.data);
  if (text.trim() === "") throw new Error("the Dockerfile cannot be empty");
  return text;
}

function parseNonEmpty(dockerfile: DockerfileSource): ParseResult {
  return parseDockerfile(decodeNonEmpty(dockerfile));
}

async function buildFromDockerfile(
  gw: Gateway,
  options: BuildOptions,
  dockerfile: DockerfileSource,
  sourceMap: SourceMap,
  extensions: readonly ConvertExtension[],
  remote: RemoteContext | undefined,
  trace: (what: string) => void,
): Promise<BuildResult> {
  const text = decodeNonEmpty(dockerfile);
  // A `context` frontend input (e.g. from buildx bake) replaces the local
  // context entirely, .dockerignore included, as with the official frontend.
  // A remote (git or URL) context is used as fetched.
  const contextInput = remote ? remote.context : (await gw.inputs()).context;
  // Fetch .dockerignore while the Dockerfile is parsed and converted.
  const excludesPromise = contextInput ? Promise.resolve([]) : loadIgnorePatterns(gw, dockerfile);
  excludesPromise.catch(() => {});
  const parsed = parseDockerfile(text);
  trace("parsed");

  const namedContexts = new NamedContexts(gw, options.namedContexts, options.imageResolveMode);
  const warnings = new Warnings(gw, dockerfile);
  try {
    return await convertAndSolve(gw, options, parsed, sourceMap, extensions, namedContexts, warnings, excludesPromise, contextInput, trace);
  } finally {
    // Warnings reach the client even when the build then fails.
    await warnings.flush();
  }
}

async function convertAndSolve(
  gw: Gateway,
  options: BuildOptions,
  parsed: ParseResult,
  sourceMap: SourceMap,
  extensions: readonly ConvertExtension[],
  namedContexts: NamedContexts,
  warnings: Warnings,
  excludesPromise: Promise<string[]>,
  contextInput: Definition | State | undefined,
  trace: (what: string) => void,
): Promise<BuildResult> {
  const implicit = options.targetPlatforms.length === 0;
  const platforms: Platform[] = implicit ? [options.buildPlatforms[0]!] : options.targetPlatforms;
  // Build checks report for the first platform only, as upstream.
  const checks = createChecks(sourceMap.data, options.buildArgs, (w) => warnings.add(w.rule, w.message, w.lines));
  const converted = await Promise.all(
    platforms.map(async (platform, i) => {
      const ctx = placeholder("build context");
      const result = await convertDockerfile({
        gw,
        options,
        parsed,
        sourceMap,
        targetPlatform: platform,
        implicitTarget: implicit,
        buildContext: ctx.state,
        extensions,
        namedContexts,
        checks: i === 0 ? checks : undefined,
      });
      const excludes = await excludesPromise;
      ctx.resolve(
        contextInput
          ? contextInput instanceof State
            ? contextInput
            : definitionState(contextInput)
          : local("context", {
              sessionId: sessionFor(gw, "context"),
              excludePatterns: excludes,
              followPaths: result.contextPaths,
              sharedKeyHint: "context",
              constraints: { customName: "[internal] load build context" },
            }),
      );
      return { platform, result, buildContext: ctx.state };
    }),
  );

  trace("converted");
  // Extensions' checks, then .dockerignore-dependent ones; with error=true, warnings fail the build here.
  await checks.complete(extensions, () => excludesPromise);

  let frontendImage: Promise<FrontendImage> | undefined;
  const hooks = (platform: Platform): SolveHookContext => ({
    gw,
    options,
    platform,
    namedContexts,
    frontendImage: () => (frontendImage ??= resolveFrontendImage(gw)),
  });
  for (const ext of extensions) await ext.beforeSolve?.(hooks(platforms[0]!));

  // The scanner image is resolved while the build's result is solved.
  const scanner = options.attest.sbom ? createScanner(gw, options.attest.sbom, { buildPlatform: options.buildPlatforms[0]!, resolveMode: options.imageResolveMode }) : undefined;
  scanner?.catch(() => {});

  const finals = await Promise.all(
    converted.map(async ({ platform, result, buildContext }) => {
      for (const ext of extensions) {
        const replaced = await ext.replaceResult?.(hooks(platform), result.state);
        if (replaced) return { platform, buildContext, result: { ...result, state: replaced.state, image: replaced.image, baseImage: undefined } };
      }
      return { platform, buildContext, result };
    }),
  );
  const refs = await Promise.all(finals.map(({ result }) => gw.solve(marshal(result.state).definition, { cacheImports: options.cacheImports })));
  const built = assembleResult(options, finals, refs);
  if (scanner) {
    const scan = await scanner;
    const scanned = await Promise.all(
      finals.map(async ({ platform, result, buildContext }) => {
        const id = formatPlatformAll(platform);
        const ref = await gw.solve(marshal(scan(id, scanTargets(result, buildContext))).definition);
        const attestation: BuildAttestation = { ...SBOM_ATTESTATION, ref };
        return [id, [attestation]];
      }),
    );
    built.attestations = Object.fromEntries(scanned);
  }
  return built;
}

function assembleResult(options: BuildOptions, converted: { platform: Platform; result: Pick<ConvertResult, "image" | "baseImage"> }[], refs: string[]): BuildResult {
  const metadata: Record<string, Uint8Array> = {};
  const enc = new TextEncoder();
  const platformEntries = converted.map(({ platform }) => ({ ID: formatPlatformAll(platform), Platform: ociPlatform(platform) }));
  if (options.multiPlatform) {
    const byId: Record<string, string> = {};
    converted.forEach(({ platform, result }, i) => {
      const id = formatPlatformAll(platform);
      byId[id] = refs[i]!;
      metadata[`containerimage.config/${id}`] = serializeImage(result.image);
      if (result.baseImage) metadata[`containerimage.base.config/${id}`] = serializeImage(result.baseImage);
    });
    metadata["refs.platforms"] = enc.encode(JSON.stringify({ Platforms: platformEntries }));
    return { refs: byId, metadata };
  }
  const { result } = converted[0]!;
  metadata["containerimage.config"] = serializeImage(result.image);
  if (result.baseImage) metadata["containerimage.base.config"] = serializeImage(result.baseImage);
  metadata["refs.platforms"] = enc.encode(JSON.stringify({ Platforms: platformEntries }));
  return { ref: refs[0]!, metadata };
}

function ociPlatform(p: Platform): Record<string, unknown> {
  const out: Record<string, unknown> = { architecture: p.architecture, os: p.os };
  if (p.osVersion) out["os.version"] = p.osVersion;
  if (p.osFeatures) out["os.features"] = p.osFeatures;
  if (p.variant) out.variant = p.variant;
  return out;
}
