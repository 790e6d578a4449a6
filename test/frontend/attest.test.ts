/**
 * SBOM attestations through the real entrypoint and the fake bridge: the
 * scanner's exec (image, command, env, mounts, name), the extras chosen by
 * BUILDKIT_SBOM_SCAN_CONTEXT / BUILDKIT_SBOM_SCAN_STAGE, and the attestation
 * on the returned result. Request parsing and the capability check are unit
 * tested here too.
 */
import { describe, expect, it } from "vitest";
import { AttestRequestError, checkAttestSupport, DEFAULT_SBOM_GENERATOR, parseAttestRequests } from "../../frontend/attest/requests.ts";
import { enabledForStage } from "../../frontend/attest/sbom.ts";
import { BUILDKIT_V024_FRONTEND_CAPS } from "../fake-bridge/index.ts";
import { decodeDefinition } from "../fake-bridge/llb-inspect.ts";
import { BUSYBOX_CONFIG, build } from "./helpers.ts";
import type { FakeRun } from "../fake-bridge/index.ts";

const SCANNER = "docker.io/example/scanner:1";
const SCANNER_CONFIG = {
  architecture: "amd64",
  os: "linux",
  config: { Env: ["PATH=/bin", "SCANNER_MODE=fast"], Entrypoint: ["/bin/scan"], Cmd: ["--all"], WorkingDir: "/work" },
  rootfs: { type: "layers", diff_ids: ["sha256:" + "33".repeat(32)] },
};

const MULTI_STAGE = `FROM busybox AS deps
ARG BUILDKIT_SBOM_SCAN_STAGE=true
RUN echo deps > /deps
FROM busybox AS tools
RUN echo tools > /tools
FROM busybox AS unused
ARG BUILDKIT_SBOM_SCAN_STAGE=true
FROM scratch
ARG BUILDKIT_SBOM_SCAN_CONTEXT=true
COPY --from=deps /deps /
COPY --from=tools /tools /
COPY a.txt /
`;

function sbomBuild(dockerfile: string, opts: Record<string, string> = {}, extra = {}) {
  return build({
    dockerfile,
    context: { "a.txt": "a" },
    opts: { "attest:sbom": `generator=example/scanner:1`, ...opts },
    extra: { images: { "docker.io/library/busybox:latest": { config: BUSYBOX_CONFIG }, [SCANNER]: { config: SCANNER_CONFIG } }, ...extra },
  });
}

/** The scanner exec of a run (the op named "generating sbom"), with the names of its mounts' sources. */
function scannerExec(run: FakeRun) {
  const atts = run.result?.attestations ?? {};
  const ids = Object.keys(atts);
  expect(ids, run.error?.message ?? run.stderr).toHaveLength(1);
  const att = atts[ids[0]!]!.attestation[0]!;
  const def = run.definitionOf(att.ref!.id)!;
  const ops = decodeDefinition(def);
  const exec = ops.find((o) => o.op.op.case === "exec" && o.metadata?.description["llb.customname"]?.includes("generating sbom"))!;
  expect(exec, "no scanner exec").toBeDefined();
  return { id: ids[0]!, att, exec, ops };
}

describe("attest requests", () => {
  it("defaults the generator and passes other fields as scanner params", () => {
    expect(parseAttestRequests(new Map([["attest:sbom", ""]])).sbom).toEqual({ generator: `docker.io/${DEFAULT_SBOM_GENERATOR}`, params: new Map() });
    const r = parseAttestRequests(new Map([["attest:sbom", "generator=reg.example:5000/scan,MODE=deep"]]));
    expect(r.sbom).toEqual({ generator: "reg.example:5000/scan:latest", params: new Map([["MODE", "deep"]]) });
  });
  it("reads the BUILDKIT_ATTEST_<TYPE> build args and provenance requests", () => {
    const r = parseAttestRequests(new Map([["build-arg:BUILDKIT_ATTEST_SBOM", "generator=scan:2"], ["attest:provenance", "mode=max"]]));
    expect(r.sbom?.generator).toBe("docker.io/library/scan:2");
    expect(r.provenance).toEqual(new Map([["mode", "max"]]));
    expect(parseAttestRequests(new Map([["build-arg:FOO", "x"]]))).toEqual({});
  });
  it("rejects an empty or malformed generator and bad CSV", () => {
    expect(() => parseAttestRequests(new Map([["attest:sbom", "generator="]]))).toThrow("sbom scanner cannot be empty");
    expect(() => parseAttestRequests(new Map([["attest:sbom", "generator=Bad/Name"]]))).toThrow(/failed to parse sbom scanner Bad\/Name/);
    expect(() => parseAttestRequests(new Map([["attest:sbom", 'generator="x']]))).toThrow(AttestRequestError);
  });
  it("fails clearly when the engine cannot take attestations", () => {
    const without = { frontend: new Set(["solve.base"]), llb: new Set<string>() };
    expect(() => checkAttestSupport({ provenance: new Map() }, without)).toThrow(/provenance attestations were requested.*reference\.attestations/);
    expect(() => checkAttestSupport({}, without)).not.toThrow();
    expect(() => checkAttestSupport({ provenance: new Map() }, { ...without, frontend: new Set(["reference.attestations"]) })).not.toThrow();
  });
  it("turns a scan on by boolean or by stage list", () => {
    expect(enabledForStage("build", "true")).toBe(true);
    expect(enabledForStage("build", "0")).toBe(false);
    expect(enabledForStage("build", "deps,build")).toBe(true);
    expect(enabledForStage("build", "deps")).toBe(false);
    expect(enabledForStage("", "TRUE")).toBe(true);
  });
});

