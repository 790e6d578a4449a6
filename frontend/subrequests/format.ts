/**
 * Output formats of subrequest results, byte for byte as BuildKit's Go code
 * writes them, so clients that compare or print them see what the official
 * frontend would send:
 *
 * - `goJson`: `json.MarshalIndent(v, "", "  ")`. Unlike JSON.stringify, Go
 *   escapes `<`, `>`, `&`, U+2028 and U+2029 in strings (HTML-safe output)
 *   and writes `\b`/`\f` as `\u0008`/`\u000c`. `undefined` members are left
 *   out (Go's `omitempty`); `null` is written.
 * - `table`: `text/tabwriter` with minwidth 0, tabwidth 0, padding n, padchar
 *   ' ', no flags, for rows of equal length: every cell but the last of a
 *   line is padded to its column's widest cell (in runes) plus the padding;
 *   the last cell is not.
 */

export type JsonValue = string | number | boolean | null | undefined | JsonValue[] | { [key: string]: JsonValue };

export function goJson(value: JsonValue): string {
  return encode(value, "");
}

function encode(v: JsonValue, indent: string): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "string") return goQuote(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => inner + encode(x, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, x]) => `${inner}${goQuote(k)}: ${encode(x, inner)}`).join(",\n")}\n${indent}}`;
}

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A JSON string as Go's encoding/json writes it (HTML-safe). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    if (short) out += short;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || ch === "<" || ch === ">" || ch === "&" || cp === 0x2028 || cp === 0x2029) {
        out += `\\u${cp.toString(16).padStart(4, "0")}`;
      } else out += ch;
    }
  }
  return out + '"';
}

/** Lines of cells laid out as Go's tabwriter does (see above); every line ends with "\n". */
export function table(rows: readonly (readonly string[])[], padding: number): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, runeLength(cell) + padding);
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i < row.length - 1 ? cell + " ".repeat(widths[i]! - runeLength(cell)) : cell)).join("") + "\n")
    .join("");
}

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A source range in the `pb.Location` JSON form (`character` is 0 and so left out, as Go's omitempty does). */
export function location(lines: readonly { start: number; end: number }[]): JsonValue {
  if (lines.length === 0) return undefined;
  return { ranges: lines.map((r) => ({ start: { line: r.start }, end: { line: r.end } })) };
}

/** A `[]byte` as Go's encoding/json writes it: standard base64 with padding. */
export function goBase64(data: Uint8Array): string {
  return Buffer.from(data).toString("base64");
}
