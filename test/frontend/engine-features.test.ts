/** Newer LLB features are used only where Ping's caps say the engine has them; otherwise a clear error names them. */
import { describe, expect, it } from "vitest";
import { BUILDKIT_V024_LLB_CAPS } from "../fake-bridge/index.ts";
import { build, errorSource, execs, finalOps } from "./helpers.ts";

const caps = (...drop: string[]) => BUILDKIT_V024_LLB_CAPS.filter((c) => !drop.includes(c));

describe("RUN --device and --security", () => {
  it("asks for CDI devices (optional unless required) and insecure security, where the engine has them", async () => {
    const run = await build({ dockerfile: "FROM busybox\nARG GPU=vendor.com/gpu=all\nRUN --device=$GPU --device=name=vendor.com/net=0,required --security=insecure true\n" });
    expect(run.error).toBeUndefined();
    const [e] = execs(finalOps(run));
    expect(e!.cdiDevices.map((d) => [d.name, d.optional])).toEqual([
      ["vendor.com/gpu=all", true],
      ["vendor.com/net=0", false],
    ]);
    expect(e!.security).toBe(1);
  });

  it("fails naming the feature where the engine lacks CDI devices or security modes", async () => {
    const caps = (drop: string) => BUILDKIT_V024_LLB_CAPS.filter((c) => c !== drop);
    const device = await build({ dockerfile: "FROM busybox\nRUN --device=vendor.com/gpu=all true\n", extra: { llbCaps: caps("exec.meta.cdi") } });
    expect(device.error?.message).toContain('RUN --device is not supported by this BuildKit engine (it lacks the LLB capability "exec.meta.cdi")');
    expect(errorSource(device)?.ranges[0]?.start.line).toBe(2);
    const insecure = await build({ dockerfile: "FROM busybox\nRUN --security=insecure true\n", extra: { llbCaps: caps("exec.meta.security") } });
    expect(insecure.error?.message).toContain("RUN --security=insecure is not supported by this BuildKit engine");
  });

});

describe("COPY features an engine may lack", () => {
  it("sends an absolute symbolic --chmod as a number to engines without mode strings, and refuses a relative one", async () => {
    const old = caps("exec.meta.cdi");
    const abs = await build({ dockerfile: "FROM busybox\nCOPY --chmod=u=rwx,g=rx,o= a /a\n", context: { a: "x" }, extra: { llbCaps: old } });
    expect(abs.error).toBeUndefined();
    const copyOf = (run: Awaited<ReturnType<typeof build>>) => {
      const f = finalOps(run).find((o) => o.op.op.case === "file")!;
      if (f.op.op.case !== "file") throw new Error();
      const a = f.op.op.value.actions[0]!.action;
      if (a.case !== "copy") throw new Error();
      return a.value;
    };
    expect([copyOf(abs).mode, copyOf(abs).modeStr]).toEqual([0o750, ""]);
    const rel = await build({ dockerfile: "FROM busybox\nCOPY --chmod=a+x a /a\n", context: { a: "x" }, extra: { llbCaps: old } });
    expect(rel.error?.message).toContain("a symbolic --chmod relative to the source mode is not supported by this BuildKit engine");
    expect(errorSource(rel)?.ranges[0]?.start.line).toBe(2);
    const current = await build({ dockerfile: "FROM busybox\nCOPY --chmod=a+x a /a\n", context: { a: "x" } });
    expect(copyOf(current).modeStr).toBe("a+x");
  });

  it("refuses --exclude and --parents without include/exclude patterns", async () => {
    const run = await build({ dockerfile: "FROM busybox\nCOPY --exclude=*.md . /app/\n", extra: { llbCaps: caps("file.copy.includeexcludepatterns") } });
    expect(run.error?.message).toContain('COPY --exclude/--parents is not supported by this BuildKit engine (it lacks the LLB capability "file.copy.includeexcludepatterns")');
  });

  it("falls back to a plain copy for --link without MergeOp", async () => {
    const run = await build({ dockerfile: "FROM busybox\nCOPY --link a /a\n", context: { a: "x" }, extra: { llbCaps: caps("mergeop") } });
    expect(run.error).toBeUndefined();
    expect(finalOps(run).some((o) => o.op.op.case === "merge")).toBe(false);
    expect(finalOps(run).some((o) => o.op.op.case === "file")).toBe(true);
  });
});
