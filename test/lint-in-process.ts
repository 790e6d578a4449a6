/**
 * Converting a Dockerfile in process (images resolve to a stub) with the
 * build checks on, for their unit tests: what they reported, and the error
 * the conversion (or `error=true`) ended with.
 */
import { parseDockerfile } from "../frontend/dockerfile/parser/index.ts";
import { parseBuildOptions } from "../frontend/convert/build-options.ts";
import { createExtensions } from "../frontend/extensions/index.ts";
import { convertInProcess, stubGateway, STUB_IMAGE } from "./in-process.ts";
import { createChecks } from "../frontend/checks/index.ts";
import type { CheckWarning } from "../frontend/checks/rule.ts";

export interface LintCase {
  buildArgs?: Record<string, string>;
  target?: string;
  /** Every stage, as the lint subrequest does with no target. */
  allStages?: boolean;
  /** The config every image resolves to. */
  image?: object;
  dockerignore?: string[];
  /** Run cachefront's extensions (cache TTL, seeding, export) as a build does. */
  extensions?: boolean;
  /** Image references (as resolved, e.g. `docker.io/library/x:latest`) that do not exist. */
  missingImages?: string[];
}

export interface LintOutcome {
  warnings: CheckWarning[];
  /** `Rule@line: message` for each warning, in the order reported. */
  found: string[];
  error?: Error;
}

export async function lintInProcess(dockerfile: string, c: LintCase = {}): Promise<LintOutcome> {
  const base = stubGateway(c.image ?? STUB_IMAGE);
  const opts = new Map(Object.entries(c.buildArgs ?? {}).map(([k, v]) => [`build-arg:${k}`, v] as const));
  const missing = new Set(c.missingImages ?? []);
  const gw = {
    ...base,
    env: { ...base.env, opts },
    resolveImageConfig: async (ref: string, o: Parameters<typeof base.resolveImageConfig>[1]) => {
      if (missing.has(ref)) throw new Error(`${ref}: not found`);
      return base.resolveImageConfig(ref, o);
    },
  };
  const warnings: CheckWarning[] = [];
  let error: Error | undefined;
  try {
    const options = parseBuildOptions(gw.env);
    const extensions = c.extensions ? createExtensions(options, gw.caps) : [];
    const checks = createChecks(dockerfile, options.buildArgs, (w) => warnings.push(w));
    await convertInProcess(dockerfile, parseDockerfile(dockerfile), { gw, target: c.target, checks, allStages: c.allStages, extensions });
    await checks.complete(extensions, async () => c.dockerignore ?? []);
  } catch (e) {
    error = e as Error;
  }
  const found = warnings.map((w) => `${w.rule.name}@${w.lines[0]?.start ?? "-"}: ${w.message}`);
  return { warnings, found, error };
}
