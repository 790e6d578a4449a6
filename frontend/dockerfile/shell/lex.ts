/**
 * Shell-like word expansion for Dockerfile instructions: quotes, escapes and
 * `$VAR`/`${VAR...}` substitution, behaving like BuildKit's
 * frontend/dockerfile/shell package (see index.ts for the public surface and
 * the list of behaviours kept on purpose).
 */
import type { EnvGetter } from "./env.ts";
import { LexFailure, ShellExpansionError } from "./errors.ts";
import { replaceAll, replaceFirst, trimPrefix, trimSuffix } from "./pattern.ts";
import { RuneScanner, isDigit, isLetter, isSpace } from "./runes.ts";

/** Switches that change how a word is expanded; all default to false. */
export interface ShellLexOptions {
  /** Keep `'` and `"` in the output (their content is still processed). */
  rawQuotes?: boolean;
  /** Keep the escape token in the output next to the character it escapes. */
  rawEscapes?: boolean;
  /** Treat `'` and `"` as ordinary characters: only `$` and escapes act. */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as written (`$X`, `${X:-d}`, ...). */
  skipUnsetEnv?: boolean;
}

export interface ExpandResult {
  /** The expanded word. */
  result: string;
  /** Names looked up and found, as written in the word. */
  matched: Set<string>;
  /** Names looked up and not found, as written in the word. */
  unmatched: Set<string>;
}

export class ShellLex {
  readonly escapeToken: string;
  readonly rawQuotes: boolean;
  readonly rawEscapes: boolean;
  readonly skipProcessQuotes: boolean;
  readonly skipUnsetEnv: boolean;

  /**
   * @param escapeToken `\` by default, `` ` `` under `# escape=``. Any single
   *   character is accepted, as upstream's `NewLex(rune)` does.
   */
  constructor(escapeToken: string = "\\", options: ShellLexOptions = {}) {
    if (Array.from(escapeToken).length !== 1) {
      throw new TypeError(`escape token must be a single character, got ${JSON.stringify(escapeToken)}`);
    }
    this.escapeToken = escapeToken;
    this.rawQuotes = options.rawQuotes ?? false;
    this.rawEscapes = options.rawEscapes ?? false;
    this.skipProcessQuotes = options.skipProcessQuotes ?? false;
    this.skipUnsetEnv = options.skipUnsetEnv ?? false;
  }

  /**
   * A copy with some options changed, the counterpart of upstream's
   * `shlex := *dopt.shlex; shlex.RawQuotes = true` (instances stay immutable
   * so a shared lexer cannot be reconfigured under another caller).
   */
  withOptions(options: ShellLexOptions): ShellLex {
    return new ShellLex(this.escapeToken, {
      rawQuotes: this.rawQuotes,
      rawEscapes: this.rawEscapes,
      skipProcessQuotes: this.skipProcessQuotes,
      skipUnsetEnv: this.skipUnsetEnv,
      ...options,
    });
  }

  /**
   * Expands `word` as one word: quotes removed, whitespace kept. Throws
   * `ShellExpansionError`.
   */
  processWord(word: string, env: EnvGetter): ExpandResult {
    const run = new Expansion(this, env, word);
    const { text } = run.expand();
    return { result: text, matched: run.matched, unmatched: run.unmatched };
  }

  /**
   * Expands `word` and splits it into fields on whitespace that is neither
   * quoted nor escaped. Whitespace coming from a variable's value splits too
   * (as in the shell); an empty quoted string yields no field. Throws
   * `ShellExpansionError`.
   */
  processWords(word: string, env: EnvGetter): string[] {
    return new Expansion(this, env, word).expand().fields;
  }
}

/** Builds the fields of `processWords` while the word is being expanded. */
class FieldSplitter {
  private readonly fields: string[] = [];
  private current = "";
  private inField = false;

  /** An unquoted character: whitespace ends the current field. */
  addChar(ch: string): void {
    if (!isSpace(ch)) this.addRaw(ch);
    else if (this.inField && this.current !== "") {
      this.fields.push(this.current);
      this.current = "";
      this.inField = false;
    }
  }

  /** Text from a variable: split like unquoted characters. */
  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  /** Quoted or escaped text: never splits. */
  addRaw(s: string): void {
    this.current += s;
    this.inField = true;
  }

  finish(): string[] {
    if (this.current !== "") {
      this.fields.push(this.current);
      this.current = "";
      this.inField = false;
    }
    return this.fields;
  }
}

// POSIX special parameters: never set in a Dockerfile, so they expand to "".
const SPECIAL_PARAMS = new Set(["@", "*", "#", "?", "-", "$", "!", "0"]);

