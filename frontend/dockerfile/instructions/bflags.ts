// Instruction flags (`--name=value`), following upstream's bflag.go:
// booleans accept `--x`, `--x=true|false` (any case); strings need `=value`;
// repeatable strings collect every occurrence; a bare `--` ends flag parsing.

import { withSuggestion } from "./suggest.ts";

export type FlagType = "bool" | "string" | "strings";

export interface Flag {
  readonly name: string;
  readonly type: FlagType;
  /** Current value; booleans hold "true"/"false". */
  value: string;
  /** Every value of a repeatable flag, in order. */
  values: string[];
  used: boolean;
}

export class BFlags {
  private readonly flags = new Map<string, Flag>();
  private setupError: string | undefined;

  constructor(private readonly args: readonly string[]) {}

  addBool(name: string, def: boolean): Flag {
    return this.add(name, "bool", def ? "true" : "false");
  }

  addString(name: string, def: string): Flag {
    return this.add(name, "string", def);
  }

  addStrings(name: string): Flag {
    return this.add(name, "strings", "");
  }

  /** Names of the flags that appeared, in registration order. */
  used(): string[] {
    return [...this.flags.values()].filter((f) => f.used).map((f) => f.name);
  }

  private add(name: string, type: FlagType, value: string): Flag {
    if (this.flags.has(name)) this.setupError ??= `Duplicate flag defined: ${name}`;
    const flag: Flag = { name, type, value, values: [], used: false };
    if (!this.flags.has(name)) this.flags.set(name, flag);
    return flag;
  }

  /** Applies the raw flags; throws an Error with upstream's message. */
  parse(): void {
    if (this.setupError) throw new Error(`error setting up flags: ${this.setupError}`);
    for (const a of this.args) {
      if (a === "--") return; // end of options (POSIX utility syntax)
      if (!a.startsWith("--")) throw new Error(`arg should start with -- : ${a}`);
      const eq = a.indexOf("=");
      const flagName = eq < 0 ? a : a.slice(0, eq);
      const value = eq < 0 ? "" : a.slice(eq + 1);
      const hasValue = eq >= 0;
      const name = flagName.slice(2);
      const flag = this.flags.get(name);
      if (!flag) {
        throw new Error(withSuggestion(`unknown flag: ${flagName}`, name, [...this.flags.keys()], true));
      }
      if (flag.used && flag.type !== "strings") throw new Error(`duplicate flag specified: ${flagName}`);
      flag.used = true;
      switch (flag.type) {
        case "bool":
          if (hasValue && value === "") throw new Error(`missing a value on flag: ${flagName}`);
          switch (value.toLowerCase()) {
            case "":
            case "true":
              flag.value = "true";
              break;
            case "false":
              flag.value = "false";
              break;
            default:
              throw new Error(`expecting boolean value for flag ${flagName}, not: ${value}`);
          }
          break;
        case "string":
          if (!hasValue) throw new Error(`missing a value on flag: ${flagName}`);
          flag.value = value;
          break;
        case "strings":
          if (!hasValue) throw new Error(`missing a value on flag: ${flagName}`);
          flag.values.push(value);
          break;
      }
    }
  }
}
