// `RUN --mount=...` option parsing, following upstream's commands_runmount.go.
//
// Upstream parses every mount twice: once while parsing the Dockerfile with no
// expander (only the CSV syntax and `from=` are checked — values may still
// contain variables), and again at conversion time with the stage's variables.
// parseMount(raw) without `expand` is the first pass, with `expand` the second.

import { parseGoBool, parseGoUint } from "./go-strconv.ts";
import { withSuggestion } from "./suggest.ts";

export type MountType = "bind" | "cache" | "tmpfs" | "secret" | "ssh";
export type ShareMode = "shared" | "private" | "locked";

const mountTypes: readonly MountType[] = ["bind", "cache", "tmpfs", "secret", "ssh"];
const shareModes: readonly ShareMode[] = ["shared", "private", "locked"];

/**
 * A parsed mount. As upstream, an empty string and an absent value mean the
 * same for the string fields (use truthiness).
 */
export interface MountSpec {
  type: MountType;
  from?: string;
  source?: string;
  target?: string;
  readOnly: boolean;
  /** tmpfs size in bytes; 0 when not set. */
  sizeLimit: number;
  /** `id=`: cache id, or secret/ssh id. */
  id?: string;
  sharing?: ShareMode;
  required: boolean;
  /** Secret exposed as this environment variable; "" means the default name. */
  env?: string;
  mode?: number;
  uid?: number;
  gid?: number;
}

const allKeys = [
  "type", "from", "source", "target", "readonly", "id", "sharing", "required", "size", "mode", "uid", "gid",
  "src", "dst", "destination", "ro", "rw", "readwrite", "env",
];

/**
 * One CSV record with Go encoding/csv rules (what go-csvvalue implements):
 * `"..."` fields with `""` for a quote, no bare quotes in unquoted fields.
 */
export function csvFields(input: string): string[] {
  let line = input;
  if (line.endsWith("\r\n")) line = line.slice(0, -2);
  else if (line.endsWith("\n")) line = line.slice(0, -1);
  if (line === "") throw new Error("EOF");
  const enc = new TextEncoder();
  // Go reports byte columns.
  const column = (charIndex: number) => enc.encode(line.slice(0, charIndex)).length + 1;
  const fields: string[] = [];
  let pos = 0;
  for (;;) {
    if (line[pos] !== '"') {
      const comma = line.indexOf(",", pos);
      const field = comma < 0 ? line.slice(pos) : line.slice(pos, comma);
      const q = field.indexOf('"');
      if (q >= 0) throw new Error(`parse error on line 1, column ${column(pos + q)}: bare " in non-quoted-field`);
      fields.push(field);
      if (comma < 0) return fields;
      pos = comma + 1;
      continue;
    }
    pos++;
    let field = "";
    for (;;) {
      const q = line.indexOf('"', pos);
      if (q < 0) throw new Error(`parse error on line 1, column ${column(pos)}: extraneous or missing " in quoted-field`);
      field += line.slice(pos, q);
      pos = q + 1;
      if (line[pos] === '"') {
        field += '"';
        pos++;
      } else if (line[pos] === ",") {
        fields.push(field);
        pos++;
        break;
      } else if (pos === line.length) {
        fields.push(field);
        return fields;
      } else {
        throw new Error(`parse error on line 1, column ${column(pos - 1)}: extraneous or missing " in quoted-field`);
      }
    }
  }
}

const binaryUnits: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** docker/go-units RAMInBytes: `512`, `64m`, `1.5GiB`, `2 kb` (binary multiples). */
export function ramInBytes(size: string): number {
  const m = /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(size);
  if (!m) throw new Error(`invalid size: '${size}'`);
  let n = Number.parseFloat(m[1]!);
  const unit = m[3]?.toLowerCase();
  if (unit) n *= binaryUnits[unit]!;
  // The size travels as an int64 in the LLB: beyond that it cannot be encoded
  // (upstream's Go float-to-int64 conversion gives an undefined result).
  if (n >= 2 ** 63) throw new Error(`invalid size: '${size}' is too large`);
  return Math.trunc(n);
}

function unexpectedKey(key: string, type: MountType): Error {
  return new Error(`unexpected key '${key}' for mount type '${type}'`);
}

