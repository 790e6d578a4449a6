/**
 * Build checks (docker/dockerfile's rule set plus cachefront's own), the
 * `# check=` directive and `BUILDKIT_DOCKERFILE_CHECK`. See docs/checks.md.
 *
 *   rule.ts, rules.ts, cachefront-rules.ts   what each rule is and says
 *   config.ts, linter.ts                     which rules run; error=true
 *   parse-checks.ts, from-checks.ts,
 *   dispatch-checks.ts, ignored-files.ts     when each rule fires
 *   hooks.ts                                 the piece conversion calls
 */
import { CACHEFRONT_RULES } from "./cachefront-rules.ts";
import { resolveCheckConfig } from "./config.ts";
import { ConversionChecks } from "./hooks.ts";
import { Linter, type WarningSink } from "./linter.ts";
import { DOCKERFILE_RULES } from "./rules.ts";
import type { RuleInfo } from "./rule.ts";

export { CHECK_BUILD_ARG, CheckConfigError, DEFAULT_CHECK_CONFIG, parseCheckOptions, resolveCheckConfig, type CheckConfig } from "./config.ts";
export { Linter, type WarningSink } from "./linter.ts";
export { ConversionChecks } from "./hooks.ts";
export type { CheckWarning, LineRange, Rule, RuleInfo } from "./rule.ts";
export * as cachefrontRules from "./cachefront-rules.ts";

/** Every rule, docker/dockerfile's first. */
export const ALL_RULES: readonly RuleInfo[] = [...DOCKERFILE_RULES, ...CACHEFRONT_RULES];

/**
 * The checks of one build or lint run, configured by the Dockerfile's
 * `# check=` directive or `BUILDKIT_DOCKERFILE_CHECK` (a bad value throws,
 * failing the build as upstream), reporting to `sink`.
 */
export function createChecks(dockerfile: Uint8Array | string, buildArgs: ReadonlyMap<string, string>, sink: WarningSink): ConversionChecks {
  const text = typeof dockerfile === "string" ? dockerfile : new TextDecoder().decode(dockerfile);
  return new ConversionChecks(new Linter(resolveCheckConfig(text, buildArgs), sink));
}
