/**
 * An ordered environment, as BuildKit's Go client keeps it: replacing a key
 * moves it to the end. The order ends up in `Meta.env`, which is part of the
 * exec cache key, so it must be stable and match how states were derived.
 */
export class EnvList {
  private constructor(private readonly entries: readonly (readonly [string, string])[]) {}

  static empty(): EnvList {
    return new EnvList([]);
  }

  static from(pairs: Iterable<readonly [string, string]>): EnvList {
    let env = EnvList.empty();
    for (const [k, v] of pairs) env = env.set(k, v);
    return env;
  }

  /** Parses `K=V` strings (image config style); a bare `K` gets an empty value. */
  static fromStrings(list: readonly string[]): EnvList {
    return EnvList.from(
      list.map((kv) => {
        const eq = kv.indexOf("=");
        return eq < 0 ? ([kv, ""] as const) : ([kv.slice(0, eq), kv.slice(eq + 1)] as const);
      }),
    );
  }

  get(key: string): string | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key);
  }

  /** Adds or replaces `key`; a replaced key moves to the end. */
  set(key: string, value: string): EnvList {
    return new EnvList([...this.entries.filter(([k]) => k !== key), [key, value]]);
  }

  /** Adds `key` only if absent. */
  setDefault(key: string, value: string): EnvList {
    return this.has(key) ? this : new EnvList([...this.entries, [key, value]]);
  }

  delete(key: string): EnvList {
    return this.has(key) ? new EnvList(this.entries.filter(([k]) => k !== key)) : this;
  }

  keys(): string[] {
    return this.entries.map(([k]) => k);
  }

  pairs(): (readonly [string, string])[] {
    return [...this.entries];
  }

  toStrings(): string[] {
    return this.entries.map(([k, v]) => `${k}=${v}`);
  }
}
