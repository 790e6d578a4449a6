/** ONBUILD triggers: from a base image's config and from a base stage's ONBUILD lines. */
import { describe, expect, it } from "vitest";
import { BUSYBOX_CONFIG, build, errorSource, execs, finalOps, imageConfig, names } from "./helpers.ts";

const WITH_TRIGGERS = {
  ...BUSYBOX_CONFIG,
  config: { ...BUSYBOX_CONFIG.config, OnBuild: ["RUN echo triggered > /triggered", "COPY app.txt /app/"] },
};

describe("ONBUILD", () => {
  it("runs a base image's triggers first, at the FROM line, once", async () => {
    const dockerfile = "# comment\nFROM example.com/onbuild:1\nRUN cat /triggered\n";
    const run = await build({
      dockerfile,
      context: { "app.txt": "a" },
      extra: {
        images: { "example.com/onbuild:1": { config: WITH_TRIGGERS } },
        locals: { dockerfile: { Dockerfile: dockerfile }, context: { "app.txt": "a" } },
      },
    });
    expect(run.error).toBeUndefined();
    const n = names(finalOps(run));
    expect(n).toEqual(expect.arrayContaining(["[2/4] ONBUILD RUN echo triggered > /triggered", "[3/4] ONBUILD COPY app.txt /app/", "[4/4] RUN cat /triggered"]));
    const [trigger] = execs(finalOps(run));
    expect(trigger!.meta?.args).toEqual(["/bin/sh", "-c", "echo triggered > /triggered"]);
    const def = run.finalDefinition()!;
    const triggerOp = finalOps(run).find((o) => o.metadata?.description["llb.customname"]?.includes("ONBUILD RUN"))!;
    expect(def.Source?.locations[triggerOp.digest]?.locations[0]?.ranges[0]?.start?.line).toBe(2);
    // Triggers fire once: the result carries none.
    expect(imageConfig(run).config.OnBuild).toBeUndefined();
  });

  it("runs a base stage's ONBUILD instructions in the stage built on it", async () => {
    const run = await build({ dockerfile: "FROM busybox AS base\nONBUILD RUN echo from-base\nRUN echo base-own\nFROM base\nRUN echo child\n" });
    expect(run.error).toBeUndefined();
    expect(execs(finalOps(run)).map((e) => e.meta?.args[2])).toEqual(["echo base-own", "echo from-base", "echo child"]);
    expect(names(finalOps(run))).toContain("[stage-1 1/2] ONBUILD RUN echo from-base");
    // The base stage only records its trigger.
    const base = await build({ dockerfile: "FROM busybox AS base\nONBUILD RUN echo from-base\n" });
    expect(imageConfig(base).config.OnBuild).toEqual(["RUN echo from-base"]);
  });

  it("follows a trigger's COPY --from to another stage", async () => {
    const run = await build({ dockerfile: "FROM busybox AS assets\nRUN echo x > /x\nFROM busybox AS base\nONBUILD COPY --from=assets /x /x\nFROM base\n" });
    expect(run.error).toBeUndefined();
    expect(names(finalOps(run))).toContain("[assets 2/2] RUN echo x > /x");
  });

  it("reports a bad trigger at the FROM line", async () => {
    const dockerfile = "FROM example.com/bad:1\nRUN true\n";
    const run = await build({
      dockerfile,
      extra: { images: { "example.com/bad:1": { config: { ...BUSYBOX_CONFIG, config: { OnBuild: ["FROBNICATE it"] } } } }, locals: { dockerfile: { Dockerfile: dockerfile }, context: {} } },
    });
    expect(run.error?.message).toMatch(/unknown instruction: FROBNICATE/i);
    expect(errorSource(run)?.ranges[0]?.start.line).toBe(1);
  });
});
