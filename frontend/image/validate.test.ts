import { describe, expect, it } from "vitest";
import { parseImageConfig } from "./config.ts";
import { checkImageConfig } from "./validate.ts";

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

// Found by the mutation test's bad base images (test/mutants): wrongly typed
// configs reached the converter and failed there with TypeErrors.
describe("checkImageConfig", () => {
  it("accepts a config and drops null fields, as Go leaves them unset", () => {
    const img = parseImageConfig(json({ os: "linux", architecture: "amd64", config: { Env: null, User: "app", Labels: null }, history: null, extra: [1] }));
    expect(img.config).toEqual({ User: "app" });
    expect(img.history).toBeUndefined();
    expect(img.extra).toEqual([1]);
    expect(checkImageConfig(null)).toEqual({});
  });

  it.each([
    [{ config: { Env: "PATH=/x" } }, "config.Env is a string, not []string"],
    [{ config: { OnBuild: [1] } }, "config.OnBuild is a list, not []string"],
    [{ config: { WorkingDir: 5 } }, "config.WorkingDir is a number, not string"],
    [{ config: { Labels: { a: 1 } } }, "config.Labels is an object, not map[string]string"],
    [{ config: { ExposedPorts: ["80"] } }, "config.ExposedPorts is a list, not map[string]struct {}"],
    [{ config: { Healthcheck: { Retries: 1.5 } } }, "config.Healthcheck.Retries is a number, not int64"],
    [{ config: [] }, "config is a list, not object"],
    [{ history: [{ empty_layer: "yes" }] }, "history[0].empty_layer is a string, not bool"],
    [{ rootfs: { diff_ids: "x" } }, "rootfs.diff_ids is a string, not []string"],
    [{ os: 5 }, "os is a number, not string"],
    ["not an object", "the config is a string, not object"],
  ])("rejects %j", (config, why) => {
    expect(() => parseImageConfig(json(config))).toThrow(`invalid image config: ${why}`);
  });

  it("rejects what is not JSON", () => {
    expect(() => parseImageConfig(new TextEncoder().encode("{"))).toThrow("invalid image config: not JSON");
  });
});
