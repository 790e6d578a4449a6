/**
 * Errors raised by word expansion.
 *
 * Internally every failure is a `LexFailure` carrying only the reason
 * ("syntax error: bad substitution", "FOO: is not allowed to be unset", ...).
 * `ShellLex` catches it at the top and throws a `ShellExpansionError` whose
 * message is shaped like upstream's `errors.Wrapf(err, "failed to process %q",
 * word)`, so messages shown to users read the same as with the official
 * frontend.
 */

/** Internal: a failure somewhere inside one expansion. Not exported from index.ts. */
export class LexFailure extends Error {
  override name = "LexFailure";
}

/**
 * Thrown by `ShellLex.processWord`/`processWords` for malformed input or a
 * failed `${VAR?msg}` / `${VAR:?msg}` check. Callers attach the Dockerfile
 * location themselves (the lexer never sees line numbers).
 */
export class ShellExpansionError extends Error {
  override name = "ShellExpansionError";
  /** The word as given to the lexer. */
  readonly word: string;
  /** The failure without the `failed to process "..."` prefix. */
  readonly reason: string;
  /**
   * Variables looked up before the failure. Upstream returns these alongside
   * the error, and the official frontend still feeds them to its lint checks
   * (e.g. for FROM) when expansion fails, so we keep them too.
   */
  readonly matched: ReadonlySet<string>;
  readonly unmatched: ReadonlySet<string>;

  constructor(word: string, reason: string, matched: ReadonlySet<string>, unmatched: ReadonlySet<string>) {
    super(`failed to process ${goQuote(word)}: ${reason}`);
    this.word = word;
    this.reason = reason;
    this.matched = matched;
    this.unmatched = unmatched;
  }
}

// Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the
// ASCII space. Everything else gets escaped by %q.
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_SHORT_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
};

/**
 * Quotes a string the way Go's `%q` verb does, so error texts match upstream
 * byte for byte (JSON.stringify differs for control and non-printable
 * characters, e.g. `\a`, `\x7f`, `\u00a0`).
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") out += "\\" + ch;
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (GO_SHORT_ESCAPES[ch] !== undefined) out += GO_SHORT_ESCAPES[ch];
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x10000) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + '"';
}
