/**
 * Image config JSON with the field order and omissions of Go's
 * encoding/json over the Docker/OCI image structs, so the bytes we return
 * look like the official frontend's (omitempty fields dropped).
 */
import type { ImageConfig } from "./config.ts";

const TOP = ["created", "author", "architecture", "os", "os.version", "os.features", "variant", "config", "rootfs", "history"];
const CONFIG = ["User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell"];

export function serializeImage(img: ImageConfig): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(ordered(img as Record<string, unknown>, TOP, (k, v) => (k === "config" ? ordered(v as Record<string, unknown>, CONFIG) : v))));
}

function ordered(obj: Record<string, unknown>, order: readonly string[], map: (k: string, v: unknown) => unknown = (_k, v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))];
  for (const k of keys) {
    const v = obj[k];
    if (isEmpty(v) && k !== "rootfs" && k !== "config" && k !== "architecture" && k !== "os") continue;
    out[k] = map(k, v);
  }
  return out;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === "" || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === "object") return Object.keys(v as object).length === 0;
  return false;
}
