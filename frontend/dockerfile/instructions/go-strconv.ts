// The Go number/bool/duration parsers that upstream applies to flag and mount
// values (strconv.ParseBool/ParseInt/ParseUint, time.ParseDuration). Their
// accepted syntax is narrower than JavaScript's Number(), so it is spelled out.

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean | undefined {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "true":
    case "TRUE":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "false":
    case "FALSE":
    case "False":
      return false;
    default:
      return undefined;
  }
}

/** strconv.ParseUint(s, base, bits) without the base-0 prefixes. */
export function parseGoUint(s: string, base: 8 | 10, bits: number): number | undefined {
  const digits = base === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const v = [...s].reduce((acc, c) => acc * BigInt(base) + BigInt(c), 0n);
  if (v >= 1n << BigInt(bits)) return undefined;
  return Number(v);
}

/** strconv.ParseInt(s, 10, bits), with Go's error text. */
export function parseGoInt(s: string, bits: number): number {
  const m = /^([+-]?)([0-9]+)$/.exec(s);
  if (!m) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: invalid syntax`);
  const v = BigInt(m[2]!) * (m[1] === "-" ? -1n : 1n);
  const lim = 1n << BigInt(bits - 1);
  if (v >= lim || v < -lim) throw new Error(`strconv.ParseInt: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(v);
}

const unitNanos: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3, // µ (micro sign)
  "\u03bcs": 1e3, // μ (greek mu)
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const maxDurationNanos = 9223372036854775807;

/**
 * time.ParseDuration, returning nanoseconds. Values beyond 2^53 ns (~104
 * days) lose precision, which is irrelevant for healthcheck intervals.
 */
export function parseGoDuration(input: string): number {
  const invalid = () => new Error(`time: invalid duration ${JSON.stringify(input)}`);
  let s = input;
  let neg = false;
  if (s !== "" && (s[0] === "-" || s[0] === "+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") throw invalid();
  let total = 0;
  while (s !== "") {
    if (!(s[0] === "." || (s[0]! >= "0" && s[0]! <= "9"))) throw invalid();
    const intPart = /^[0-9]*/.exec(s)![0];
    s = s.slice(intPart.length);
    let fracPart = "";
    if (s.startsWith(".")) {
      s = s.slice(1);
      fracPart = /^[0-9]*/.exec(s)![0];
      s = s.slice(fracPart.length);
    }
    if (intPart === "" && fracPart === "") throw invalid();
    const unit = /^[^0-9.]*/.exec(s)![0];
    s = s.slice(unit.length);
    if (unit === "") throw new Error(`time: missing unit in duration ${JSON.stringify(input)}`);
    const mult = unitNanos[unit];
    if (mult === undefined) {
      throw new Error(`time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(input)}`);
    }
    total += Number(intPart || "0") * mult + (fracPart ? Number("0." + fracPart) * mult : 0);
    if (total > maxDurationNanos) throw invalid();
  }
  return neg ? -Math.trunc(total) : Math.trunc(total);
}
