/**
 * One differential scenario: a Dockerfile (and its context) that both the
 * engine's built-in Dockerfile frontend and cachefront build, or that both
 * must reject. `runScenario` builds it each way once, exporting an OCI tar,
 * and compares the image's file tree (content, mode, uid/gid, symlink
 * targets) and config (Env, Cmd, Entrypoint, User, WorkingDir, Labels,
 * ExposedPorts, Volumes, StopSignal, Healthcheck, Shell, OnBuild, history).
 *
 * The built-in frontend is BuildKit 0.13's; where today's docker/dockerfile
 * (which cachefront follows) differs, `todaysHistory` and a scenario's
 * `adjust` rewrite the built-in side, each difference listed in
 * docs/compatibility.md.
 */
import { expect } from "vitest";
import path from "node:path";
import { createHash } from "node:crypto";
import { buildx, readOciImage, type ContextFile, type OciImageConfig, type Temps, type TreeEntry } from "../harness/index.ts";
import { comparableConfig, todaysHistory } from "../harness/compare.ts";
import { treeOfImage } from "../harness/layers.ts";
export { tarOf } from "../harness/tar.ts";

export const FRONTEND = "cachefront:dev";

export interface Scenario {
  name: string;
  dockerfile: string;
  /** Build context files besides the Dockerfile. */
  files?: Record<string, ContextFile>;
  /** A remote build context (git or http URL) instead of the local directory holding `files`. */
  context?: string;
  /** Extra `docker buildx build` arguments (--target, --build-arg, --build-context, ...). */
  args?: string[];
  /** The --build-arg values given in `args`, for ARG history (0.13 prints `ARG K` or `ARG K=<default>` as written). */
  buildArgs?: Record<string, string>;
  /**
   * The ports of each EXPOSE of the target as today's frontend lists them:
   * the arguments sorted as written text, each expanded (0.13 prints the
   * expanded ports sorted).
   */
  expose?: string[][];
  /**
   * Both frontends must fail; cachefront's error must point at this Dockerfile
   * line and say `message`. `builtinBuilds`: bad input that 0.13's built-in
   * frontend still accepts (a check added after 0.13, listed in
   * docs/compatibility.md); the built-in side must then build it.
   * `builtinUnlocated`: the built-in frontend fails too but shows no line
   * (cachefront locates more errors, e.g. a download's digest mismatch).
   * `engineRejects`: the engine refuses the whole definition before solving
   * (a missing entitlement), so neither frontend's error can show a line.
   * `ownExcerpt`: both show the line, but the excerpt buildx prints differs
   * for a reason given where it is set (otherwise the excerpts must be equal).
   */
  fails?: { line: number; message: string | RegExp; builtinBuilds?: boolean; builtinUnlocated?: boolean; engineRejects?: boolean; ownExcerpt?: string };
  /**
   * For a feature the 0.13 built-in frontend lacks (or has only in labs): the
   * same result written in what it knows. The built-in side builds this one;
   * `adjust` then maps its history lines to the feature's.
   */
  builtinDockerfile?: string;
  /** Rewrites the built-in side's config where 0.13 is older than today's frontend (documented). */
  adjust?: (builtin: OciImageConfig, platform?: string) => OciImageConfig;
  /** Paths whose content legitimately differs between any two builds (e.g. a timestamp); compared without content. */
  volatile?: string[];
  /**
   * Also compare the image's and every history entry's `created` time (which
   * `comparableConfig` leaves out): for builds whose times are fixed, such as
   * by SOURCE_DATE_EPOCH.
   */
  compareCreated?: boolean;
  /** Files the image must hold with exactly this content (beyond matching the built-in side). */
  expectFiles?: Record<string, string>;
  /** A multi-platform build (`--platform a,b`): every platform's image is compared. */
  platforms?: string[];
}

interface SideImage {
  tree: TreeEntry[];
  config: OciImageConfig;
}

export interface SideResult {
  code: number;
  stderr: string;
  tree?: TreeEntry[];
  config?: OciImageConfig;
  /** By platform, for `platforms` scenarios. */
  images?: Record<string, SideImage>;
}

async function buildSide(s: Scenario, side: "builtin" | "cachefront", dir: string, out: string): Promise<SideResult> {
  const args = [...(s.args ?? [])];
  if (s.platforms) args.push("--platform", s.platforms.join(","));
  if (side === "builtin" && s.builtinDockerfile !== undefined) args.push("-f", path.join(dir, "builtin.Dockerfile"));
  if (side === "cachefront") args.push("--build-arg", `BUILDKIT_SYNTAX=${FRONTEND}`);
  const oci = path.join(out, `${side}.oci.tar`);
  const r = await buildx([...args, "--output", `type=oci,dest=${oci}`, s.context ?? dir]);
  if (r.code !== 0) return { code: r.code, stderr: r.stderr };
  if (s.platforms) {
    const images: Record<string, SideImage> = {};
    for (const p of s.platforms) {
      const img = await readOciImage(oci, p);
      images[p] = { tree: treeOfImage(img), config: img.config };
    }
    return { code: 0, stderr: r.stderr, images };
  }
  const img = await readOciImage(oci);
  return { code: 0, stderr: r.stderr, tree: treeOfImage(img), config: img.config };
}

