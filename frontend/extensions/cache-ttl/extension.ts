/**
 * `RUN --cache-ttl=<duration>`: per-step cache expiry.
 *
 * Where the TTL comes from, strongest first: the step's `--cache-ttl` flag;
 * a `# org.mobyproject.buildkit.cache-ttl=<duration>` comment on the line
 * right above the RUN (the form proposed upstream, which stock frontends
 * ignore); the `BUILDKIT_CACHE_TTL` build arg as a default for every RUN.
 *
 * How it expires: the step's exec gets an optional secret-env entry whose id
 * names the expiry bucket (see bucket.ts). Secret ids are part of BuildKit's
 * exec cache key, so a new bucket is a new key (the step and everything that
 * depends on it re-run) while the running process sees nothing: no such
 * secret exists, and an optional secret that is missing sets no variable.
 * Because it lives in the cache key, it works unchanged with any
 * --cache-to/--cache-from backend. Engines without secret env (LLB cap
 * `exec.secretenv`) get a read-only mount at /dev/.cachefront-cache-ttl
 * holding the bucket instead: visible to the process, but outside the image.
 */
import type { BuildOptions } from "../../convert/build-options.ts";
import type { CheckReporter, ConvertExtension, OutlineContribution, OutlineHookContext, RunHookContext, RunPlan } from "../../convert/extension.ts";
import { LocatedError } from "../../gateway/errors.ts";
import type { Caps } from "../../gateway/session.ts";
import { file, mkfile } from "../../llb/file.ts";
import { State } from "../../llb/state.ts";
import { expiryPoint } from "./bucket.ts";
import { parseTtl, TtlSyntaxError } from "./duration.ts";
import { checkDefaultTtl, checkStepTtl } from "./checks.ts";
import { location } from "../../subrequests/format.ts";

export const TTL_FLAG = "cache-ttl";
export const TTL_COMMENT_KEY = "org.mobyproject.buildkit.cache-ttl";
export const DEFAULT_TTL_ARG = "BUILDKIT_CACHE_TTL";
export const CLOCK_ARG = "BUILDKIT_CACHE_TTL_NOW";
/** Name of the (never set) secret env variable that carries the branch point. */
export const BRANCH_ENV = "CACHEFRONT_CACHE_TTL_BUCKET";
export const FALLBACK_MOUNT = "/dev/.cachefront-cache-ttl";

export interface StepTtl {
  /** Seconds; 0 = no expiry. */
  seconds: number;
  /** As the user wrote it, for the progress name. */
  written: string;
  source: "flag" | "comment" | "default";
}

export class CacheTtlExtension implements ConvertExtension {
  readonly name = "cache-ttl";
  readonly runFlags = [TTL_FLAG];
  private readonly defaultTtl?: StepTtl;
  private readonly now: number;

  constructor(
    options: BuildOptions,
    private readonly caps: Caps,
    clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    const def = options.buildArgs.get(DEFAULT_TTL_ARG);
    if (def !== undefined && def !== "") {
      this.defaultTtl = { seconds: parseOrThrow(def, `build arg ${DEFAULT_TTL_ARG}`), written: def, source: "default" };
    }
    const pinned = options.buildArgs.get(CLOCK_ARG);
    if (pinned !== undefined && pinned !== "") {
      if (!/^\d+$/.test(pinned)) throw new Error(`invalid build arg ${CLOCK_ARG}="${pinned}": expected unix seconds`);
      this.now = Number(pinned);
    } else {
      this.now = clock();
    }
  }

  /** The TTL that applies to a RUN, or undefined. Errors name the instruction's line. */
  ttlFor(ctx: Pick<RunHookContext, "instruction" | "lines">): StepTtl | undefined {
    const flag = ctx.instruction.extensionFlags.get(TTL_FLAG);
    if (flag !== undefined) return { seconds: this.parse(flag, `--${TTL_FLAG}`, ctx.lines), written: flag, source: "flag" };
    const comment = commentTtl(ctx.instruction.node.comments);
    if (comment !== undefined) {
      return { seconds: this.parse(comment, `# ${TTL_COMMENT_KEY}`, ctx.lines), written: comment, source: "comment" };
    }
    return this.defaultTtl;
  }

