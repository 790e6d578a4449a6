/**
 * Character-level helpers that mirror what upstream gets from Go's
 * text/scanner and unicode packages, so the lexer sees the same characters
 * and classifies them the same way.
 */

/**
 * Reads a string one code point at a time (a Go rune, not a UTF-16 unit).
 * Like text/scanner, a byte-order mark at the very start is skipped.
 */
export class RuneScanner {
  private readonly runes: string[];
  private pos = 0;

  constructor(text: string) {
    this.runes = Array.from(text);
    if (this.runes[0] === "\uFEFF") this.pos = 1;
  }

  /** The next code point without consuming it; undefined at the end. */
  peek(): string | undefined {
    return this.runes[this.pos];
  }

  /** Consumes and returns the next code point; undefined at the end. */
  next(): string | undefined {
    const ch = this.runes[this.pos];
    if (ch !== undefined) this.pos += 1;
    return ch;
  }
}

// Go's unicode.IsSpace is exactly the Unicode White_Space property
// (JS `\s` differs: it includes U+FEFF and leaves out U+0085).
const SPACE = /^\p{White_Space}$/u;
// unicode.IsLetter is category L; unicode.IsDigit is category Nd.
const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

export function isSpace(ch: string): boolean {
  return SPACE.test(ch);
}

export function isLetter(ch: string): boolean {
  return LETTER.test(ch);
}

export function isDigit(ch: string): boolean {
  return DIGIT.test(ch);
}