const withoutContent = (volatile: readonly string[]) => (e: TreeEntry) =>
  volatile.includes(e.path) ? { ...e, size: -1, sha256: "" } : e;

/** Lines buildx shows from an error's source location: the `Dockerfile:N` header and `>>>` lines. */
export function errorLines(stderr: string): { header: string[]; marked: string[] } {
  return {
    header: [...stderr.matchAll(/^Dockerfile:(\d+(?:-\d+)?)$/gm)].map((m) => m[1]!),
    marked: [...stderr.matchAll(/^\s*(\d+) \| >>> /gm)].map((m) => m[1]!),
  };
}

/**
 * The Dockerfile excerpts buildx prints for an error's source location: each
 * `Dockerfile:N` header with the numbered lines between the dashed rules.
 */
export function errorSnippets(stderr: string): string[] {
  return [...stderr.matchAll(/^Dockerfile:\d+(?:-\d+)?\n-{20}\n(?:.*\n)*?-{20}$/gm)].map((m) => m[0]);
}

/** Builds `s` with both frontends and expects the same result (or the same located failure). */
export async function runScenario(s: Scenario, temps: Temps): Promise<void> {
  const files: Record<string, ContextFile> = { ...(s.files ?? {}), Dockerfile: s.dockerfile };
  if (s.builtinDockerfile !== undefined) files["builtin.Dockerfile"] = s.builtinDockerfile;
  const dir = await temps.context(files);
  const out = await temps.dir();
  const [builtin, ours] = await Promise.all([buildSide(s, "builtin", dir, out), buildSide(s, "cachefront", dir, out)]);

  if (s.fails) {
    if (s.fails.builtinBuilds) expect(builtin.code, `the built-in frontend no longer accepts this:\n${builtin.stderr}`).toBe(0);
    else expect(builtin.code, `the built-in frontend built what should fail:\n${builtin.stderr}`).not.toBe(0);
    expect(ours.code, `cachefront built what should fail:\n${ours.stderr}`).not.toBe(0);
    const { message, line } = s.fails;
    if (typeof message === "string") expect(ours.stderr).toContain(message);
    else expect(ours.stderr).toMatch(message);
    if (!s.fails.engineRejects) {
      expect(errorLines(ours.stderr).header, ours.stderr).toContain(String(line));
      expect(errorLines(ours.stderr).marked, ours.stderr).toContain(String(line));
    }
    expect(ours.stderr, "a stack trace reached the user").not.toMatch(/\n\s+at \S+ \(/);
    if (!s.fails.builtinBuilds && !s.fails.builtinUnlocated && !s.fails.engineRejects) expect(errorLines(builtin.stderr).header, `the built-in frontend's line:\n${builtin.stderr}`).toContain(String(line));
    // Same file on both sides (cachefront is chosen by build arg): buildx must print the very same excerpt.
    if (!s.fails.builtinBuilds && !s.fails.builtinUnlocated && !s.fails.engineRejects && s.builtinDockerfile === undefined && !s.fails.ownExcerpt) {
      expect(errorSnippets(ours.stderr), `the excerpt differs from the built-in frontend's:\n${builtin.stderr}\n---- cachefront:\n${ours.stderr}`).toEqual(errorSnippets(builtin.stderr));
    }
    return;
  }

  expect(builtin.code, `the built-in frontend failed:\n${builtin.stderr}`).toBe(0);
  expect(ours.code, `cachefront failed:\n${ours.stderr}`).toBe(0);
  if (s.platforms) {
    for (const p of s.platforms) expectSameImage(s, ours.images![p]!, builtin.images![p]!, p);
    return;
  }
  expectSameImage(s, { tree: ours.tree!, config: ours.config! }, { tree: builtin.tree!, config: builtin.config! });
}

function expectSameImage(s: Scenario, ours: SideImage, builtin: SideImage, platform?: string): void {
  for (const [p, content] of Object.entries(s.expectFiles ?? {})) {
    expect(ours.tree.find((e) => e.path === p)?.sha256, `${p} should hold ${JSON.stringify(content)}`).toBe(createHash("sha256").update(content).digest("hex"));
  }
  const volatile = withoutContent(s.volatile ?? []);
  expect(ours.tree!.map(volatile)).toEqual(builtin.tree!.map(volatile));
  let theirs = todaysHistory(builtin.config!, s.buildArgs ?? {}, s.expose ?? []);
  if (s.adjust) theirs = s.adjust(theirs, platform);
  expect(comparableConfig(ours.config!)).toEqual(comparableConfig(theirs));
  if (s.compareCreated) {
    const created = (c: OciImageConfig) => ({ created: c.created, history: (c.history ?? []).map((h) => h.created) });
    expect(created(ours.config!)).toEqual(created(theirs));
  }
  expect(ours.config!.rootfs.diff_ids).toHaveLength(theirs.rootfs.diff_ids.length);
}

/** An `adjust` that rewrites history `created_by` texts of the built-in side (exact matches). */
export function renameHistory(map: Record<string, string>): (c: OciImageConfig) => OciImageConfig {
  return (c) => ({
    ...c,
    history: (c.history ?? []).map((h) => (h.created_by !== undefined && h.created_by in map ? { ...h, created_by: map[h.created_by] } : h)),
  });
}
