/**
 * An ordered environment, as BuildKit's Go client keeps it: replacing a key
 * moves it to the end. The order ends up in `Meta.env`, which is part of the
 * exec cache key, so it must be stable and match how states were derived.
 */
export class EnvList {
  /** key → value, built on first lookup: stages read env far more often than they change it. */
  private index?: Map<string, string>;

  private constructor(private readonly entries: readonly (readonly [string, string])[]) {}

  private lookup(): Map<string, string> {
    return (this.index ??= new Map(this.entries));
  }

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
    return this.lookup().get(key);
  }

  has(key: string): boolean {
    return this.lookup().has(key);
  }

  /** Adds or replaces `key`; a replaced key moves to the end. */
  set(key: string, value: string): EnvList {
    return new EnvList([...this.entries.filter(([k]) => k !== key), [key, value]]);
  }

  /**
   * Sets many keys at once, with the same result as calling `set` for each
   * in order, in linear time (a stage re-applies its whole image env).
   */
  setAll(pairs: readonly (readonly [string, string])[]): EnvList {
    if (pairs.length === 0) return this;
    const last = new Map<string, number>();
    pairs.forEach(([k], i) => last.set(k, i));
    const kept = this.entries.filter(([k]) => !last.has(k));
    const added = pairs.filter(([k], i) => last.get(k) === i);
    return new EnvList([...kept, ...added]);
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
