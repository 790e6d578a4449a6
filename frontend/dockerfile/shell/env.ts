/**
 * Variable lookup for expansion.
 *
 * The lexer only ever calls `get`; `keys` exists because the official
 * frontend's lint checks enumerate the variables that were available (e.g.
 * to report unused FROM args), and the same getter object is passed around.
 *
 * Case handling lives here, not in the lexer, exactly as upstream does it:
 * on Linux names are case-sensitive (equal_env_unix.go), on Windows the
 * getter normalises keys to upper case (equal_env_windows.go), so `$pwd`
 * finds `PWD`. The lexer still reports the name as written in the word.
 */

export interface EnvGetter {
  /** The value of `name`, or `undefined` when it is not set (set-but-empty is `""`). */
  get(name: string): string | undefined;
  /** The names available, as originally spelled. */
  keys(): Iterable<string>;
}

export interface EnvOptions {
  /** Windows semantics: names compare case-insensitively. Default false (Linux). */
  caseInsensitive?: boolean;
}

/**
 * Upper-cases rune by rune and keeps a rune whose upper case is more than
 * one rune ("ß" -> "SS" in JS): Go's strings.ToUpper maps each rune alone,
 * and a name must normalise to the same key upstream would use.
 */
function upperPerRune(s: string): string {
  let out = "";
  for (const ch of s) {
    const up = ch.toUpperCase();
    out += up.length === ch.length || [...up].length === 1 ? up : ch;
  }
  return out;
}

/** The map key a variable name is stored under (upstream `NormalizeEnvKey`). */
export function normalizeEnvKey(key: string, caseInsensitive = false): string {
  return caseInsensitive ? upperPerRune(key) : key;
}

/** Whether two names denote the same variable (upstream `EqualEnvKeys`). */
export function equalEnvKeys(a: string, b: string, caseInsensitive = false): boolean {
  return normalizeEnvKey(a, caseInsensitive) === normalizeEnvKey(b, caseInsensitive);
}

class MapEnv implements EnvGetter {
  // normalised key -> [spelling as given, value]
  private readonly vars = new Map<string, [string, string]>();
  constructor(private readonly caseInsensitive: boolean) {}

  set(key: string, value: string): void {
    this.vars.set(normalizeEnvKey(key, this.caseInsensitive), [key, value]);
  }
  get(name: string): string | undefined {
    return this.vars.get(normalizeEnvKey(name, this.caseInsensitive))?.[1];
  }
  *keys(): Iterable<string> {
    for (const [key] of this.vars.values()) yield key;
  }
}

/**
 * An env from `KEY=value` strings (an image config's `Env`, `docker run -e`
 * style). A later entry for the same key wins; an entry without `=` sets the
 * key to the empty string, as upstream `EnvsFromSlice` does.
 */
export function envFromList(entries: Iterable<string>, options: EnvOptions = {}): EnvGetter {
  const env = new MapEnv(options.caseInsensitive ?? false);
  for (const entry of entries) {
    const eq = entry.indexOf("=");
    if (eq < 0) env.set(entry, "");
    else env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** An env from a Map, a plain record, or `[key, value]` pairs. */
export function envFromMap(
  vars: ReadonlyMap<string, string> | Readonly<Record<string, string>> | Iterable<readonly [string, string]>,
  options: EnvOptions = {},
): EnvGetter {
  const env = new MapEnv(options.caseInsensitive ?? false);
  const pairs: Iterable<readonly [string, string]> =
    vars instanceof Map || Symbol.iterator in vars
      ? (vars as Iterable<readonly [string, string]>)
      : Object.entries(vars as Record<string, string>);
  for (const [k, v] of pairs) env.set(k, v);
  return env;
}

/** No variables at all (upstream's parser uses this to find heredoc names). */
export const emptyEnv: EnvGetter = Object.freeze({
  get: () => undefined,
  keys: () => [],
});
