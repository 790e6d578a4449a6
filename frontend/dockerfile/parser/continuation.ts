// Upstream's per-line rules (parser.go): what counts as a comment, how a line
// is cleaned before joining, and when it continues onto the next one. These
// decide the exact text of Node.Original, so they are reproduced as written
// upstream rather than taken from dockerfile-ast, whose joined argument text
// differs in whitespace.

import { trimLeftSpace, trimNewline } from "./text.ts";

/** A comment line: `#` after optional leading whitespace. */
export function isComment(line: string): boolean {
  const t = trimLeftSpace(line);
  return t.length > 0 && t[0] === "#";
}

/** A whitespace-only line inside a continuation (deprecated, warned about). */
export function isEmptyContinuationLine(line: string): boolean {
  return trimLeftSpace(trimNewline(line)).length === 0;
}

/**
 * Drops the line ending, optionally the leading whitespace (only for the first
 * line of an instruction — continuation lines keep theirs), and blanks
 * comment lines.
 */
export function processLine(raw: string, stripLeftWhitespace: boolean): string {
  let token = trimNewline(raw);
  if (stripLeftWhitespace) token = trimLeftSpace(token);
  return isComment(token) ? "" : token;
}

export interface Continuation {
  /** The line without its continuation marker. */
  text: string;
  /** True when the line does not continue. */
  endOfLine: boolean;
}

/**
 * Upstream's line-continuation test: the escape character as the last
 * non-blank (space/tab) character, unless it is itself escaped — except that a
 * line made only of the escape character also continues.
 */
export function continuationMatcher(escapeToken: string): (line: string) => Continuation {
  const e = escapeToken === "\\" ? "\\\\" : escapeToken;
  const re = new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
  return (line) => {
    const m = re.exec(line);
    if (!m) return { text: line, endOfLine: true };
    return { text: line.slice(0, m.index) + (m[1] ?? ""), endOfLine: false };
  };
}
