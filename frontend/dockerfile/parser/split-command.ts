// Splitting a logical line into instruction word, builder flags and the rest,
// following upstream's split_command.go.

import { isGoSpace, reWhitespace, trimSpace } from "./text.ts";

export interface SplitCommand {
  /** The instruction word as written. */
  cmd: string;
  flags: string[];
  /** Everything after the flags, trimmed. */
  rest: string;
}

export function splitCommand(line: string): SplitCommand {
  const trimmed = trimSpace(line);
  const m = reWhitespace.exec(trimmed);
  if (!m) return { cmd: trimmed, flags: [], rest: "" };
  const cmd = trimmed.slice(0, m.index);
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length));
  return { cmd, flags, rest: trimSpace(rest) };
}

/**
 * Reads leading `--flag[=value]` words. Quotes are removed and `\` escapes the
 * next character (always backslash here, whatever the escape directive says,
 * as upstream). A bare `--` ends the flags. There is no `--name value` form:
 * a flag word never consumes the following word.
 */
export function extractBuilderFlags(line: string): { rest: string; flags: string[] } {
  const flags: string[] = [];
  let phase: "spaces" | "word" | "quote" = "spaces";
  let word = "";
  let quote = "";
  let blankOK = false;

  for (let pos = 0; pos <= line.length; pos++) {
    const atEnd = pos === line.length;
    let ch = atEnd ? "" : line[pos]!;

    if (phase === "spaces") {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      // Only words starting with "--" are flags; anything else starts the rest.
      if (ch !== "-" || pos + 1 === line.length || line[pos + 1] !== "-") {
        return { rest: line.slice(pos), flags };
      }
      phase = "word";
    }
    if (atEnd) {
      if (word !== "--" && (blankOK || word.length > 0)) flags.push(word);
      break;
    }
    if (phase === "word") {
      if (isGoSpace(ch)) {
        phase = "spaces";
        if (word === "--") return { rest: line.slice(pos), flags };
        if (blankOK || word.length > 0) flags.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
        continue;
      }
      if (ch === "\\") {
        if (pos + 1 === line.length) continue; // a trailing \ is dropped
        pos++;
        ch = line[pos]!;
      }
      word += ch;
      continue;
    }
    // phase === "quote"
    if (ch === quote) {
      phase = "word";
      continue;
    }
    if (ch === "\\") {
      if (pos + 1 === line.length) {
        phase = "word";
        continue;
      }
      pos++;
      ch = line[pos]!;
    }
    word += ch;
  }
  return { rest: "", flags };
}
