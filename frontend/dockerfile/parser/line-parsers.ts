// Per-instruction argument parsers, following upstream's line_parsers.go.
// Each turns the text after the instruction word and flags into the list of
// values upstream keeps in the node's Next chain, plus the JSON attribute.

import type { InstructionNode } from "./nodes.ts";
import { splitCommand } from "./split-command.ts";
import { isGoSpace, reWhitespace, trimLeftSpace } from "./text.ts";

export interface LineParse {
  args: string[];
  json: boolean;
  child?: InstructionNode;
}

type LineParser = (rest: string, escapeToken: string) => LineParse;

const notStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

const none = (): LineParse => ({ args: [], json: false });

/**
 * Splits on unquoted whitespace, keeping quotes and escapes in the words (they
 * are interpreted later, during variable expansion).
 */
export function parseWords(rest: string, escapeToken: string): string[] {
  const words: string[] = [];
  const chars = Array.from(rest);
  let phase: "spaces" | "word" | "quote" = "spaces";
  let quote = "";
  let blankOK = false;
  let word = "";

  for (let pos = 0; pos <= chars.length; pos++) {
    const atEnd = pos === chars.length;
    let ch = atEnd ? "" : chars[pos]!;
    if (phase === "spaces") {
      if (atEnd) break;
      if (isGoSpace(ch)) continue;
      phase = "word";
    }
    if (atEnd) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === "word") {
      if (isGoSpace(ch)) {
        phase = "spaces";
        if (blankOK || word.length > 0) words.push(word);
        word = "";
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = "quote";
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue; // drop an escape at the very end
        // Outside quotes an escape keeps itself and the next char, even a quote.
        word += ch;
        pos++;
        ch = chars[pos]!;
      }
      word += ch;
      continue;
    }
    // phase === "quote"
    if (ch === quote) phase = "word";
    // Inside single quotes nothing can be escaped.
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = "word";
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos]!;
    }
    word += ch;
  }
  return words;
}

/**
 * ENV/LABEL: `K=V ...` (args: key, value, "=" per pair) or the legacy `K V`
 * form (args: key, rest-of-line, ""). The third value is how later layers tell
 * the two forms apart.
 */
function parseNameVal(rest: string, key: string, escapeToken: string): LineParse {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return none();
  if (!words[0]!.includes("=")) {
    const m = reWhitespace.exec(rest);
    if (!m) throw new Error(`${key} must have two arguments`);
    return { args: [rest.slice(0, m.index), rest.slice(m.index + m[0].length), ""], json: false };
  }
  const args: string[] = [];
  for (const w of words) {
    const eq = w.indexOf("=");
    if (eq < 0) {
      throw new Error(`Syntax error - can't find = in ${JSON.stringify(w)}. Must be of the form: name=value`);
    }
    args.push(w.slice(0, eq), w.slice(eq + 1), "=");
  }
  return { args, json: false };
}

/** ARG: words kept whole (`name`, `name=value`); splitting happens later. */
function parseNameOrNameVal(rest: string, escapeToken: string): LineParse {
  return { args: parseWords(rest, escapeToken), json: false };
}

export function parseStringsWhitespaceDelimited(rest: string): LineParse {
  if (rest === "") return none();
  return { args: rest.split(reWhitespace), json: false };
}

function parseString(rest: string): LineParse {
  if (rest === "") return none();
  return { args: [rest], json: false };
}

class NotJSONArray extends Error {}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Strict JSON array of strings; NotJSONArray when the text is not one. */
function parseJSON(rest: string): LineParse {
  const text = trimLeftSpace(rest);
  if (!text.startsWith("[")) throw new NotJSONArray();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotJSONArray();
  }
  if (!Array.isArray(value)) throw new NotJSONArray();
  const args: string[] = [];
  for (const item of value) {
    if (typeof item !== "string") throw new Error(notStringArray);
    // Go's decoder turns unpaired surrogate escapes into U+FFFD.
    args.push(item.replace(loneSurrogate, "\ufffd"));
  }
  return { args, json: true };
}

function parseMaybeJSON(rest: string): LineParse {
  if (rest === "") return none();
  try {
    return parseJSON(rest);
  } catch (e) {
    if (!(e instanceof NotJSONArray)) throw e;
  }
  return { args: [rest], json: false };
}

function parseMaybeJSONToList(rest: string): LineParse {
  try {
    return parseJSON(rest);
  } catch (e) {
    if (!(e instanceof NotJSONArray)) throw e;
  }
  return parseStringsWhitespaceDelimited(rest);
}

/** HEALTHCHECK: a type word (CMD/NONE/...) then an optional command. */
function parseHealthConfig(rest: string): LineParse {
  let sep = 0;
  while (sep < rest.length && !isGoSpace(rest[sep]!)) sep++;
  let next = sep;
  while (next < rest.length && isGoSpace(rest[next]!)) next++;
  if (sep === 0) return none();
  const cmd = parseMaybeJSON(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}

/** Anything we do not know: the node is kept (layer 2 reports it). */
function parseIgnore(): LineParse {
  // Upstream attaches one empty node, which shows up as `""` in dumps.
  return { args: [""], json: false };
}

const dispatch: Record<string, LineParser> = {
  add: parseMaybeJSONToList,
  arg: parseNameOrNameVal,
  cmd: parseMaybeJSON,
  copy: parseMaybeJSONToList,
  entrypoint: parseMaybeJSON,
  env: (rest, esc) => parseNameVal(rest, "ENV", esc),
  expose: parseStringsWhitespaceDelimited,
  from: parseStringsWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: (rest, esc) => parseNameVal(rest, "LABEL", esc),
  maintainer: parseString,
  onbuild: parseSubCommand,
  run: parseMaybeJSON,
  shell: parseMaybeJSON,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJSONToList,
  workdir: parseString,
};

/** ONBUILD: the rest of the line is itself an instruction. */
function parseSubCommand(rest: string, escapeToken: string): LineParse {
  if (rest === "") return none();
  const child = newNodeFromLine(rest, escapeToken, []);
  // Upstream's nodeArgs flattens a sub-command into its keyword and args.
  return { args: [child.rawKeyword, ...child.args], json: false, child };
}

/**
 * Builds a node from one logical line (upstream newNodeFromLine). Line numbers
 * and heredocs are filled in by the caller. Throws a plain Error with
 * upstream's message; the caller attaches the location.
 */
export function newNodeFromLine(line: string, escapeToken: string, comments: string[]): InstructionNode {
  const { cmd, flags, rest } = splitCommand(line);
  const keyword = cmd.toLowerCase();
  const fn = Object.hasOwn(dispatch, keyword) ? dispatch[keyword]! : parseIgnore;
  const parsed = fn(rest, escapeToken);
  const node: InstructionNode = {
    keyword,
    rawKeyword: cmd,
    args: parsed.args,
    flags,
    json: parsed.json,
    original: line,
    heredocs: [],
    startLine: 0,
    endLine: 0,
    comments,
  };
  if (parsed.child) node.child = parsed.child;
  return node;
}