/** State of one processWord/processWords call. */
class Expansion {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly scanner: RuneScanner;
  // Switched on for the inside of ${VAR#...}, ${VAR%...} and ${VAR/.../...}
  // so a pattern sees its `\*` escapes; restored afterwards.
  private rawEscapes: boolean;

  constructor(
    private readonly lex: ShellLex,
    private readonly env: EnvGetter,
    private readonly word: string,
  ) {
    this.scanner = new RuneScanner(word);
    this.rawEscapes = lex.rawEscapes;
  }

  expand(): { text: string; fields: string[] } {
    try {
      return this.processUntil(undefined, this.lex.rawEscapes);
    } catch (err) {
      if (err instanceof LexFailure) {
        throw new ShellExpansionError(this.word, err.message, this.matched, this.unmatched);
      }
      throw err;
    }
  }

  private fail(reason: string): LexFailure {
    return new LexFailure(reason);
  }

  /**
   * Expands up to (and consuming) `stop`, or to the end of the word when
   * `stop` is undefined. Nested `${...}` bodies are read with this too.
   */
  private processUntil(stop: string | undefined, rawEscapes: boolean): { text: string; fields: string[] } {
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      // Each nesting level keeps its own field buffer. (Upstream v0.15+ shares
      // one buffer between levels, which drops the text before a nested
      // `${X:-...}` from the field being built; we do not copy that bug.)
      const fields = new FieldSplitter();
      let text = "";
      for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
        if (stop !== undefined && ch === stop) {
          this.scanner.next();
          return { text, fields: fields.finish() };
        }
        if (ch === "$") {
          const value = this.processDollar();
          text += value;
          fields.addString(value);
          continue;
        }
        if (ch === "<") {
          const value = this.processPossibleHeredoc();
          text += value;
          fields.addRaw(value);
          continue;
        }
        if (!this.lex.skipProcessQuotes && (ch === "'" || ch === '"')) {
          const value = ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          text += value;
          fields.addRaw(value);
          continue;
        }
        this.scanner.next();
        if (ch !== this.lex.escapeToken) {
          text += ch;
          fields.addChar(ch);
          continue;
        }
        if (this.rawEscapes) {
          text += ch;
          fields.addRaw(ch);
        }
        // The escape token makes the next character literal; at the very end
        // it is dropped (a Dockerfile line continuation already consumed it).
        const escaped = this.scanner.next();
        if (escaped === undefined) break;
        text += escaped;
        fields.addRaw(escaped);
      }
      if (stop !== undefined) throw this.fail(`unexpected end of statement while looking for matching ${stop}`);
      return { text, fields: fields.finish() };
    } finally {
      this.rawEscapes = saved;
    }
  }

  /** Everything up to the next `'` is literal; there is no escape inside. */
  private processSingleQuote(): string {
    const open = this.scanner.next()!;
    let text = this.lex.rawQuotes ? open : "";
    for (;;) {
      const ch = this.scanner.next();
      if (ch === undefined) throw this.fail("unexpected end of statement while looking for matching single-quote");
      if (ch === "'") return this.lex.rawQuotes ? text + ch : text;
      text += ch;
    }
  }

  /**
   * Inside `"..."`, `$` still expands and the escape token only escapes `"`,
   * `$` and itself (sh keeps `\x` as two characters for any other x).
   */
  private processDoubleQuote(): string {
    const open = this.scanner.next()!;
    let text = this.lex.rawQuotes ? open : "";
    for (;;) {
      const peeked = this.scanner.peek();
      if (peeked === undefined) {
        throw this.fail("unexpected end of statement while looking for matching double-quote");
      }
      if (peeked === '"') {
        this.scanner.next();
        return this.lex.rawQuotes ? text + peeked : text;
      }
      if (peeked === "$") {
        text += this.processDollar();
        continue;
      }
      let ch = this.scanner.next()!;
      if (ch === this.lex.escapeToken) {
        if (this.rawEscapes) text += ch;
        const following = this.scanner.peek();
        // An escape right before the end is dropped; the loop then reports
        // the missing closing quote.
        if (following === undefined) continue;
        if (following === '"' || following === "$" || following === this.lex.escapeToken) {
          ch = this.scanner.next()!;
        }
      }
      text += ch;
    }
  }

  /**
   * `<<` followed by blanks stays one field with the word after it, so
   * `RUN <<  EOF` is seen as a heredoc the same way as `RUN <<EOF`
   * (upstream since v0.22). The text itself is unchanged.
   */
  private processPossibleHeredoc(): string {
    this.scanner.next();
    if (this.scanner.peek() !== "<") return "<";
    this.scanner.next();
    let text = "<<";
    for (let ch = this.scanner.peek(); ch === " " || ch === "\t" || ch === "\r"; ch = this.scanner.peek()) {
      text += this.scanner.next();
    }
    return text;
  }

  private lookup(name: string): string | undefined {
    const value = this.env.get(name);
    (value === undefined ? this.unmatched : this.matched).add(name);
    return value;
  }

  /** Expands the `$...` at the scanner position. */
  private processDollar(): string {
    this.scanner.next();
    if (this.scanner.peek() !== "{") {
      const name = this.processName();
      if (name === "") return "$"; // a lone `$` (or `$.`) is literal
      const value = this.lookup(name);
      if (value === undefined && this.lex.skipUnsetEnv) return "$" + name;
      return value ?? "";
    }
    this.scanner.next();
    const first = this.scanner.peek();
    if (first === undefined) throw this.fail("syntax error: missing '}'");
    if (first === "{" || first === "}" || first === ":") throw this.fail("syntax error: bad substitution");

    const name = this.processName();
    // Go spells a missing rune (EOF) as U+FFFD when it is turned into a string.
    let op = this.scanner.next() ?? "\uFFFD";
    let ops = op;
    let colon = false;

    if (op === "}") {
      const value = this.lookup(name);
      if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}}`;
      return value ?? "";
    }
    if (op === "/") return this.processReplace(name);
    if (op === ":") {
      // After ':' any character gets here, so `${X:=y}` is read in full and
      // only then rejected (after the lookup, like upstream).
      colon = true;
      op = this.scanner.next() ?? "\uFFFD";
      ops += op;
    } else if (op !== "+" && op !== "-" && op !== "?" && op !== "#" && op !== "%") {
      throw this.fail(`unsupported modifier (${ops}) in substitution`);
    }

    const isPattern = op === "#" || op === "%";
    if (colon && isPattern) throw this.fail(`unsupported modifier (${ops}) in substitution`);
    const arg = this.processNested("}", isPattern, "syntax error: missing '}'");

    const value = this.lookup(name);
    if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}${ops}${arg}}`;
    // With ':' an empty value counts as unset.
    const unset = value === undefined || (colon && value === "");

    switch (op) {
      case "-":
        return unset ? arg : value!;
      case "+":
        return unset ? "" : arg;
      case "?":
        if (value === undefined) throw this.fail(`${name}: ${arg || "is not allowed to be unset"}`);
        if (unset) throw this.fail(`${name}: ${arg || "is not allowed to be empty"}`);
        return value;
      case "#":
      case "%": {
        // A doubled operator (## or %%) asks for the longest match.
        const greedy = arg.startsWith(op);
        const pattern = greedy ? arg.slice(1) : arg;
        return op === "#" ? trimPrefix(pattern, value ?? "", greedy) : trimSuffix(pattern, value ?? "", greedy);
      }
      default:
        throw this.fail(`unsupported modifier (${ops}) in substitution`);
    }
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`. */
  private processReplace(name: string): string {
    const all = this.scanner.peek() === "/";
    if (all) this.scanner.next();
    const pattern = this.processNested("/", true, "syntax error: missing '/' in ${}");
    const replacement = this.processNested("}", true, "syntax error: missing '}'");
    const value = this.lookup(name);
    // Upstream writes a single '/' back even for '//'.
    if (value === undefined && this.lex.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return all ? replaceAll(pattern, value ?? "", replacement) : replaceFirst(pattern, value ?? "", replacement);
  }

  /**
   * Reads the argument of a `${...}` operator up to `stop`. Running out of
   * input, whatever the inner error was, is reported as `atEnd` (so an
   * unterminated quote inside `${X:-"...}` reads "missing '}'", as upstream).
   */
  private processNested(stop: string, rawEscapes: boolean, atEnd: string): string {
    try {
      return this.processUntil(stop, rawEscapes).text;
    } catch (err) {
      if (err instanceof LexFailure && this.scanner.peek() === undefined) throw this.fail(atEnd);
      throw err;
    }
  }

  /**
   * Reads a variable name: letters, digits and `_`; or a run of digits
   * (positional parameters, never set, so `$1` is empty); or one special
   * parameter character. Returns "" when there is no name.
   */
  private processName(): string {
    let name = "";
    for (let ch = this.scanner.peek(); ch !== undefined; ch = this.scanner.peek()) {
      if (name === "" && isDigit(ch)) {
        while (this.scanner.peek() !== undefined && isDigit(this.scanner.peek()!)) name += this.scanner.next();
        return name;
      }
      if (name === "" && SPECIAL_PARAMS.has(ch)) return this.scanner.next()!;
      if (!isLetter(ch) && !isDigit(ch) && ch !== "_") break;
      name += this.scanner.next();
    }
    return name;
  }
}
