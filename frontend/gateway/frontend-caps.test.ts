import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkFrontendCaps, FRONTEND_CAPS } from "./frontend-caps.ts";
import { toStatus } from "./errors.ts";

const SUPPORTED = ["moby.buildkit.frontend.inputs", "moby.buildkit.frontend.subrequests"];

describe("frontend.caps", () => {
  it("accepts supported caps, with or without modifiers, and no request at all", () => {
    expect(checkFrontendCaps(undefined, SUPPORTED)).toEqual({ forward: false });
    expect(checkFrontendCaps("", SUPPORTED)).toEqual({ forward: false });
    expect(checkFrontendCaps("moby.buildkit.frontend.subrequests+forward,moby.buildkit.frontend.inputs", SUPPORTED)).toEqual({ forward: false });
  });

  it("fails on the first unsupported cap with an errdefs.FrontendCap+json detail, code Unimplemented", () => {
    const { error, forward } = checkFrontendCaps("moby.buildkit.frontend.inputs,moby.buildkit.frontend.nope,moby.buildkit.frontend.other", SUPPORTED);
    expect(forward).toBe(false);
    expect(error?.message).toBe("unsupported frontend capability moby.buildkit.frontend.nope");
    const status = toStatus(error);
    expect(status.code).toBe(12);
    expect(status.details.map((d) => [d.typeUrl, new TextDecoder().decode(d.value)])).toEqual([
      ["github.com/moby/buildkit/errdefs.FrontendCap+json", '{"name":"moby.buildkit.frontend.nope"}'],
    ]);
  });

  it("marks unsupported caps that are all +forward (upstream fails them only when it does not forward)", () => {
    const { error, forward } = checkFrontendCaps("moby.buildkit.frontend.nope+forward", SUPPORTED);
    expect(forward).toBe(true);
    expect(error?.message).toBe("unsupported frontend capability moby.buildkit.frontend.nope");
  });

  it("are exactly the caps the gateway image's label declares", () => {
    const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
    const label = /^ARG CACHEFRONT_CAPS=(.*)$/m.exec(dockerfile)?.[1];
    expect(label?.split(",").sort()).toEqual([...FRONTEND_CAPS].sort());
  });
});
