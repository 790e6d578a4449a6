/**
 * The conversion state of one stage (upstream's dispatchState): its LLB
 * state, image config, platform, the stages it depends on, and the step
 * counter used in progress names. Implicit stages (an image named by
 * `COPY --from=alpine` or `RUN --mount=from=alpine`) are StageStates too,
 * with no instructions of their own.
 */
import type { Instruction, Stage } from "../dockerfile/instructions/index.ts";
import { cloneImage, type ImageConfig } from "../image/config.ts";
import type { Platform } from "../llb/platform.ts";
import { State } from "../llb/state.ts";
import type { StepCounter } from "./naming.ts";
import type { CacheFromClaim } from "./extension.ts";
import { OutlineCapture } from "./outline-capture.ts";

export interface ArgBinding {
  key: string;
  value?: string;
}

/** An instruction plus the stages it reads from (COPY --from, RUN --mount from=). */
export interface Command {
  instruction: Instruction;
  /** Per source slot (mount index for RUN, single entry for COPY); undefined = none. */
  sources: (StageState | undefined)[];
  /** Per RUN mount: an extension's claim on a cache mount's `from=`. */
  claims: CacheFromClaim[];
  isOnBuild: boolean;
}

export class StageState implements StepCounter {
  state: State = State.scratch();
  image!: ImageConfig;
  /** The base image's config as resolved, before this stage changed it. */
  baseImage?: ImageConfig;
  platform?: Platform;
  base?: StageState;
  readonly deps = new Map<StageState, Instruction>();
  buildArgs: ArgBinding[] = [];
  commands: Command[] = [];
  /** Context paths COPY/ADD/bind mounts of this stage read (for follow paths). */
  readonly ctxPaths = new Set<string>();
  dispatched = false;
  resolved = false;
  ignoreCache = false;
  /** Whether this stage set CMD itself (ENTRYPOINT keeps it then). */
  cmdSet = false;
  workdirSet = false;
  onBuildInit = false;
  /** A named build context replaces this stage (or image) entirely. */
  namedContext?: string;
  /**
   * Set on implicit stages whose image may be missing (a cache mount's
   * `from=` an extension made optional): resolution failure is recorded
   * here instead of failing the build.
   */
  optional = false;
  missing?: string;
  /** What frontend.outline reports about this stage. */
  readonly outline = new OutlineCapture();

  stageName: string;
  cmdTotal = 0;
  cmdIndex = 0;
  cmdIsOnBuild = false;

  constructor(
    /** undefined for implicit stages. */
    readonly stage: Stage | undefined,
    /** Expanded base name: a stage name, `scratch` or an image reference. */
    public baseName: string,
    readonly index: number,
    /** Where errors about the base point: the FROM line, or the instruction that named an image. */
    readonly location: { start: number; end: number }[],
  ) {
    this.stageName = stage?.name ?? "";
  }

  get unregistered(): boolean {
    return this.stage === undefined;
  }

  /** Inherit from the base stage (upstream's init). */
  init(): void {
    const base = this.base;
    if (!base) return;
    this.state = base.state;
    this.platform = base.platform;
    this.image = cloneImage(base.image);
    // ONBUILD triggers of a base stage run in the child, then are not carried over.
    delete this.image.config.OnBuild;
    this.baseImage = base.baseImage && cloneImage(base.baseImage);
    this.workdirSet = base.workdirSet;
    this.buildArgs = [...this.buildArgs, ...base.buildArgs];
  }
}

export class StageSet {
  readonly states: StageState[] = [];
  private readonly byName = new Map<string, StageState>();

  add(s: StageState): void {
    this.states.push(s);
    // Stage names are lowercased when parsed, but FROM matches them exactly,
    // as upstream: `FROM Build` is an image name, not the stage `AS build`.
    const base = this.byName.get(s.baseName);
    if (base) s.base = base;
    if (s.stage?.name) this.byName.set(s.stage.name.toLowerCase(), s);
  }

  /**
   * Records that `d` reads from `sources` (for `instruction`), registering
   * implicit stages (images named directly) the first time they are seen.
   * Returns whether any source was linked.
   */
  link(d: StageState, sources: readonly (StageState | undefined)[], instruction: Instruction): boolean {
    let linked = false;
    for (const src of sources) {
      if (!src) continue;
      d.deps.set(src, instruction);
      if (src.unregistered && !this.states.includes(src)) this.add(src);
      linked = true;
    }
    return linked;
  }

  findByName(name: string): StageState | undefined {
    return this.byName.get(name.toLowerCase());
  }

  findByIndex(index: number): StageState | undefined {
    return index >= 0 && index < this.states.length ? this.states[index] : undefined;
  }

  names(): string[] {
    return this.states.map((s) => s.stageName).filter((n) => n !== "");
  }
}

/** The stage and everything it transitively reads from. */
export function reachableFrom(target: StageState): Set<StageState> {
  const seen = new Set<StageState>();
  const stack = [target];
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    if (s.base) stack.push(s.base);
    for (const d of s.deps.keys()) stack.push(d);
  }
  return seen;
}