  transformRun(plan: RunPlan, ctx: RunHookContext): RunPlan {
    const ttl = this.ttlFor(ctx);
    if (!ttl || ttl.seconds === 0) return plan;
    checkStepTtl(ttl, plan, ctx, TTL_FLAG, TTL_COMMENT_KEY);
    const point = expiryPoint(ctx.instruction.node.original.trim(), ttl.seconds, this.now);
    const id = `cachefront.cache-ttl/${ttl.seconds}/${point.bucket}`;
    const name = ttl.source === "flag" ? plan.name : plan.name.replace(/\] RUN /, `] RUN --${TTL_FLAG}=${ttl.written} `);
    if (this.caps.llb.has("exec.secretenv")) {
      return { ...plan, name, exec: { ...plan.exec, secrets: [...(plan.exec.secrets ?? []), { id, env: BRANCH_ENV, optional: true }] } };
    }
    const marker = file(State.scratch(), [mkfile("bucket", 0o444, `${id}\n`)], { customName: "[internal] cache expiry point" });
    return { ...plan, name, exec: { ...plan.exec, mounts: [...plan.exec.mounts, { kind: "bind", target: FALLBACK_MOUNT, source: marker, readonly: true }] } };
  }

  /**
   * frontend.outline: every RUN of the target's stages that expires, with its
   * TTL, where it came from, and the bucket it is in now (a cached result is
   * reused until `expires`, never after).
   */
  outline(ctx: OutlineHookContext): OutlineContribution | undefined {
    const steps = ctx.stages.flatMap((stage) =>
      stage.commands.flatMap(({ instruction: c, isOnBuild }) => {
        // ONBUILD triggers have no line of this Dockerfile to point at.
        if (c.kind !== "run" || isOnBuild) return [];
        const lines = [{ start: c.node.startLine, end: c.node.endLine }];
        const ttl = this.ttlFor({ instruction: c, lines });
        if (!ttl || ttl.seconds === 0) return [];
        const point = expiryPoint(c.node.original.trim(), ttl.seconds, this.now);
        return [{ stage: stage.stage?.name || `stage-${stage.index}`, lines, ttl, point, step: c.node.original.trim() }];
      }),
    );
    if (steps.length === 0) return undefined;
    steps.sort((a, b) => a.lines[0]!.start - b.lines[0]!.start);
    return {
      key: "cacheTTL",
      value: steps.map((s) => ({
        stage: s.stage,
        step: s.step,
        ttl: s.ttl.written,
        seconds: s.ttl.seconds,
        setBy: s.ttl.source,
        bucket: s.point.bucket,
        bucketStart: isoTime(s.point.validFrom),
        expires: isoTime(s.point.validUntil),
        location: location(s.lines),
      })),
      table: [
        ["CACHE TTL STEP", "STAGE", "TTL", "SET BY", "BUCKET START", "EXPIRES"],
        ...steps.map((s) => [lineText(s.lines[0]!), s.stage, s.ttl.written, SET_BY[s.ttl.source], isoTime(s.point.validFrom), isoTime(s.point.validUntil)]),
      ],
    };
  }

  /** CacheTTLTooShort for the build-wide default (see checks.ts). */
  check(report: CheckReporter): void {
    checkDefaultTtl(this.defaultTtl, DEFAULT_TTL_ARG, report);
  }

  private parse(text: string, what: string, lines: { start: number; end: number }[]): number {
    try {
      return parseTtl(text);
    } catch (e) {
      if (e instanceof TtlSyntaxError) throw new LocatedError(`${what}: ${e.message}`, lines);
      throw e;
    }
  }
}

const SET_BY: Record<StepTtl["source"], string> = { flag: "--cache-ttl", comment: "comment", default: DEFAULT_TTL_ARG };

/** Unix seconds as RFC 3339 UTC, without fractions. */
function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
}

function lineText(l: { start: number; end: number }): string {
  return l.start === l.end ? `line ${l.start}` : `lines ${l.start}-${l.end}`;
}

function parseOrThrow(text: string, what: string): number {
  try {
    return parseTtl(text);
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The TTL of a `# org.mobyproject.buildkit.cache-ttl=<d>` comment: the last
 * line of the comment block directly above the RUN (Dockerfile comment blocks
 * may be separated from their instruction by blank lines).
 */
export function commentTtl(comments: readonly string[]): string | undefined {
  const last = comments[comments.length - 1]?.trim();
  if (!last) return undefined;
  const m = /^org\.mobyproject\.buildkit\.cache-ttl\s*=\s*(\S+)\s*$/.exec(last);
  return m?.[1];
}
