/**
 * Which checks run, and whether warnings fail the build: the
 * `# check=skip=<rules|all>;error=<bool>;experimental=<rules|all>` parser
 * directive, or the `BUILDKIT_DOCKERFILE_CHECK` build arg, which replaces the
 * directive entirely when given (even empty), as upstream. Parsing and error
 * texts follow BuildKit's linter.ParseLintOptions.
 */
import { detectDirective } from "../dockerfile/parser/index.ts";
import { goQuote } from "../image/go-format.ts";
import { parseGoBool } from "../dockerfile/instructions/index.ts";
import { LocatedError } from "../gateway/errors.ts";

export const CHECK_BUILD_ARG = "BUILDKIT_DOCKERFILE_CHECK";

export interface CheckConfig {
  skipAll: boolean;
  skip: ReadonlySet<string>;
  experimentalAll: boolean;
  experimental: ReadonlySet<string>;
  /** error=true: a build with warnings fails after reporting them. */
  error: boolean;
}

export const DEFAULT_CHECK_CONFIG: CheckConfig = { skipAll: false, skip: new Set(), experimentalAll: false, experimental: new Set(), error: false };

export class CheckConfigError extends Error {}

/** Upstream's ParseLintOptions, error texts included. */
export function parseCheckOptions(text: string): CheckConfig {
  const trimmed = text.trim();
  if (trimmed === "") return DEFAULT_CHECK_CONFIG;
  const config = { ...DEFAULT_CHECK_CONFIG };
  // strings.SplitN(s, ";", 3): a third part keeps any further ";".
  for (const part of splitN(trimmed, ";", 3)) {
    const eq = part.indexOf("=");
    if (eq < 0) throw new CheckConfigError(`invalid check option ${goQuote(part)}`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    switch (key) {
      case "skip":
        if (value === "all") config.skipAll = true;
        else config.skip = new Set(value.split(",").map((r) => r.trim()));
        break;
      case "experimental":
        if (value === "all") config.experimentalAll = true;
        else config.experimental = new Set(value.split(",").map((r) => r.trim()));
        break;
      case "error": {
        const b = parseGoBool(value);
        if (b === undefined) throw new CheckConfigError(`failed to parse check option ${goQuote(part)}: strconv.ParseBool: parsing ${goQuote(value)}: invalid syntax`);
        config.error = b;
        break;
      }
      default:
        throw new CheckConfigError(`invalid check option ${goQuote(key)}`);
    }
  }
  return config;
}

/**
 * The configuration for a build: the build arg when present (a bad value
 * fails the build as upstream's dockerui does), else the `# check=`
 * directive of the Dockerfile text.
 */
export function resolveCheckConfig(dockerfileText: string, buildArgs: ReadonlyMap<string, string>): CheckConfig {
  const arg = buildArgs.get(CHECK_BUILD_ARG);
  if (arg !== undefined) {
    try {
      return parseCheckOptions(arg);
    } catch (e) {
      throw new CheckConfigError(`failed to parse build-arg:${CHECK_BUILD_ARG}: ${(e as Error).message}`);
    }
  }
  const directive = detectDirective("check", dockerfileText);
  try {
    return parseCheckOptions(directive?.value ?? "");
  } catch (e) {
    // Upstream's error has no location; the directive's line is shown, as for other errors about a line.
    const message = `failed to parse check options: ${(e as Error).message}`;
    throw directive && directive.line > 0 ? new LocatedError(message, [{ start: directive.line, end: directive.line }]) : new CheckConfigError(message);
  }
}

function splitN(s: string, sep: string, n: number): string[] {
  const parts = s.split(sep);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}
