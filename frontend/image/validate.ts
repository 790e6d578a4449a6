/**
 * Type checks for a base image's config JSON, in the spirit of Go's
 * json.Unmarshal into the image spec types: the fields the converter reads
 * must have their types, `null` counts as absent (and is dropped), unknown
 * fields are left alone. Registries and named contexts supply these files;
 * a wrongly typed field must become an error at the FROM line that named the
 * image, not a TypeError deep inside the converter.
 */

type Shape = "string" | "bool" | "int" | "strings" | "string map" | "object map" | { readonly [field: string]: Shape } | readonly ["list", Shape];

const HEALTHCHECK: Shape = { Test: "strings", Interval: "int", Timeout: "int", StartPeriod: "int", StartInterval: "int", Retries: "int" };

const CONTAINER_CONFIG: Shape = {
  User: "string",
  ExposedPorts: "object map",
  Env: "strings",
  Entrypoint: "strings",
  Cmd: "strings",
  Volumes: "object map",
  WorkingDir: "string",
  Labels: "string map",
  StopSignal: "string",
  ArgsEscaped: "bool",
  Healthcheck: HEALTHCHECK,
  OnBuild: "strings",
  Shell: "strings",
};

const IMAGE_CONFIG: Shape = {
  created: "string",
  author: "string",
  architecture: "string",
  os: "string",
  "os.version": "string",
  "os.features": "strings",
  variant: "string",
  config: CONTAINER_CONFIG,
  rootfs: { type: "string", diff_ids: "strings" },
  history: ["list", { created: "string", created_by: "string", author: "string", comment: "string", empty_layer: "bool" }],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Go's name for a shape, as its json errors print it. */
function goType(s: Shape): string {
  if (typeof s === "string") {
    return { string: "string", bool: "bool", int: "int64", strings: "[]string", "string map": "map[string]string", "object map": "map[string]struct {}" }[s];
  }
  return Array.isArray(s) ? `[]${goType(s[1])}` : "object";
}

/** The first mismatch under `path`, or undefined; drops null-valued fields of objects on the way. */
function check(v: unknown, s: Shape, path: string): string | undefined {
  const ok = (() => {
    if (s === "string") return typeof v === "string";
    if (s === "bool") return typeof v === "boolean";
    if (s === "int") return Number.isInteger(v);
    if (s === "strings") return Array.isArray(v) && v.every((x) => typeof x === "string");
    if (s === "string map") return isObject(v) && Object.values(v).every((x) => typeof x === "string");
    if (s === "object map") return isObject(v) && Object.values(v).every((x) => x === null || isObject(x));
    return Array.isArray(s) ? Array.isArray(v) : isObject(v);
  })();
  if (!ok) return `${path || "the config"} is ${describe(v)}, not ${goType(s)}`;
  if (Array.isArray(s)) {
    const items = v as unknown[];
    for (let i = 0; i < items.length; i++) {
      const bad = check(items[i], s[1], `${path}[${i}]`);
      if (bad) return bad;
    }
  } else if (typeof s === "object") {
    const obj = v as Record<string, unknown>;
    for (const [field, shape] of Object.entries(s as Record<string, Shape>)) {
      if (!(field in obj)) continue;
      if (obj[field] === null) {
        delete obj[field];
        continue;
      }
      const bad = check(obj[field], shape, path ? `${path}.${field}` : field);
      if (bad) return bad;
    }
  }
  return undefined;
}

/**
 * Checks parsed image config JSON in place (null fields are removed) and
 * returns it typed; throws with the first mismatch (`config.Env is a string,
 * not []string`). A top-level `null` is an empty config, as in Go.
 */
export function checkImageConfig(value: unknown): Record<string, unknown> {
  if (value === null) return {};
  const bad = check(value, IMAGE_CONFIG, "");
  if (bad) throw new Error(`invalid image config: ${bad}`);
  return value as Record<string, unknown>;
}
