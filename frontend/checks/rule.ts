/**
 * What a build check is: a name users write in `# check=skip=<name>`, a
 * one-line description (sent as the warning's detail), a documentation URL,
 * whether it only runs when enabled (`experimental=`), and how its message
 * is worded for one occurrence.
 */

export interface RuleInfo {
  readonly name: string;
  readonly description: string;
  /** Documentation page; empty when the rule has none (InvalidBaseImagePlatform upstream). */
  readonly url: string;
  /** Runs only when enabled with `experimental=<name>|all`; `skip=` does not apply to it. */
  readonly experimental: boolean;
  /** Where the rule comes from: docker/dockerfile's rule set, or cachefront's extensions. */
  readonly origin: "dockerfile" | "cachefront";
}

export interface Rule<A extends unknown[] = never[]> extends RuleInfo {
  /** The message of one occurrence (upstream's `Format`). */
  format(...args: A): string;
}

export function defineRule<A extends unknown[]>(
  info: { name: string; description: string; url?: string; experimental?: boolean; origin?: RuleInfo["origin"] },
  format: (...args: A) => string,
): Rule<A> {
  return {
    name: info.name,
    description: info.description,
    url: info.url ?? "",
    experimental: info.experimental ?? false,
    origin: info.origin ?? "dockerfile",
    format,
  };
}

/** One line range of the Dockerfile, 1-based and inclusive. */
export interface LineRange {
  start: number;
  end: number;
}

/** One occurrence of a rule, located at Dockerfile lines (none for build-wide findings). */
export interface CheckWarning {
  rule: RuleInfo;
  message: string;
  lines: LineRange[];
}
