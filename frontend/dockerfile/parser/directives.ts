// Parser directives (`# syntax=`, `# escape=`, `# check=`), with upstream's
// rules: they must form an unbroken run of lines at the very top, the run ends
// at the first line that is not `#key=value` *or* whose key is not a known
// directive (so `# foo=bar` before `# escape=` disables the escape), and each
// may appear once.
//
// dockerfile-ast recognises directives too, but it keeps reading past unknown
// keys and ignores invalid escape values, so its answer would change how the
// file is split. The few lines of rules live here; the segmenter is then fed
// the escape character decided here (see segments.ts).

import { DockerfileParseError, type Directives } from "./nodes.ts";
import { trimLeftSpace, trimNewline } from "./text.ts";

const validDirectives = new Set(["syntax", "escape", "check"]);

// Go's RE2 `\s` is [\t\n\f\r ] and `.` is "anything but \n"; spelled out so
// JavaScript's wider classes do not accept lines upstream rejects.
function directiveRegex(commentPrefix: string): RegExp {
  return new RegExp(
    `^${commentPrefix}[\\t\\n\\f\\r ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*([^\\n]+?)[\\t\\n\\f\\r ]*$`,
  );
}

const hashDirective = directiveRegex("#");

export interface DirectiveScan {
  escapeToken: string;
  directives: Directives;
  /** How many lines at the top are directives. */
  count: number;
}

export function validateEscapeToken(value: string): void {
  if (value !== "`" && value !== "\\") {
    throw new Error(`invalid escape token '${value}' does not match \` or \\`);
  }
}

/**
 * Scans the leading directive lines of `lines` (raw lines as produced by
 * splitRawLines, BOM already removed). Throws DockerfileParseError for a
 * repeated directive or an invalid escape token, at the offending line.
 */
export function scanDirectives(lines: readonly string[]): DirectiveScan {
  const directives: Directives = {};
  let escapeToken = "\\";
  let count = 0;
  for (let i = 0; i < lines.length; i++) {
    // Upstream matches the line after trimming the newline and leading space.
    const token = trimLeftSpace(trimNewline(lines[i]!));
    const m = hashDirective.exec(token);
    if (!m) break;
    const key = m[1]!.toLowerCase() as keyof Directives;
    if (!validDirectives.has(key)) break;
    const line = i + 1;
    if (directives[key]) {
      throw new DockerfileParseError(`only one ${key} parser directive can be used`, line);
    }
    const value = m[2]!;
    if (key === "escape") {
      try {
        validateEscapeToken(value);
      } catch (e) {
        throw new DockerfileParseError((e as Error).message, line);
      }
      escapeToken = value;
    }
    directives[key] = { value, line };
    count = i + 1;
  }
  return { escapeToken, directives, count };
}

export interface DetectedDirective {
  /** First word of the value (`docker/dockerfile:1 foo` → `docker/dockerfile:1`). */
  value: string;
  /** The full value. */
  cmdline: string;
  /** 1-based line (0 for the JSON form, like upstream). */
  line: number;
}

/**
 * Upstream's DetectSyntax/ParseDirective: finds a directive before full
 * parsing (used to decide whether to forward to another frontend). Unlike the
 * parser it skips a leading shebang, does not trim leading whitespace, and
 * with `anyFormat` also accepts `// key=value` and a JSON object.
 */
export function detectDirective(
  key: "syntax" | "escape" | "check",
  text: string,
  anyFormat = key === "syntax",
): DetectedDirective | undefined {
  let dt = text.startsWith("\ufeff") ? text.slice(1) : text;
  let lineOffset = 0;
  const firstNl = dt.indexOf("\n");
  const firstLine = firstNl < 0 ? dt : dt.slice(0, firstNl);
  if (firstLine.startsWith("#!")) {
    dt = firstNl < 0 ? "" : dt.slice(firstNl + 1);
    lineOffset = 1;
  }

  const fromPrefix = (re: RegExp): DetectedDirective | undefined => {
    const seen = new Set<string>();
    // bufio.ScanLines semantics: split on \n, drop one trailing \r.
    const lines = dt.split("\n");
    if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    for (let i = 0; i < lines.length; i++) {
      let l = lines[i]!;
      if (l.endsWith("\r")) l = l.slice(0, -1);
      const m = re.exec(l);
      if (!m) return undefined;
      const k = m[1]!.toLowerCase();
      if (!validDirectives.has(k) || seen.has(k)) return undefined;
      seen.add(k);
      if (k === key) {
        const v = m[2]!;
        const sp = v.indexOf(" ");
        return { value: sp < 0 ? v : v.slice(0, sp), cmdline: v, line: lineOffset + i + 1 };
      }
    }
    return undefined;
  };

  const found = fromPrefix(hashDirective);
  if (found || !anyFormat) return found;
  const slashes = fromPrefix(directiveRegex("//"));
  if (slashes) return slashes;
  try {
    const obj: unknown = JSON.parse(dt);
    if (obj && typeof obj === "object" && !Array.isArray(obj)) {
      const v = (obj as Record<string, unknown>)[key];
      if (typeof v === "string") return { value: v, cmdline: v, line: lineOffset };
    }
  } catch {
    // not JSON: no directive
  }
  return undefined;
}
