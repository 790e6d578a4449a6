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
 * - ARG without a default but given by --build-arg: 0.13 prints `ARG K`,
 *   today `ARG K=<value>`.
 * - HEALTHCHECK: 0.13 prints Go's `&{[...] "30s" ...}` form of the config,
 *   today `{Test:[...] Interval:30s ...}`; rebuilt here from the config itself.
 */
import { goDuration, goSlice } from "../../frontend/image/go-format.ts";
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
    if (by.startsWith("HEALTHCHECK &{") && c.config?.Healthcheck) {
      const hc = c.config.Healthcheck as { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
      const d = (ns?: number) => goDuration(ns ?? 0);
      return { ...h, created_by: `HEALTHCHECK {Test:${goSlice(hc.Test ?? [])} Interval:${d(hc.Interval)} Timeout:${d(hc.Timeout)} StartPeriod:${d(hc.StartPeriod)} StartInterval:${d(hc.StartInterval)} Retries:${hc.Retries ?? 0}}` };
    }
    const arg = /^ARG (.+)$/.exec(by);
    if (arg) {
      const parts = arg[1]!.split(" ").map((kv) => (!kv.includes("=") && kv in buildArgs ? `${kv}=${buildArgs[kv]}` : kv));
      return { ...h, created_by: `ARG ${parts.join(" ")}` };
    }
    return h;
  });
  return { ...c, history };
}
