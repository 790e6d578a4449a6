/**
 * SBOM and provenance attestations through buildx 0.13 on the real engine
 * (`--sbom`, `--provenance`), against the engine's built-in (0.13) frontend.
 *
 * No registry or Docker Hub here, so the SBOM scanner is a stand-in built from
 * integration/fixtures/sbom-scanner: it follows BuildKit's scanner contract
 * and lists the files of each source it is given, so the SBOM documents show
 * exactly what each frontend asked it to scan (the target, the build context,
 * the stages). cachefront is selected with BUILDKIT_SYNTAX so both read the
 * very same Dockerfile (same lines in provenance).
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { buildx, engineAvailable, readOciAttestations, requireImage, tempDirs } from "./harness/index.ts";

const OURS = ["--build-arg", "BUILDKIT_SYNTAX=cachefront:dev"];
const SCANNER = "cachefront/test-scanner:local";
const SPDX = "https://spdx.dev/Document";
const SLSA_02 = "https://slsa.dev/provenance/v0.2";
const fixture = fileURLToPath(new URL("./fixtures/sbom-scanner", import.meta.url));

const temps = tempDirs();
afterAll(() => temps.cleanup());

beforeAll(async () => {
  if (!engineAvailable()) return;
  const r = await buildx(["--load", "-t", SCANNER, fixture]);
  if (r.code !== 0) throw new Error(`building the stand-in scanner failed:\n${r.stderr}`);
});

/** Builds `dir` with the built-in frontend and with cachefront, `args` for both; each exports to its own directory. */
async function both(dir: string, args: string[], output: (dest: string) => string) {
  const [builtinOut, oursOut] = [await temps.dir(), await temps.dir()];
  const [builtin, ours] = await Promise.all([
    buildx(["-o", output(builtinOut), ...args, dir]),
    buildx(["-o", output(oursOut), ...OURS, ...args, dir]),
  ]);
  expect(builtin.code, builtin.stderr).toBe(0);
  expect(ours.code, ours.stderr).toBe(0);
  return { builtin: builtinOut, ours: oursOut, oursProgress: ours.stderr, builtinProgress: builtin.stderr };
}

async function sbomFiles(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).filter((n) => n.endsWith(".spdx.json")).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(path.join(dir, n), "utf8")] as const)));
}

/**
 * cachefront passes the request's other fields to the scanner as today's
 * docker/dockerfile does, `type=sbom` (sent by buildx) included; the 0.13
 * built-in frontend passes none. Our scanner records them in its comment.
 */
function withoutScanParams(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([n, text]) => [n, text.replace(/ BUILDKIT_SCAN_type=sbom(?= )/, "")]));
}

const SCAN_CASES: Record<string, { dockerfile: string; args?: string[]; expect: string[] }> = {
  "the target only": {
    dockerfile: "FROM busybox:latest\nRUN echo hi > /hi\n",
    expect: ["sbom.spdx.json"],
  },
  "the context and a stage, by ARGs in the stages": {
    dockerfile: `FROM busybox:latest AS deps
ARG BUILDKIT_SBOM_SCAN_STAGE=true
RUN echo deps > /deps
FROM busybox:latest AS tools
RUN echo tools > /tools
FROM scratch
ARG BUILDKIT_SBOM_SCAN_CONTEXT=true
COPY --from=deps /deps /
COPY --from=tools /tools /
COPY a.txt /
`,
    expect: ["sbom-context.spdx.json", "sbom-deps.spdx.json", "sbom.spdx.json"],
  },
  "stages by a global list, an unused stage and a build arg override": {
    dockerfile: `ARG BUILDKIT_SBOM_SCAN_STAGE=deps,tools,unused
ARG BUILDKIT_SBOM_SCAN_CONTEXT=false
FROM busybox:latest AS deps
RUN echo deps > /deps
FROM busybox:latest AS tools
RUN echo tools > /tools
FROM busybox:latest AS unused
FROM scratch
ARG BUILDKIT_SBOM_SCAN_CONTEXT
COPY --from=deps /deps /
COPY --from=tools /tools /
`,
    args: ["--build-arg", "BUILDKIT_SBOM_SCAN_CONTEXT=true"],
    expect: ["sbom-context.spdx.json", "sbom-deps.spdx.json", "sbom-tools.spdx.json", "sbom.spdx.json"],
  },
};

