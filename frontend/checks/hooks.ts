/**
 * The build checks as one pluggable piece of conversion: the dispatch
 * context carries a ConversionChecks, and conversion calls it at the points
 * where upstream's dockerfile2llb calls its linter (after parsing, for each
 * FROM, for each resolved base image, before each instruction). Extensions
 * report their own rules through `report`. Checks never change what is
 * built: every hook swallows its own failures, so a build fails (or not)
 * exactly as it would without them.
 */
import type { ParseResult } from "../dockerfile/parser/index.ts";
import { InstructionError, type ArgInstruction, type Command, type ParsedInstructions, type Stage } from "../dockerfile/instructions/index.ts";
import { ShellExpansionError, type ExpandResult, type ShellLex } from "../dockerfile/shell/index.ts";
import { envGetter } from "../convert/expand.ts";
import type { EnvList } from "../llb/env-list.ts";
import type { Platform } from "../llb/platform.ts";
import type { DispatchContext } from "../convert/context.ts";
import type { StageState } from "../convert/stage-state.ts";
import type { CheckReporter, ConvertExtension } from "../convert/extension.ts";
import { checkInstruction, type ContextSource, type UsedOnce } from "./dispatch-checks.ts";
import { checkBaseImagePlatform, checkDefaultBaseNames, checkFromArgs, checkFromPlatform } from "./from-checks.ts";
import { checkIgnoredSources } from "./ignored-files.ts";
import { Linter } from "./linter.ts";
import { checkInstructionCasing, checkNodes, checkParseWarnings, checkStageNames } from "./parse-checks.ts";
import type { LineRange, RuleInfo } from "./rule.ts";
import { CopyIgnoredFile } from "./rules.ts";

export class ConversionChecks {
  private metaArgKeys = new Set<string>();
  private readonly usedOnce = new WeakMap<StageState, UsedOnce>();
  private readonly contextSources: ContextSource[] = [];

  constructor(readonly linter: Linter) {}

  /** Whether anything can be reported (false for the silent checks of secondary platforms). */
  get active(): boolean {
    return this.linter.reporting;
  }

  /** Checks that report nothing: for every platform of a multi-platform build but the first, as upstream. */
  static silent(): ConversionChecks {
    return new ConversionChecks(Linter.silent());
  }

  /** Parses the instructions with `parse`, running the checks upstream runs while parsing. */
  instructions(parsed: ParseResult, parse: () => ParsedInstructions): ParsedInstructions {
    this.guard(() => checkParseWarnings(this.linter, parsed));
    let result: ParsedInstructions;
    try {
      result = parse();
    } catch (e) {
      // Instructions up to the bad one were checked before upstream gave up.
      this.guard(() => checkNodes(this.linter, parsed, e instanceof InstructionError ? e.startLine : 0));
      throw e;
    }
    this.guard(() => {
      checkNodes(this.linter, parsed);
      this.metaArgKeys = new Set(result.metaArgs.flatMap((a) => a.args.map((kv) => kv.key)));
      checkStageNames(this.linter, result.stages);
      checkInstructionCasing(this.linter, result.stages);
    });
    return result;
  }

  /** Before build args are applied to the ARGs before FROM: base names with only the defaults. */
  defaultBaseNames(stages: readonly Stage[], metaArgs: readonly ArgInstruction[], lex: ShellLex, automatic: EnvList): void {
    this.guard(() => checkDefaultBaseNames(this.linter, stages, metaArgs, lex, automatic));
  }

  /** A FROM line: the variables its base name and `--platform` use, expanded with the global args. */
  stageFrom(st: Stage, lex: ShellLex, globalArgs: EnvList): void {
    this.guard(() => {
      const expand = (word: string): ExpandResult => {
        try {
          return lex.processWord(word, envGetter(globalArgs));
        } catch (e) {
          // Upstream checks what was looked up before the expansion failed (the build then fails on it).
          if (e instanceof ShellExpansionError) return { result: "", matched: new Set(e.matched), unmatched: new Set(e.unmatched) };
          throw e;
        }
      };
      checkFromArgs(this.linter, st, expand(st.baseName), globalArgs, this.metaArgKeys);
      if (st.platform === undefined) return;
      const platform = expand(st.platform);
      checkFromArgs(this.linter, st, platform, globalArgs, this.metaArgKeys);
      checkFromPlatform(this.linter, st, platform, globalArgs);
    });
  }

  /** A base image was resolved for `expected`; its config says what it is for. */
  baseImage(image: string, expected: Platform, actual: { os: string; architecture: string; variant?: string }, lines: LineRange[]): void {
    this.guard(() => checkBaseImagePlatform(this.linter, image, expected, actual, lines));
  }

  /** An instruction is about to be dispatched in stage `d`. */
  instruction(d: StageState, cmd: Command, ctx: DispatchContext): void {
    this.guard(() => {
      let usedOnce = this.usedOnce.get(d);
      if (!usedOnce) this.usedOnce.set(d, (usedOnce = {}));
      const sources = this.linter.enabled(CopyIgnoredFile) ? this.contextSources : [];
      checkInstruction(this.linter, d, cmd, ctx, usedOnce, sources);
    });
  }

  /** A rule of an extension (cachefront's own checks). */
  report(rule: RuleInfo, message: string, lines: readonly LineRange[] = []): void {
    this.linter.run(rule, lines, message);
  }

  /**
   * After conversion: checks that need the build context's .dockerignore
   * (loaded only when such a check is enabled).
   */
  async finish(ignorePatterns: () => Promise<readonly string[]>): Promise<void> {
    if (this.contextSources.length === 0) return;
    let patterns: readonly string[];
    try {
      patterns = await ignorePatterns();
    } catch {
      return;
    }
    this.guard(() => checkIgnoredSources(this.linter, this.contextSources, patterns));
  }

  /** With `error=true`, the error that fails a build that had warnings. */
  error(): Error | undefined {
    return this.linter.error();
  }

  /**
   * After every platform is converted: the extensions' checks, then the
   * .dockerignore-dependent ones; throws the `error=true` failure, if any.
   */
  async complete(extensions: readonly ConvertExtension[], ignorePatterns: () => Promise<readonly string[]>): Promise<void> {
    const report: CheckReporter = (rule, message, lines = []) => this.report(rule, message, lines);
    for (const ext of extensions) this.guard(() => ext.check?.(report));
    await this.finish(ignorePatterns);
    const err = this.error();
    if (err) throw err;
  }

  private guard(check: () => void): void {
    if (!this.active) return;
    try {
      check();
    } catch (e) {
      // A check that trips over input the build rejects anyway must not change the outcome.
      if (process.env.CACHEFRONT_DEBUG) console.error(`cachefront: check failed: ${(e as Error).message}`);
    }
  }
}