describe("SBOM scan in the frontend", () => {
  it("runs the scanner over the target and returns a Bundle attestation keyed by platform", async () => {
    const run = await sbomBuild("FROM busybox\nRUN echo hi > /hi\n");
    const { id, att, exec } = scannerExec(run);
    expect(id).toBe("linux/amd64");
    expect(att.kind).toBe(1); // Bundle
    expect(att.inTotoPredicateType).toBe("https://spdx.dev/Document");
    expect(Object.fromEntries(Object.entries(att.metadata).map(([k, v]) => [k, new TextDecoder().decode(v)]))).toEqual({ reason: "sbom", "sbom-core": "sbom" });
    expect(exec.metadata?.description["llb.customname"]).toBe(`[linux/amd64] generating sbom using ${SCANNER}`);
    const e = exec.op.op.case === "exec" ? exec.op.op.value : undefined;
    expect(e?.meta?.args).toEqual(["/bin/scan", "--all"]);
    expect(e?.meta?.cwd).toBe("/work");
    expect(e?.meta?.env).toEqual(["PATH=/bin", "SCANNER_MODE=fast", "BUILDKIT_SCAN_DESTINATION=/run/out/", "BUILDKIT_SCAN_SOURCE=/run/src/core/sbom"]);
    expect(e?.mounts.map((m) => [m.dest, m.readonly])).toEqual([
      ["/", false],
      ["/run/out", false],
      ["/run/src/core/sbom", true],
      ["/tmp", false],
    ]);
    // The scanner's image was resolved once, before the build's result was solved.
    expect(run.resolves.filter((r) => r.Ref === SCANNER)).toHaveLength(1);
  });

  it("adds the context and the dependency stages that ask for it as extras", async () => {
    const run = await sbomBuild(MULTI_STAGE);
    const { exec } = scannerExec(run);
    const e = exec.op.op.case === "exec" ? exec.op.op.value : undefined;
    expect(e?.mounts.map((m) => m.dest).filter((d) => d.startsWith("/run/src/extras/"))).toEqual(["/run/src/extras/sbom-context", "/run/src/extras/sbom-deps"]);
    expect(e?.meta?.env).toContain("BUILDKIT_SCAN_SOURCE_EXTRAS=/run/src/extras");
  });

  it("selects stages by name list and passes scanner params as BUILDKIT_SCAN_ env", async () => {
    const dockerfile = MULTI_STAGE.replace("ARG BUILDKIT_SBOM_SCAN_STAGE=true\nRUN echo deps", "RUN echo deps").replace(
      "ARG BUILDKIT_SBOM_SCAN_CONTEXT=true",
      "",
    );
    const run = await sbomBuild(`ARG BUILDKIT_SBOM_SCAN_STAGE=tools,unused\n${dockerfile}`, { "attest:sbom": "generator=example/scanner:1,depth=2" });
    const { exec } = scannerExec(run);
    const e = exec.op.op.case === "exec" ? exec.op.op.value : undefined;
    expect(e?.mounts.map((m) => m.dest).filter((d) => d.startsWith("/run/src/extras/"))).toEqual(["/run/src/extras/sbom-tools"]);
    expect(e?.meta?.env).toContain("BUILDKIT_SCAN_depth=2");
  });

  it("scans without cache when a scanned stage is built with --no-cache", async () => {
    const cached = scannerExec(await sbomBuild(MULTI_STAGE, { "no-cache": "tools" }));
    expect(cached.exec.metadata?.ignoreCache ?? false).toBe(false); // tools is not scanned
    const uncached = scannerExec(await sbomBuild(MULTI_STAGE, { "no-cache": "deps" }));
    expect(uncached.exec.metadata?.ignoreCache).toBe(true);
  });

  it("keys attestations by each platform in a multi-platform build", async () => {
    const run = await sbomBuild("FROM scratch\nCOPY a.txt /\n", { platform: "linux/amd64,linux/arm64" });
    expect(Object.keys(run.result?.attestations ?? {}).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    expect(run.result?.result.case).toBe("refs");
  });

  it("fails when the scanner has no command, and before solving on engines without attestations", async () => {
    const noCmd = await sbomBuild("FROM scratch\nCOPY a.txt /\n", {}, {
      images: { [SCANNER]: { config: { ...SCANNER_CONFIG, config: { Env: [] } } } },
    });
    expect(noCmd.error?.message).toContain(`scanner ${SCANNER} does not have cmd`);
    const old = await sbomBuild("FROM scratch\nCOPY a.txt /\n", {}, { frontendCaps: BUILDKIT_V024_FRONTEND_CAPS.filter((c) => c !== "reference.attestations") });
    expect(old.error?.message).toMatch(/sbom attestations were requested, but this BuildKit engine does not support attestations/);
    expect(old.solves).toHaveLength(0);
  });

  it("returns no attestations when none are asked for", async () => {
    const run = await build({ dockerfile: "FROM scratch\nCOPY a.txt /\n", context: { "a.txt": "a" } });
    expect(run.result?.attestations ?? {}).toEqual({});
  });
});
