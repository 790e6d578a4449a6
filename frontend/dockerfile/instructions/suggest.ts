// "did you mean ...?" hints, as upstream's util/suggest: the closest option
// within edit distance 2 is appended to the message; an exact match means the
// error was not about the value, so nothing is added.

function levenshtein(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

function matchCase(option: string, original: string): string {
  if (original === original.toLowerCase()) return option.toLowerCase();
  if (original === original.toUpperCase()) return option.toUpperCase();
  return option;
}

export function withSuggestion(message: string, value: string, options: readonly string[], caseSensitive: boolean): string {
  const match = closestOption(value, options, caseSensitive);
  return match === undefined ? message : `${message} (did you mean ${match}?)`;
}

/**
 * The option closest to `value` within edit distance 2 (upstream's
 * suggest.Search); undefined when none is close or one matches exactly.
 */
export function closestOption(value: string, options: Iterable<string>, caseSensitive: boolean): string | undefined {
  const val = caseSensitive ? value : value.toLowerCase();
  let match = "";
  let minDist = 3;
  for (const o of options) {
    const opt = caseSensitive ? o : o.toLowerCase();
    if (opt === val) return undefined;
    const d = levenshtein(val, opt);
    if (d < minDist) {
      match = caseSensitive ? opt : matchCase(opt, value);
      minDist = d;
    }
  }
  return match === "" ? undefined : match;
}
