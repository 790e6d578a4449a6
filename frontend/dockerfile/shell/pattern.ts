/**
 * Patterns for `${VAR#p}`, `${VAR##p}`, `${VAR%p}`, `${VAR%%p}`,
 * `${VAR/p/r}` and `${VAR//p/r}`.
 *
 * BuildKit does not implement POSIX pattern matching here: it converts the
 * pattern into a Go regular expression and uses Go's regexp search. We copy
 * the observable behaviour of that approach, not bash's, because a Dockerfile
 * must expand the same way under this frontend as under the official one:
 *
 * - only `*` (any run of characters) and `?` (one character) are wildcards;
 *   `[...]` is NOT a bracket expression, `[` and `]` match themselves;
 * - `*` and `?` never match a newline (Go's `.` does not);
 * - `\*`, `\?`, `\\` match the literal character; `\}` and `\/` (needed to
 *   write those characters inside `${...}`) drop the backslash; any other
 *   backslash escape is an "invalid escape" error. The backslash here is the
 *   pattern's own escape, whatever the Dockerfile's escape token is;
 * - `%`/`%%` reverse both the value and the pattern and do a prefix search,
 *   so a failing `%` pattern is reported reversed, as upstream does;
 * - `//` replaces like Go's `ReplaceAllString`: an empty match right after a
 *   previous match is skipped, and `$0`/`${0}`/`$$` in the replacement are
 *   template references (other `$name` references expand to nothing).
 *
 * JS regexps are backtracking, Go's are linear; with many `*` in one pattern
 * a failing search can get slow on long values. Dockerfile values are short,
 * so we accept that rather than hand-write a matcher that must reproduce the
 * leftmost-first semantics above exactly.
 */
import { LexFailure } from "./errors.ts";
import { RuneScanner } from "./runes.ts";

// Go's `.` (no `s` flag) is any rune but "\n"; JS's `.` also excludes "\r",
// U+2028 and U+2029, so spell the class out.
const ANY = "[^\\n]";
// Characters that are regexp syntax in both Go and JS and must be escaped
// to stand for themselves.
const REGEXP_SYNTAX = new Set(["[", "]", "{", "}", ".", "+", "(", ")", "|", "^", "$"]);

function invalidPattern(pattern: string, why: string): LexFailure {
  return new LexFailure(`invalid pattern (${pattern}) in substitution: ${why}`);
}

/**
 * Converts a pattern to a regexp. `greedy` picks `*` as longest (`##`, `%%`,
 * `/`, `//`) or shortest (`#`, `%`); `anchored` pins the match to the start.
 */
export function patternToRegExp(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  const sc = new RuneScanner(pattern);
  let out = anchored ? "^" : "";
  for (let tok = sc.next(); tok !== undefined; tok = sc.next()) {
    if (tok === "*") {
      out += greedy ? `${ANY}*` : `${ANY}*?`;
    } else if (tok === "?") {
      out += ANY;
    } else if (tok === "\\") {
      const following = sc.peek();
      if (following === "}" || following === "/") continue;
      const escaped = sc.next();
      if (escaped !== "*" && escaped !== "?" && escaped !== "\\") {
        // Go formats a missing rune (EOF, -1) with %c as "%!c(int=-1)".
        throw invalidPattern(pattern, `invalid escape '\\${escaped ?? "%!c(int=-1)"}'`);
      }
      out += "\\" + escaped;
    } else {
      out += REGEXP_SYNTAX.has(tok) ? "\\" + tok : tok;
    }
  }
  // `u`: `?` must consume a whole code point, like a Go rune.
  return new RegExp(out, "u");
}

/** `${VAR#p}` (greedy=false) and `${VAR##p}` (greedy=true). */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  const m = patternToRegExp(pattern, greedy, true).exec(value);
  return m ? value.slice(m.index + m[0].length) : value;
}

/**
 * `${VAR%p}` and `${VAR%%p}`. A regexp cannot ask for the shortest match that
 * ends at the end of the string, so search the reversed value with the
 * reversed pattern from the start instead.
 */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  return reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
}

/** Reverses by code point. */
export function reverseString(s: string): string {
  return Array.from(s).reverse().join("");
}

/**
 * Reverses a pattern but keeps each `\x` pair in order (`a\*c` -> `c\*a`),
 * so escapes still apply to the same character. A trailing lone backslash
 * stays a lone backslash (now at the front).
 */
export function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out: string[] = [];
  for (let i = 0; i < runes.length; ) {
    if (runes[i] === "\\" && i !== runes.length - 1) {
      out.push(runes[i]! + runes[i + 1]!);
      i += 2;
    } else {
      out.push(runes[i]!);
      i += 1;
    }
  }
  return out.reverse().join("");
}

/** `${VAR/p/r}`: the first (leftmost, longest-star) match, replaced verbatim. */
export function replaceFirst(pattern: string, value: string, replacement: string): string {
  const m = patternToRegExp(pattern, true, false).exec(value);
  if (!m) return value;
  return value.slice(0, m.index) + replacement + value.slice(m.index + m[0].length);
}

/** `${VAR//p/r}`, with Go's `ReplaceAllString` rules (see the file comment). */
export function replaceAll(pattern: string, value: string, replacement: string): string {
  const re = new RegExp(patternToRegExp(pattern, true, false).source, "gu");
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= value.length) {
    re.lastIndex = searchPos;
    const m = re.exec(value);
    if (!m) break;
    const start = m.index;
    const end = start + m[0].length;
    out += value.slice(lastMatchEnd, start);
    // An empty match touching the previous match is not replaced again:
    // that is what makes "x*" on "axxb" give one replacement, not two.
    if (end > lastMatchEnd || start === 0) out += expandTemplate(replacement, m[0]);
    lastMatchEnd = end;
    // Always move forward by at least one code point.
    const width = searchPos < value.length ? (value.codePointAt(searchPos)! > 0xffff ? 2 : 1) : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos += 1;
    else searchPos = end;
  }
  return out + value.slice(lastMatchEnd);
}

const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;

/**
 * Go's `Regexp.Expand` for a regexp without groups: `$$` is `$`, `$0` and
 * `${0}` are the whole match, any other well-formed `$name`/`${name}` is
 * empty, and a malformed `$` stays literal.
 */
function expandTemplate(template: string, whole: string): string {
  const runes = Array.from(template);
  let out = "";
  let i = 0;
  while (i < runes.length) {
    const ch = runes[i]!;
    if (ch !== "$") {
      out += ch;
      i += 1;
      continue;
    }
    i += 1;
    if (runes[i] === "$") {
      out += "$";
      i += 1;
      continue;
    }
    const braced = runes[i] === "{";
    let j = braced ? i + 1 : i;
    let name = "";
    while (j < runes.length && NAME_CHAR.test(runes[j]!)) name += runes[j++];
    if (name === "" || (braced && runes[j] !== "}")) {
      out += "$"; // malformed: the "$" is literal, rescan what follows it
      continue;
    }
    i = braced ? j + 1 : j;
    // Group numbers are ASCII digits without a leading zero; only group 0 exists.
    if (name === "0") out += whole;
  }
  return out;
}
