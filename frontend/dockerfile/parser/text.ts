// Small string helpers that reproduce the Go standard-library behaviour the
// upstream parser relies on (unicode.IsSpace, strings.TrimSpace,
// strconv.Quote, bufio line scanning). JavaScript's own `\s`/`trim()` differ
// in a few code points (U+0085, U+FEFF), and those differences would show up
// as conformance drift, so we spell the Go sets out.

/** Go's unicode.IsSpace. */
export function isGoSpace(ch: string): boolean {
  switch (ch) {
    case "\t":
    case "\n":
    case "\v":
    case "\f":
    case "\r":
    case " ":
    case "\u0085":
    case "\u00a0":
    case "\u1680":
    case "\u2028":
    case "\u2029":
    case "\u202f":
    case "\u205f":
    case "\u3000":
      return true;
    default:
      return ch >= "\u2000" && ch <= "\u200a";
  }
}

/** strings.TrimLeftFunc(s, unicode.IsSpace). */
export function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && isGoSpace(s[i]!)) i++;
  return s.slice(i);
}

/** strings.TrimRightFunc(s, unicode.IsSpace). */
export function trimRightSpace(s: string): string {
  let j = s.length;
  while (j > 0 && isGoSpace(s[j - 1]!)) j--;
  return s.slice(0, j);
}

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  return trimRightSpace(trimLeftSpace(s));
}

/** bytes.TrimRight(s, "\r\n"): upstream strips any run of CR/LF at the end. */
export function trimNewline(s: string): string {
  let j = s.length;
  while (j > 0 && (s[j - 1] === "\n" || s[j - 1] === "\r")) j--;
  return s.slice(0, j);
}

/**
 * Splits like upstream's scanLines: every line keeps its "\n"; a final line
 * without newline is kept; a trailing "\n" does not create an empty line.
 */
export function splitRawLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    if (nl < 0) {
      if (start < text.length) out.push(text.slice(start));
      return out;
    }
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
}

/** The `[\t\v\f\r ]+` separator upstream uses to split simple argument lists. */
export const reWhitespace = /[\t\v\f\r ]+/;

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/** Go strconv.Quote, used by the dump format. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === "\\") {
      out += "\\" + ch;
    } else if (ch === " " || printable.test(ch)) {
      out += ch;
    } else {
      switch (ch) {
        case "\x07":
          out += "\\a";
          break;
        case "\b":
          out += "\\b";
          break;
        case "\f":
          out += "\\f";
          break;
        case "\n":
          out += "\\n";
          break;
        case "\r":
          out += "\\r";
          break;
        case "\t":
          out += "\\t";
          break;
        case "\v":
          out += "\\v";
          break;
        default:
          if (cp < 0x20 || cp === 0x7f) {
            out += "\\x" + cp.toString(16).padStart(2, "0");
          } else if (cp >= 0xd800 && cp <= 0xdfff) {
            // A lone surrogate cannot come from valid UTF-8; Go would have
            // decoded the bytes as U+FFFD.
            out += "\\ufffd";
          } else if (cp < 0x10000) {
            out += "\\u" + cp.toString(16).padStart(4, "0");
          } else {
            out += "\\U" + cp.toString(16).padStart(8, "0");
          }
      }
    }
  }
  return out + '"';
}

/** Go's `%q` of a []string: `["a" "b"]`. */
export function goQuoteSlice(items: readonly string[]): string {
  return "[" + items.map(goQuote).join(" ") + "]";
}
