/**
 * `.dockerignore` parsing, following moby/patternmatcher's ignorefile rules:
 * strip a UTF-8 BOM, skip comments and blank lines, trim, keep a leading `!`
 * as an exception marker, clean the pattern and drop a leading `/`.
 */
import { posix } from "node:path";

export function parseDockerignore(data: Uint8Array | string): string[] {
  let text = typeof data === "string" ? data : new TextDecoder().decode(data);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (raw.startsWith("#")) continue;
    let line = raw.trim();
    if (line === "") continue;
    let invert = false;
    if (line.startsWith("!")) {
      invert = true;
      line = line.slice(1).trim();
    }
    if (line.length > 0) {
      line = posix.normalize(line);
      if (line.length > 1 && line.endsWith("/")) line = line.slice(0, -1);
      if (line === "/") {
        // A lone "/" matches everything; keep it as such.
      } else if (line.startsWith("/")) {
        line = line.slice(1);
      }
    }
    out.push(invert ? `!${line}` : line);
  }
  return out;
}
