/**
 * An immutable LLB state: a filesystem (an Output, or scratch) plus the
 * process settings that the next exec will inherit (env, dir, user, ...).
 * Every `with*` returns a new State, so states can be shared and branched
 * without surprises, as in BuildKit's `client/llb`.
 */
import { EnvList } from "./env-list.ts";
import { normalizePlatform, type Platform } from "./platform.ts";
import type { Output } from "./vertex.ts";
import { posix } from "node:path";

export enum NetworkMode {
  Sandbox = 0,
  Host = 1,
  None = 2,
}

export enum SecurityMode {
  Sandbox = 0,
  Insecure = 1,
}

export interface HostEntry {
  readonly host: string;
  readonly ip: string;
}

export interface UlimitEntry {
  readonly name: string;
  readonly soft: bigint;
  readonly hard: bigint;
}

export interface StateMeta {
  readonly env: EnvList;
  readonly dir: string;
  readonly user: string;
  readonly hostname: string;
  readonly platform?: Platform;
  readonly network: NetworkMode;
  readonly security: SecurityMode;
  readonly extraHosts: readonly HostEntry[];
  readonly ulimits: readonly UlimitEntry[];
  readonly cgroupParent: string;
}

const EMPTY_META: StateMeta = {
  env: EnvList.empty(),
  dir: "/",
  user: "",
  hostname: "",
  network: NetworkMode.Sandbox,
  security: SecurityMode.Sandbox,
  extraHosts: [],
  ulimits: [],
  cgroupParent: "",
};

export class State {
  private constructor(
    /** The filesystem; undefined is scratch (an empty filesystem). */
    readonly output: Output | undefined,
    readonly meta: StateMeta,
  ) {}

  static scratch(): State {
    return new State(undefined, EMPTY_META);
  }

  static fromOutput(output: Output | undefined, meta: Partial<StateMeta> = {}): State {
    return new State(output, { ...EMPTY_META, ...meta });
  }

  get isScratch(): boolean {
    return this.output === undefined;
  }

  withOutput(output: Output | undefined): State {
    return new State(output, this.meta);
  }

  /** Keeps this state's filesystem but takes every process setting from `other`. */
  withMetaOf(other: State): State {
    return new State(this.output, other.meta);
  }

  private with(patch: Partial<StateMeta>): State {
    return new State(this.output, { ...this.meta, ...patch });
  }

  get env(): EnvList {
    return this.meta.env;
  }

  getEnv(key: string): string | undefined {
    return this.meta.env.get(key);
  }

  addEnv(key: string, value: string): State {
    return this.with({ env: this.meta.env.set(key, value) });
  }

  withEnv(env: EnvList): State {
    return this.with({ env });
  }

  get dir(): string {
    return this.meta.dir;
  }

  /** Sets the working directory; a relative path is resolved against the current one. */
  withDir(dir: string): State {
    const abs = posix.isAbsolute(dir) ? dir : posix.join(this.meta.dir, dir);
    return this.with({ dir: posix.normalize(abs) });
  }

  withUser(user: string): State {
    return this.with({ user });
  }

  withHostname(hostname: string): State {
    return this.with({ hostname });
  }

  withPlatform(platform: Platform | undefined): State {
    return this.with({ platform: platform && normalizePlatform(platform) });
  }

  withNetwork(network: NetworkMode): State {
    return this.with({ network });
  }

  withSecurity(security: SecurityMode): State {
    return this.with({ security });
  }

  addExtraHost(host: string, ip: string): State {
    return this.with({ extraHosts: [...this.meta.extraHosts, { host, ip }] });
  }

  addUlimit(u: UlimitEntry): State {
    return this.with({ ulimits: [...this.meta.ulimits, u] });
  }

  withCgroupParent(cgroupParent: string): State {
    return this.with({ cgroupParent });
  }
}
