/**
 * What of two image configs must be equal when the same Dockerfile is built
 * by cachefront and by the built-in frontend: everything but values that
 * differ between any two builds (timestamps, layer digests of RUN output).
 *
 * The engine's built-in frontend is BuildKit 0.13's; cachefront follows
 * today's docker/dockerfile. `todaysHistory` rewrites the two history
 * messages whose format changed since 0.13, so the comparison stays exact
 * everywhere else (docs/compatibility.md lists them):
 * - EXPOSE: 0.13 prints the Go map (`EXPOSE map[80/tcp:{}]`), today a list
 *   in the order written (`EXPOSE [80/tcp]`).
 * - ARG given by --build-arg: 0.13 prints it as written (`ARG K`, or
 *   `ARG K=<default>`), today `ARG K=<value given>`.
 * - HEALTHCHECK: 0.13 prints Go's `&{[...] "30s" ...}` form of the config,
 *   today `{Test:[...] Interval:30s ...}`; rebuilt here from the old message
 *   itself (not the final config: a base stage's check may be overridden).
 */
import { goSlice } from "../../frontend/image/go-format.ts";
import type { OciImageConfig } from "./oci.ts";

type History = NonNullable<OciImageConfig["history"]>;

export function comparableConfig(c: OciImageConfig): Record<string, unknown> {
  const { created: _created, rootfs: _rootfs, history, ...rest } = c;
  return {
    ...rest,
    history: (history ?? []).map((h) => ({ created_by: h.created_by, comment: h.comment, empty_layer: !!h.empty_layer })),
  };
}

/** The built-in (0.13) frontend's history, rewritten in today's message formats. */
export function todaysHistory(c: OciImageConfig, buildArgs: Record<string, string>, exposeOrder: readonly string[][]): OciImageConfig {
  let exposeIndex = 0;
  const history: History = (c.history ?? []).map((h) => {
    const by = h.created_by ?? "";
    const expose = /^EXPOSE map\[(.*)\]$/.exec(by);
    if (expose) {
      const written = exposeOrder[exposeIndex++];
      const ports = written ?? (expose[1] ?? "").split(" ").map((p) => p.replace(/:\{\}$/, ""));
      return { ...h, created_by: `EXPOSE [${ports.join(" ")}]` };
    }
    if (by.startsWith("HEALTHCHECK &{")) {
      const hc = goHealthcheck(by.slice("HEALTHCHECK ".length));
      return { ...h, created_by: `HEALTHCHECK {Test:${goSlice(hc.test)} Interval:${hc.interval} Timeout:${hc.timeout} StartPeriod:${hc.startPeriod} StartInterval:${hc.startInterval} Retries:${hc.retries}}` };
    }
    const arg = /^ARG (.+)$/.exec(by);
    if (arg) {
      const parts = arg[1]!.split(" ").map((kv) => {
        const key = kv.split("=", 1)[0]!;
        return key in buildArgs ? `${key}=${buildArgs[key]}` : kv;
      });
      return { ...h, created_by: `ARG ${parts.join(" ")}` };
    }
    return h;
  });
  return { ...c, history };
}

/**
 * Reads 0.13's `%q` print of a health config: `&{["CMD-SHELL" "x"] "30s" "5s"
 * "0s" "0s" '\x03'}` (the durations already in Go's format, retries as a rune).
 */
function goHealthcheck(text: string): { test: string[]; interval: string; timeout: string; startPeriod: string; startInterval: string; retries: number } {
  const m = /^&\{\[(.*)\] ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*") ("(?:[^"\\]|\\.)*") ('(?:[^'\\]|\\.)+')\}$/s.exec(text);
  if (!m) throw new Error(`unexpected 0.13 HEALTHCHECK history: ${text}`);
  const test = [...m[1]!.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((q) => goUnquote(q[0]));
  const [interval, timeout, startPeriod, startInterval] = [m[2]!, m[3]!, m[4]!, m[5]!].map(goUnquote) as [string, string, string, string];
  return { test, interval, timeout, startPeriod, startInterval, retries: goUnquote(m[6]!).codePointAt(0) ?? 0 };
}

const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"', "'": "'" };

/** strconv.Unquote for Go's `"..."` and `'.'` literals as %q writes them. */
function goUnquote(lit: string): string {
  return lit.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (_, e: string) => {
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    const simple = SIMPLE_ESCAPES[e];
    if (simple === undefined) throw new Error(`bad Go escape \\${e}`);
    return simple;
  });
}
