/**
 * TTL values: `90s`, `30m`, `12h`, `7d`, `2w` and combinations such as
 * `1h30m` or `1d12h`; `0` or `none` turns expiry off. Whole numbers only, each
 * unit at most once: a TTL is a policy users read, so it should be plain.
 */

export class TtlSyntaxError extends Error {}

const UNIT_SECONDS: Record<string, number> = { w: 604_800, d: 86_400, h: 3_600, m: 60, s: 1 };

/** Seconds; 0 means "no expiry". */
export function parseTtl(text: string): number {
  const value = text.trim();
  if (value === "0" || value.toLowerCase() === "none") return 0;
  const part = /(\d+)([wdhms])/gy;
  let total = 0;
  let consumed = 0;
  const seen = new Set<string>();
  for (let m = part.exec(value); m; m = part.exec(value)) {
    const unit = m[2]!;
    if (seen.has(unit)) throw syntax(text);
    seen.add(unit);
    total += Number(m[1]) * UNIT_SECONDS[unit]!;
    consumed = part.lastIndex;
  }
  if (value === "" || consumed !== value.length || total === 0 || !Number.isSafeInteger(total)) throw syntax(text);
  return total;
}

function syntax(text: string): TtlSyntaxError {
  return new TtlSyntaxError(`invalid cache TTL "${text}": use a duration such as 90s, 30m, 12h, 7d, 2w or 1h30m, or 0/none to turn expiry off`);
}

/** Canonical spelling of a TTL in seconds (`1h30m`), for progress names and ids. */
export function formatTtl(seconds: number): string {
  if (seconds === 0) return "none";
  let rest = seconds;
  let out = "";
  for (const [unit, size] of Object.entries(UNIT_SECONDS)) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
