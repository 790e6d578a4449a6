/**
 * Go's `%q` and `%v` formatting of string slices, which the official frontend
 * uses in history messages (`CMD ["a" "b"]`, `VOLUME [/a /b]`). History is
 * part of the image config, so we reproduce it byte for byte.
 */

/** Go's `%q` of a []string: `["a" "b"]` with Go string escaping. */
export function goQuoteSlice(items: readonly string[]): string {
  return `[${items.map(goQuote).join(" ")}]`;
}

/** Go's `%v` of a []string: `[a b]`. */
export function goSlice(items: readonly string[]): string {
  return `[${items.join(" ")}]`;
}

/** Go's strconv.Quote for the characters that matter in Dockerfiles. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's time.Duration.String() for a count of nanoseconds (`1m30s`, `500ms`, `0s`). */
export function goDuration(ns: number): string {
  if (ns === 0) return "0s";
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    // Sub-second: the largest unit that keeps an integer part.
    const [unit, div] = u < 1e3 ? ["ns", 1] : u < 1e6 ? ["µs", 1e3] : ["ms", 1e6];
    out = trimFraction(u / (div as number)) + unit;
  } else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    const s = trimFraction(u / 1e9);
    out = (h > 0 ? `${h}h` : "") + (h > 0 || m > 0 ? `${m}m` : "") + `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}
