/**
 * What `frontend.outline` reports, captured while the Dockerfile is converted
 * (upstream's outlineCapture): ARG definitions with their values and
 * descriptions, which args a stage uses, and the secrets, ssh sockets and
 * cache mounts its RUNs mount. One capture holds the global ARGs; each stage
 * has its own. Conversion only records here; frontend/subrequests/outline.ts
 * decides what the outline shows.
 */

export type Lines = readonly { start: number; end: number }[];

export interface CapturedArg {
  key: string;
  /** The value in effect: a build arg, or the expanded default; undefined when neither. */
  value?: string;
  /** Description from a `# NAME text` comment above the ARG. */
  comment: string;
  lines: Lines;
  /** Global ARGs: the names its default refers to (they are used when it is). */
  deps?: ReadonlySet<string>;
  /**
   * A stage's `ARG NAME` with no default and no build arg: it takes the
   * global value, and the outline describes the global definition.
   */
  inherits?: boolean;
}

export interface CapturedMount {
  required: boolean;
  lines: Lines;
}

export interface CapturedCache {
  target: string;
  sharing: string;
  lines: Lines;
}

export class OutlineCapture {
  readonly args = new Map<string, CapturedArg>();
  readonly used = new Set<string>();
  readonly secrets = new Map<string, CapturedMount>();
  readonly ssh = new Map<string, CapturedMount>();
  /** By the id as written (`id=`, else the target). */
  readonly cache = new Map<string, CapturedCache>();

  declareArg(arg: CapturedArg): void {
    this.args.set(arg.key, arg);
    this.used.add(arg.key);
  }

  use(names: Iterable<string>): void {
    for (const n of names) this.used.add(n);
  }

  /** The first mount of an id in the stage is the one reported, as upstream. */
  secret(id: string, m: CapturedMount): void {
    if (!this.secrets.has(id)) this.secrets.set(id, m);
  }

  sshSocket(id: string, m: CapturedMount): void {
    if (!this.ssh.has(id)) this.ssh.set(id, m);
  }

  cacheMount(id: string, m: CapturedCache): void {
    if (!this.cache.has(id)) this.cache.set(id, m);
  }
}
