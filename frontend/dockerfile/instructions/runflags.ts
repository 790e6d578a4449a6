// The other RUN options: --network, --security, --device (upstream
// commands_runnetwork.go, commands_runsecurity.go, commands_rundevice.go).
// Upstream validates --network and --security while parsing, before any
// variable expansion, so `--network=$NET` is rejected; we do the same.

import { parseGoBool } from "./go-strconv.ts";
import { csvFields } from "./runmount.ts";
import { withSuggestion } from "./suggest.ts";

export type NetworkMode = "default" | "none" | "host";
export type SecurityMode = "sandbox" | "insecure";

export function parseNetwork(value: string): NetworkMode {
  if (value === "default" || value === "none" || value === "host") return value;
  throw new Error(`invalid network mode ${JSON.stringify(value)}`);
}

export function parseSecurity(value: string): SecurityMode {
  if (value === "sandbox" || value === "insecure") return value;
  throw new Error(`security ${JSON.stringify(value)} is not valid`);
}

export interface DeviceSpec {
  /** CDI device name (`vendor.com/class=name`) as written. */
  name: string;
  required: boolean;
}

/** `--device=name[,required[=bool]]` or `--device=name=...,required`. */
export function parseDevice(raw: string): DeviceSpec {
  let fields: string[];
  try {
    fields = csvFields(raw);
  } catch (e) {
    throw new Error(`failed to parse csv devices: ${(e as Error).message}`);
  }
  const d: DeviceSpec = { name: "", required: false };
  for (const field of fields) {
    const eq = field.indexOf("=");
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? "" : field.slice(eq + 1);
    if (eq < 0) {
      if (key === "required") {
        d.required = true;
        continue;
      }
      if (d.name === "") {
        d.name = field;
        continue;
      }
      throw new Error(`invalid field '${field}' must be a key=value pair`);
    }
    switch (key) {
      case "name":
        if (d.name !== "") throw new Error(`device name already set to ${d.name}`);
        d.name = value;
        break;
      case "required": {
        const b = parseGoBool(value);
        if (b === undefined) throw new Error(`invalid value for ${key}: ${value}`);
        d.required = b;
        break;
      }
      default:
        // A CDI name itself contains "=" (vendor.com/class=name).
        if (d.name === "") {
          d.name = field;
          continue;
        }
        throw new Error(withSuggestion(`unexpected key '${key}' in '${field}'`, key, ["name", "required"], true));
    }
  }
  return d;
}
