/**
 * The linter every check reports through (upstream's linter.Linter): it
 * drops what the configuration skips, remembers which rules fired for
 * `error=true`, and hands each warning to a sink (the Warn API during a
 * build, the lint result for the `frontend.lint` subrequest). A linter
 * without a sink reports nothing, as upstream's does for every platform of a
 * multi-platform build but the first.
 */
import { DEFAULT_CHECK_CONFIG, type CheckConfig } from "./config.ts";
import type { CheckWarning, LineRange, RuleInfo } from "./rule.ts";

export type WarningSink = (w: CheckWarning) => void;

export class Linter {
  /** Rules that fired, each once, in the order they first fired. */
  private readonly fired: string[] = [];

  constructor(
    readonly config: CheckConfig = DEFAULT_CHECK_CONFIG,
    private readonly sink?: WarningSink,
  ) {}

  /** A linter that reports nothing (and so never fails a build). */
  static silent(): Linter {
    return new Linter();
  }

  /** Whether this linter reports at all (it has a sink). */
  get reporting(): boolean {
    return this.sink !== undefined;
  }

  /** Whether reporting `rule` would reach the sink: experimental rules need enabling, others may be skipped. */
  enabled(rule: RuleInfo): boolean {
    if (!this.sink) return false;
    const c = this.config;
    if (rule.experimental) return c.experimentalAll || c.experimental.has(rule.name);
    return !(c.skipAll || c.skip.has(rule.name));
  }

  run(rule: RuleInfo, lines: readonly LineRange[], message: string): void {
    if (!this.enabled(rule)) return;
    if (!this.fired.includes(rule.name)) this.fired.push(rule.name);
    this.sink!({ rule, message: message || rule.description, lines: lines.map((l) => ({ start: l.start, end: l.end })) });
  }

  /**
   * With `error=true` and any warning reported, the error that fails the
   * build (upstream's wording; it lists each rule once).
   */
  error(): Error | undefined {
    if (!this.config.error || this.fired.length === 0) return undefined;
    return new Error(`lint violation found for rules: ${this.fired.join(", ")}`);
  }
}