describe("SBOM attestations", () => {
  test.for(Object.entries(SCAN_CASES))("scan of %s matches the built-in frontend's", async ([, c], t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: c.dockerfile, "a.txt": "a\n" });
    const out = await both(dir, [`--sbom=generator=${SCANNER}`, "--provenance=false", ...(c.args ?? [])], (d) => `type=local,dest=${d}`);
    const [builtin, ours] = [await sbomFiles(out.builtin), await sbomFiles(out.ours)];
    expect(Object.keys(ours)).toEqual(c.expect);
    expect(Object.values(ours).every((t) => t.includes("BUILDKIT_SCAN_type=sbom"))).toBe(true);
    expect(withoutScanParams(ours)).toEqual(builtin);
    // Scanned by the frontend (the daemon's own fallback scan has no extras and another name).
    expect(out.oursProgress).toContain(`[linux/amd64] generating sbom using docker.io/${SCANNER}`);
  });

  test("multi-platform OCI export: each platform's attestation manifest matches the built-in frontend's", async (t) => {
    requireImage(t);
    const dir = await temps.context({
      Dockerfile: "FROM scratch AS files\nARG BUILDKIT_SBOM_SCAN_STAGE=true\nCOPY a.txt /a\nFROM scratch\nCOPY --from=files /a /b\n",
      "a.txt": "a\n",
    });
    const out = await both(dir, ["--platform", "linux/amd64,linux/arm64", `--sbom=generator=${SCANNER}`, "--provenance=mode=max"], (d) => `type=oci,dest=${d}/image.tar`);
    const [builtin, ours] = [await readOciAttestations(`${out.builtin}/image.tar`), await readOciAttestations(`${out.ours}/image.tar`)];
    expect([...ours.keys()].sort()).toEqual(["linux/amd64", "linux/arm64"]);
    expect([...ours.keys()].sort()).toEqual([...builtin.keys()].sort());
    for (const [platform, atts] of ours) {
      const summary = (list: typeof atts) =>
        list.map((a) => ({ type: a.predicateType, files: a.predicateType === SPDX ? (a.statement.predicate.files as { fileName: string }[]).map((f) => f.fileName) : undefined }));
      expect(summary(atts), platform).toEqual(summary(builtin.get(platform)!));
      expect(atts.map((a) => a.predicateType).sort(), platform).toEqual([SLSA_02, SPDX, SPDX]);
    }
  });

  test("scanner parameters reach the scanner as BUILDKIT_SCAN_<key>", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: "FROM scratch\nCOPY a.txt /\n", "a.txt": "a\n" });
    const dest = await temps.dir();
    const r = await buildx(["-o", `type=local,dest=${dest}`, ...OURS, `--sbom=generator=${SCANNER},mode=deep`, "--provenance=false", dir]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(await readFile(path.join(dest, "sbom.spdx.json"), "utf8"));
    expect(doc.predicate.creationInfo.comment).toContain("BUILDKIT_SCAN_mode=deep");
    expect(doc.predicate.creationInfo.comment).toContain("BUILDKIT_SCAN_SOURCE=/run/src/core/sbom");
  });

  test("a scanner image that does not exist fails the build, naming it", async (t) => {
    requireImage(t);
    const dir = await temps.context({ Dockerfile: "FROM scratch\nCOPY a.txt /\n", "a.txt": "a\n" });
    const args = ["-o", "type=cacheonly", "--sbom=generator=cachefront/no-such-scanner:local", "--provenance=false", dir];
    const [builtin, ours] = await Promise.all([buildx(args), buildx([...OURS, ...args])]);
    expect(builtin.code).not.toBe(0);
    expect(ours.code).not.toBe(0);
    expect(ours.stderr).toContain("docker.io/cachefront/no-such-scanner:local");
    expect(ours.stderr).not.toMatch(/\n\s+at .*\.m?js:\d+/); // no stack trace
  });
});

describe("provenance", () => {
  interface Provenance {
    materials: { uri: string; digest: Record<string, string> }[];
    invocation: { configSource: { entryPoint?: string }; parameters: { frontend?: string; args?: Record<string, string> } };
    buildConfig?: { llbDefinition: { id: string; op: { Op: Record<string, unknown> } }[] };
    metadata: Record<string, any>;
  }

  async function provenance(dir: string): Promise<Provenance> {
    return JSON.parse(await readFile(path.join(dir, "provenance.json"), "utf8")).predicate as Provenance;
  }

  /** The Dockerfile lines the steps of a mode=max provenance point at. */
  function lines(p: Provenance): string[] {
    const md = p.metadata["https://mobyproject.org/buildkit@v1#metadata"];
    const locs = Object.values(md.source.locations as Record<string, { locations?: { ranges: { start: { line: number }; end: { line: number } }[] }[] }>);
    return [...new Set(locs.flatMap((l) => (l.locations ?? []).flatMap((x) => x.ranges.map((r) => `${r.start.line}-${r.end.line}`))))].sort();
  }

  test("mode=max records the same materials, Dockerfile and step lines as the built-in frontend", async (t) => {
    requireImage(t);
    const dir = await temps.context({
      Dockerfile: "FROM busybox:latest AS build\nWORKDIR /src\nCOPY a.txt .\nRUN cat a.txt > /out\nFROM scratch\nCOPY --from=build /out /\n",
      "a.txt": "a\n",
    });
    const out = await both(dir, ["--provenance=mode=max"], (d) => `type=local,dest=${d}`);
    const [builtin, ours] = [await provenance(out.builtin), await provenance(out.ours)];
    // cachefront's own image is a material too: it is part of what made the result.
    const oursMaterials = ours.materials.filter((m) => !m.uri.startsWith("pkg:docker/cachefront@"));
    expect(oursMaterials).toEqual(builtin.materials);
    expect(ours.materials.some((m) => m.uri.startsWith("pkg:docker/cachefront@dev"))).toBe(true);
    expect(ours.invocation.configSource).toEqual(builtin.invocation.configSource);
    expect(ours.invocation.parameters.args?.["build-arg:BUILDKIT_SYNTAX"]).toBe("cachefront:dev");
    const infos = (p: Provenance) => p.metadata["https://mobyproject.org/buildkit@v1#metadata"].source.infos.map((i: any) => [i.filename, i.data]);
    expect(infos(ours)).toEqual(infos(builtin));
    expect(lines(ours)).toEqual(lines(builtin));
    expect(lines(ours)).toEqual(["1-1", "2-2", "3-3", "4-4", "6-6"]);
    expect(ours.buildConfig?.llbDefinition.length).toBeGreaterThan(0);
  });
});