export function parseMount(raw: string, expand?: (word: string) => string): MountSpec {
  let fields: string[];
  try {
    fields = csvFields(raw);
  } catch (e) {
    throw new Error(`failed to parse csv mounts: ${(e as Error).message}`);
  }

  const m: MountSpec = { type: "bind", readOnly: false, sizeLimit: 0, required: false };
  let roAuto = true;

  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    let value = eq < 0 ? "" : field.slice(eq + 1);

    if (eq < 0) {
      if (!expand) continue; // checked in the expanding pass
      switch (key) {
        case "readonly":
        case "ro":
          m.readOnly = true;
          roAuto = false;
          continue;
        case "readwrite":
        case "rw":
          m.readOnly = false;
          roAuto = false;
          continue;
        case "required":
          if (m.type === "secret" || m.type === "ssh") {
            m.required = true;
            continue;
          }
          throw unexpectedKey(key, m.type);
        default:
          throw new Error(`invalid field '${field}' must be a key=value pair`);
      }
    }

    if (expand) {
      value = expand(value);
    } else if (key === "from") {
      // A stage reference must be known before variables are; `$` at the
      // very end is not a variable.
      const idx = value.indexOf("$");
      if (idx !== -1 && idx !== value.length - 1) {
        throw new Error(`'${key}' doesn't support variable expansion, define alias stage instead`);
      }
    } else {
      continue;
    }

    switch (key) {
      case "type": {
        const v = value.toLowerCase() as MountType;
        if (!mountTypes.includes(v)) {
          throw new Error(withSuggestion(`unsupported mount type ${JSON.stringify(value)}`, value, mountTypes, true));
        }
        m.type = v;
        break;
      }
      case "from":
        m.from = value;
        break;
      case "source":
      case "src":
        m.source = value;
        break;
      case "target":
      case "dst":
      case "destination":
        m.target = value;
        break;
      case "readonly":
      case "ro": {
        const b = parseGoBool(value);
        if (b === undefined) throw new Error(`invalid value for ${key}: ${value}`);
        m.readOnly = b;
        roAuto = false;
        break;
      }
      case "readwrite":
      case "rw": {
        const b = parseGoBool(value);
        if (b === undefined) throw new Error(`invalid value for ${key}: ${value}`);
        m.readOnly = !b;
        roAuto = false;
        break;
      }
      case "required": {
        if (m.type !== "secret" && m.type !== "ssh") throw unexpectedKey(key, m.type);
        const b = parseGoBool(value);
        if (b === undefined) throw new Error(`invalid value for ${key}: ${value}`);
        m.required = b;
        break;
      }
      case "size":
        if (m.type !== "tmpfs") throw unexpectedKey(key, m.type);
        try {
          m.sizeLimit = ramInBytes(value);
        } catch {
          throw new Error(`invalid value for ${key}: ${value}`);
        }
        break;
      case "id":
        m.id = value;
        break;
      case "sharing": {
        const v = value.toLowerCase() as ShareMode;
        if (!shareModes.includes(v)) {
          throw new Error(withSuggestion(`unsupported sharing value ${JSON.stringify(value)}`, value, shareModes, true));
        }
        m.sharing = v;
        break;
      }
      case "mode": {
        const v = parseGoUint(value, 8, 32);
        if (v === undefined) throw new Error(`invalid value ${value} for mode`);
        m.mode = v;
        break;
      }
      case "uid": {
        const v = parseGoUint(value, 10, 32);
        if (v === undefined) throw new Error(`invalid value ${value} for uid`);
        m.uid = v;
        break;
      }
      case "gid": {
        const v = parseGoUint(value, 10, 32);
        if (v === undefined) throw new Error(`invalid value ${value} for gid`);
        m.gid = v;
        break;
      }
      case "env":
        m.env = value;
        break;
      default:
        throw new Error(withSuggestion(`unexpected key '${key}' in '${field}'`, key, allKeys, true));
    }
  }

  // Ownership and permissions only make sense where the frontend creates the
  // files (secret, ssh socket, cache directory).
  if (m.type !== "secret" && m.type !== "ssh" && m.type !== "cache") {
    if (m.mode !== undefined) throw new Error(`mode not allowed for ${JSON.stringify(m.type)} type mounts`);
    if (m.uid !== undefined) throw new Error(`uid not allowed for ${JSON.stringify(m.type)} type mounts`);
    if (m.gid !== undefined) throw new Error(`gid not allowed for ${JSON.stringify(m.type)} type mounts`);
  }

  // Default access: caches and tmpfs are writable, everything else read-only.
  if (roAuto) m.readOnly = !(m.type === "cache" || m.type === "tmpfs");

  if (m.type === "secret") {
    if (m.from) throw new Error("secret mount should not have a from");
    if (m.sharing) throw new Error("secret mount should not define sharing");
    if (!m.source && !m.target && !m.id) throw new Error("invalid secret mount. one of source, target required");
    if (m.source && m.id) throw new Error("both source and id can't be set");
  }

  if (m.sharing && m.type !== "cache") throw new Error(`invalid cache sharing set for ${m.type} mount`);

  return m;
}
