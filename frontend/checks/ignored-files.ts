/**
 * CopyIgnoredFile (experimental): a COPY/ADD source from the build context
 * that .dockerignore excludes, so the build cannot see it. Patterns match as
 * moby/patternmatcher's do (`*`, `?`, `**`, classes, escapes; a path also
 * matches when one of its parents does). As upstream, nothing is reported
 * when the file has exclusions (`!pattern`): whether a path ends up excluded
 * then depends on the files present.
 */
import { posix } from "node:path";
import type { ContextSource } from "./dispatch-checks.ts";
import type { Linter } from "./linter.ts";
import { CopyIgnoredFile } from "./rules.ts";

export function checkIgnoredSources(lint: Linter, sources: readonly ContextSource[], patterns: readonly string[]): void {
  if (patterns.length === 0 || patterns.some((p) => p.startsWith("!"))) return;
  const matchers = patterns.map(compilePattern);
  const rootIgnored = patterns.some((p) => p === "*" || p === "**" || p === "**/*");
  for (const s of sources) {
    const path = posix.normalize(s.path).replace(/(.)\/+$/, "$1");
    // The context root is never excluded itself, unless everything in it is.
    if ((path === "." || path === "/") && !rootIgnored) continue;
    if (matchesOrParentMatches(matchers, path)) lint.run(CopyIgnoredFile, s.lines, CopyIgnoredFile.format(s.instruction, path));
  }
}

function matchesOrParentMatches(matchers: readonly RegExp[], file: string): boolean {
  const parent = posix.dirname(file);
  const dirs = parent.split("/");
  return matchers.some((re) => {
    if (re.test(file)) return true;
    if (parent === ".") return false;
    return dirs.some((_, i) => re.test(dirs.slice(0, i + 1).join("/")));
  });
}

/** A .dockerignore pattern as a regular expression over slash-separated paths. */
export function compilePattern(pattern: string): RegExp {
  const p = posix.normalize(pattern);
  let re = "^";
  const chars = Array.from(p);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "*") {
      if (chars[i + 1] === "*") {
        i++;
        if (chars[i + 1] === "/") i++;
        // `**` at the end matches everything below; elsewhere any number of directories.
        re += i + 1 >= chars.length ? ".*" : "(.*/)?";
      } else {
        re += "[^/]*";
      }
    } else if (ch === "?") {
      re += "[^/]";
    } else if (ch === "\\") {
      const next = chars[i + 1];
      if (next === undefined) re += "\\\\";
      else {
        re += escapeRegex(next);
        i++;
      }
    } else if (ch === "[" || ch === "]") {
      re += ch;
    } else {
      re += escapeRegex(ch);
    }
  }
  re += "$";
  try {
    return new RegExp(re, "s");
  } catch {
    return /$^/; // a malformed class matches nothing (patternmatcher rejects the file; the build goes on)
  }
}

function escapeRegex(ch: string): string {
  return /[.+()|{}^$*?[\]\\/]/.test(ch) ? `\\${ch}` : ch;
}
