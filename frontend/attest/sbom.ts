/**
 * SBOM attestations made inside the frontend, as the official Dockerfile
 * frontend makes them (`attest:sbom`): the scanner image runs over the
 * target's filesystem and writes in-toto statements into /run/out, which
 * becomes a Bundle attestation of the platform's result.
 *
 * Scanning here rather than leaving it to the daemon (which scans the final
 * result when a frontend returns no SBOM) adds what only the Dockerfile knows:
 * the build context (`BUILDKIT_SBOM_SCAN_CONTEXT`) and the stages the target
 * was built from (`BUILDKIT_SBOM_SCAN_STAGE`), as extra documents.
 */
import type { ConvertResult } from "../convert/convert.ts";
import { reachableFrom, type StageState } from "../convert/stage-state.ts";
import type { Gateway } from "../gateway/session.ts";
import { parseImageConfig } from "../image/config.ts";
import { EnvList, image, run, State, type MountSpec } from "../llb/index.ts";
import type { ImageResolveMode } from "../llb/source.ts";
import type { Platform } from "../llb/platform.ts";
import type { SbomRequest } from "./requests.ts";
import { parseGoBool } from "../dockerfile/instructions/index.ts";
import { SBOM_SCAN_CONTEXT_ARG, SBOM_SCAN_STAGE_ARG } from "../convert/image-commands.ts";

/** The scanner's contract: sources under /run/src, results in /run/out (BuildKit's attestations/sbom). */
const SRC_DIR = "/run/src";
const OUT_DIR = "/run/out/";
const CORE_NAME = "sbom";
const EXTRA_PREFIX = `${CORE_NAME}-`;

/** What to scan for one platform. */
export interface ScanTargets {
  core: State;
  /** Extra sources by name: `context`, or a stage name. */
  extras: ReadonlyMap<string, State>;
  /** A stage scanned was built with --no-cache: so is the scan. */
  ignoreCache: boolean;
}

/**
 * `value` turns a scan on for `stage`: a boolean (Go's ParseBool), or a
 * comma-separated list of stage names.
 */
export function enabledForStage(stage: string, value: string): boolean {
  const b = parseGoBool(value);
  if (b !== undefined) return b;
  return value.split(",").includes(stage);
}

/** Whether a scan arg is on for a dispatched stage: a global ARG, overridden by the stage's own ARGs. */
function scanArgOn(d: StageState, name: string, globalArgs: EnvList): boolean {
  let on = false;
  const global = globalArgs.get(name);
  if (global !== undefined) on = enabledForStage(d.stageName, global);
  for (const a of d.buildArgs) if (a.key === name && a.value !== undefined) on = enabledForStage(d.stageName, a.value);
  return on;
}

/**
 * The scan targets of a converted build: the target's state, plus the build
 * context and every stage the target depends on that asked to be scanned.
 * Images named directly (`COPY --from=alpine`) are not stages and are never
 * extras.
 */
export function scanTargets(result: Pick<ConvertResult, "state" | "target" | "globalArgs">, buildContext: State): ScanTargets {
  const { target, globalArgs } = result;
  const extras = new Map<string, State>();
  if (scanArgOn(target, SBOM_SCAN_CONTEXT_ARG, globalArgs)) extras.set("context", buildContext);
  let ignoreCache = target.ignoreCache;
  const deps = [...reachableFrom(target)].filter((d) => d !== target && !d.unregistered).sort((a, b) => a.index - b.index);
  for (const d of deps) {
    if (!scanArgOn(d, SBOM_SCAN_STAGE_ARG, globalArgs)) continue;
    extras.set(d.stageName, d.state);
    ignoreCache ||= d.ignoreCache;
  }
  return { core: result.state, extras, ignoreCache };
}

/** Runs the scanner over one platform's targets; the result is the scanner's output directory. */
export type Scanner = (platformId: string, targets: ScanTargets) => State;

export interface ScannerOptions {
  buildPlatform: Platform;
  resolveMode: ImageResolveMode;
}

/** Resolves the scanner image once; its entrypoint and cmd are the scan command. */
export async function createScanner(gw: Gateway, req: SbomRequest, opts: ScannerOptions): Promise<Scanner> {
  const res = await gw.resolveImageConfig(req.generator, { platform: opts.buildPlatform, resolveMode: opts.resolveMode });
  const cfg = parseImageConfig(res.config).config;
  const args = [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
  if (args.length === 0) throw new Error(`scanner ${req.generator} does not have cmd`);
  const scannerImage = image(req.generator, { platform: opts.buildPlatform, resolveMode: opts.resolveMode });

  return (platformId, targets) => {
    let env = EnvList.fromStrings(cfg.Env ?? [])
      .set("BUILDKIT_SCAN_DESTINATION", OUT_DIR)
      .set("BUILDKIT_SCAN_SOURCE", `${SRC_DIR}/core/${CORE_NAME}`);
    if (targets.extras.size > 0) env = env.set("BUILDKIT_SCAN_SOURCE_EXTRAS", `${SRC_DIR}/extras`);
    for (const [k, v] of [...req.params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) env = env.set(`BUILDKIT_SCAN_${k}`, v);

    const mounts: MountSpec[] = [
      { kind: "tmpfs", target: "/tmp" },
      { kind: "bind", target: `${SRC_DIR}/core/${CORE_NAME}`, source: targets.core, readonly: true },
      ...[...targets.extras].map(([name, st]): MountSpec => ({ kind: "bind", target: `${SRC_DIR}/extras/${EXTRA_PREFIX}${name}`, source: st, readonly: true })),
      { kind: "bind", target: OUT_DIR.slice(0, -1), source: State.scratch() },
    ];
    const exec = run(scannerImage.withEnv(env).withDir(cfg.WorkingDir || "/"), {
      args,
      mounts,
      constraints: { customName: `[${platformId}] generating sbom using ${req.generator}`, ignoreCache: targets.ignoreCache || undefined },
    });
    return exec.mount(OUT_DIR.slice(0, -1), State.scratch());
  };
}

/** Metadata BuildKit's exporters read on an SBOM attestation (solver/result/attestation.go). */
export const SBOM_ATTESTATION = {
  /** A directory of in-toto statements, unbundled by the exporter. */
  kind: "bundle",
  metadata: { reason: "sbom", "sbom-core": CORE_NAME },
  /**
   * SPDX, as BuildKit up to 0.13 sets it: the daemon skips its own scan only
   * when a result already carries an attestation of this type.
   */
  predicateType: "https://spdx.dev/Document",
} as const;
