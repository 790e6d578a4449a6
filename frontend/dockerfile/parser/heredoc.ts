// Here-document detection, following upstream parser.go (heredocsFromLine,
// ParseHeredoc). Upstream finds heredoc words by running its shell lexer over
// the whole instruction line with quotes and escapes kept raw and unset
// variables left alone; then each word of the form `[fd]<<[-]name` is a
// heredoc. The real lexer is another module's job (frontend/dockerfile/shell);
// this file carries the small subset needed here — with an empty environment
// and SkipUnsetEnv, `$` never changes text, so only word splitting, quotes and
// escapes matter.

import type { Heredoc } from "./nodes.ts";
import { isGoSpace } from "./text.ts";

interface LexOptions {
  rawQuotes: boolean;
  rawEscapes: boolean;
}

class LexError extends Error {}

/** Word splitting like upstream's Lex.ProcessWords with SkipUnsetEnv and no env. */
export function shellWords(input: string, opts: LexOptions, escapeToken = "\\"): string[] {
  const chars = Array.from(input);
  let pos = 0;
  const peek = (): string | undefined => chars[pos];
  const next = (): string | undefined => chars[pos++];

  const words: string[] = [];
  let word = "";
  let inWord = false;
  const addRawChar = (c: string) => {
    word += c;
    inWord = true;
  };
  const addChar = (c: string) => {
    if (isGoSpace(c)) {
      if (inWord && word.length !== 0) {
        words.push(word);
        word = "";
        inWord = false;
      }
    } else {
      addRawChar(c);
    }
  };

  const singleQuote = (): string => {
    let out = "";
    const open = next()!;
    if (opts.rawQuotes) out += open;
    for (;;) {
      const c = next();
      if (c === undefined) throw new LexError("unexpected end of statement while looking for matching single-quote");
      if (c === "'") {
        if (opts.rawQuotes) out += c;
        return out;
      }
      out += c;
    }
  };

  const doubleQuote = (): string => {
    let out = "";
    const open = next()!;
    if (opts.rawQuotes) out += open;
    for (;;) {
      const p = peek();
      if (p === undefined) throw new LexError("unexpected end of statement while looking for matching double-quote");
      if (p === '"') {
        next();
        if (opts.rawQuotes) out += p;
        return out;
      }
      if (p === "$") {
        out += dollar();
        continue;
      }
      let c = next()!;
      if (c === escapeToken) {
        if (opts.rawEscapes) out += c;
        const q = peek();
        if (q === undefined) continue;
        if (q === '"' || q === "$" || q === escapeToken) c = next()!;
      }
      out += c;
    }
  };

  // With no variables set and SkipUnsetEnv, a `$` reference is reproduced as
  // written; we only need to consume it the way upstream would.
  const dollar = (): string => {
    next(); // $
    if (peek() !== "{") {
      const name = readName();
      return "$" + name;
    }
    next(); // {
    const p = peek();
    if (p === undefined) throw new LexError("syntax error: missing '}'");
    if (p === "{" || p === "}" || p === ":") throw new LexError("syntax error: bad substitution");
    const name = readName();
    const c = next();
    if (c === "}") return "${" + name + "}";
    if (c === undefined) throw new LexError("syntax error: missing '}'");
    let mod = c;
    if (c === ":") {
      const c2 = next();
      if (c2 === undefined) throw new LexError("syntax error: missing '}'");
      mod += c2;
    }
    if ("+-?#%:".includes(c) || c === "/") {
      const body = readUntil("}");
      return "${" + name + mod + body + "}";
    }
    throw new LexError(`unsupported modifier (${mod}) in substitution`);
  };

  const readName = (): string => {
    let name = "";
    for (;;) {
      const c = peek();
      if (c === undefined) return name;
      if (name === "" && /\p{Nd}/u.test(c)) {
        while (peek() !== undefined && /\p{Nd}/u.test(peek()!)) name += next();
        return name;
      }
      if (name === "" && "@*#?-$!0".includes(c)) return next()!;
      if (!/[\p{L}\p{Nd}_]/u.test(c)) return name;
      name += next();
    }
  };

  const readUntil = (stop: string): string => {
    let out = "";
    for (;;) {
      const c = peek();
      if (c === undefined) throw new LexError("syntax error: missing '}'");
      if (c === stop) {
        next();
        return out;
      }
      if (c === "'") out += singleQuote();
      else if (c === '"') out += doubleQuote();
      else if (c === "$") out += dollar();
      else out += next();
    }
  };

  while (peek() !== undefined) {
    const c = peek()!;
    if (c === "'") {
      word += singleQuote();
      inWord = true;
    } else if (c === '"') {
      word += doubleQuote();
      inWord = true;
    } else if (c === "$") {
      for (const ch of dollar()) addChar(ch);
    } else {
      let ch = next()!;
      if (ch === escapeToken) {
        if (opts.rawEscapes) addRawChar(ch);
        const n = next();
        if (n === undefined) break;
        addRawChar(n);
        continue;
      }
      addChar(ch);
    }
  }
  if (word.length > 0) words.push(word);
  return words;
}

const reHeredoc = /^(\d*)<<(-?)([^<]*)$/;

function countQuotes(s: string): number {
  let n = 0;
  for (const c of s) if (c === "'" || c === '"') n++;
  return n;
}

/**
 * Upstream's ParseHeredoc: is `word` a heredoc opener? Returns undefined when
 * not. Throws when the delimiter cannot be lexed.
 */
export function parseHeredocWord(word: string): Omit<Heredoc, "content"> | undefined {
  const m = reHeredoc.exec(word);
  if (!m) return undefined;
  const rest = m[3]!;
  if (rest.length === 0) return undefined;
  let words: string[];
  let wordsRaw: string[];
  try {
    words = shellWords(rest, { rawQuotes: false, rawEscapes: false });
    if (words.length !== 1) return undefined;
    wordsRaw = shellWords(rest, { rawQuotes: true, rawEscapes: false });
  } catch (e) {
    throw new Error(`failed to process ${JSON.stringify(rest)}: ${(e as Error).message}`);
  }
  if (wordsRaw.length !== words.length) {
    throw new Error(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  }
  const name = words[0]!;
  // A quoted delimiter (any part of it) means the body is taken literally;
  // quotes that survive unquoting were escaped ones and do not count.
  const expand = countQuotes(name) === countQuotes(wordsRaw[0]!);
  return {
    name,
    expand,
    chomp: m[2] === "-",
    fileDescriptor: m[1] ? Number.parseInt(m[1], 10) : 0,
  };
}

/** Like upstream's MustParseHeredoc: undefined instead of throwing. */
export function tryParseHeredocWord(word: string): Omit<Heredoc, "content"> | undefined {
  try {
    return parseHeredocWord(word);
  } catch {
    return undefined;
  }
}

/** All heredoc openers on an instruction line, in order. */
export function heredocsFromLine(line: string): Omit<Heredoc, "content">[] {
  let words: string[];
  try {
    words = shellWords(line, { rawQuotes: true, rawEscapes: true });
  } catch {
    // Upstream ignores lexing errors here: such a line has no heredocs.
    return [];
  }
  const docs: Omit<Heredoc, "content">[] = [];
  for (const w of words) {
    const h = parseHeredocWord(w);
    if (h) docs.push(h);
  }
  return docs;
}

/** `<<-` semantics: strip leading tabs from every line of a body. */
export function chompHeredocContent(src: string): string {
  return src.replace(/^\t+/gm, "");
}
