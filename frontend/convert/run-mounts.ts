/**
 * `RUN --mount=...` to exec mounts, following the official frontend:
 * binds are read-only by default (a writable bind gets no output when the
 * engine allows it), cache ids are `<BUILDKIT_CACHE_MOUNT_NS>/<id or target>`,
 * uid/gid/mode on a cache create its root through a tiny mkdir op, secrets
 * and ssh sockets get their default ids and targets.
 */
import { posix } from "node:path";
import type * as I from "../dockerfile/instructions/index.ts";
import type { MountSpec, SecretSpec, SshSpec } from "../llb/exec.ts";
import { file, mkdir } from "../llb/file.ts";
import { State } from "../llb/state.ts";
import type { DispatchContext } from "./context.ts";
import type { StageState } from "./stage-state.ts";
import type { CacheFromClaim } from "./extension.ts";

export interface RunMounts {
  mounts: MountSpec[];
  secrets: SecretSpec[];
  ssh: SshSpec[];
}

/** The cache id a cache mount uses, as the official frontend computes it. */
export function cacheMountId(ctx: Pick<DispatchContext, "options">, m: I.MountSpec, target: string): string {
  return `${ctx.options.cacheMountNamespace}/${m.id || target}`;
}

export function mountTarget(d: StageState, target: string): string {
  const abs = posix.isAbsolute(target) ? posix.normalize(target) : posix.join("/", d.state.dir, target);
  const cleaned = abs.length > 1 && abs.endsWith("/") ? abs.slice(0, -1) : abs;
  if (cleaned === "/") throw new Error(`invalid mount target "${target}"`);
  return cleaned;
}

export function dispatchRunMounts(
  d: StageState,
  mounts: readonly I.MountSpec[],
  sources: readonly (StageState | undefined)[],
  claims: readonly CacheFromClaim[],
  lines: { start: number; end: number }[],
  ctx: DispatchContext,
): RunMounts {
  const out: RunMounts = { mounts: [], secrets: [], ssh: [] };
  mounts.forEach((m, i) => {
    switch (m.type) {
      case "secret": {
        const id = m.id || m.source || posix.basename(m.target ?? "");
        if (!id) throw new Error("one of source, target required");
        const spec: { -readonly [K in keyof SecretSpec]: SecretSpec[K] } = { id, optional: !m.required, mode: m.mode ?? 0o400, uid: m.uid ?? 0, gid: m.gid ?? 0 };
        if (m.env !== undefined) spec.env = m.env || id;
        if (m.target || m.env === undefined) spec.target = m.target ? mountTarget(d, m.target) : `/run/secrets/${posix.basename(id)}`;
        out.secrets.push(spec);
        d.outline.secret(id, { required: m.required, lines });
        return;
      }
      case "ssh":
        out.ssh.push({ id: m.id ?? "", target: m.target ? mountTarget(d, m.target) : "", optional: !m.required, mode: m.mode ?? 0o600, uid: m.uid ?? 0, gid: m.gid ?? 0 });
        d.outline.sshSocket(m.id || "default", { required: m.required, lines });
        return;
      case "tmpfs":
        out.mounts.push({ kind: "tmpfs", target: mountTarget(d, targetOf(m)), size: m.sizeLimit > 0 ? BigInt(m.sizeLimit) : undefined });
        return;
    }
    const target = mountTarget(d, targetOf(m));
    const claim = m.type === "cache" ? claims[i] : undefined;
    // A seeded cache mount gets no input: its cache key must not depend on the seed.
    const seeded = claim === "seed";
    let source: State = m.from && !seeded ? (sources[i]?.state ?? State.scratch()) : m.type === "cache" ? State.scratch() : ctx.buildContext;
    const src = posix.join("/", (!seeded && m.source) || "");
    let selector = src !== "/" ? src : undefined;
    if (m.type === "cache") {
      if (!selector && (m.uid !== undefined || m.gid !== undefined || m.mode !== undefined)) {
        source = file(source, [mkdir("/cache", m.mode ?? 0o755, { owner: { user: { id: m.uid ?? 0 }, group: { id: m.gid ?? 0 } } })], {
          customName: "[internal] setting cache mount permissions",
        });
        selector = "/cache";
      }
      const mount = {
        kind: "cache" as const,
        target,
        id: cacheMountId(ctx, m, m.target ?? target),
        sharing: m.sharing ?? "shared",
        source: source.isScratch ? undefined : source,
        selector,
        readonly: m.readOnly,
      };
      out.mounts.push(mount);
      d.outline.cacheMount(m.id || (m.target ?? target), { target, sharing: mount.sharing, lines });
      const missing = claim === "optional" ? sources[i]?.missing : undefined;
      for (const ext of ctx.extensions) {
        ext.onCacheMount?.({ claim, from: m.from || undefined, source: m.source ?? "", mount, userId: m.id || (m.target ?? target), stage: d, lines, missing });
      }
      return;
    }
    // bind
    const readonly = m.readOnly;
    out.mounts.push({
      kind: "bind",
      target,
      source,
      selector,
      readonly,
      noOutput: !readonly && ctx.caps.llb.has("exec.mount.bind.readwrite-nooutput"),
    });
    if (!m.from) d.ctxPaths.add(src);
  });
  return out;
}

/** A mount without `target=` goes to the working directory, as upstream resolves an empty target. */
function targetOf(m: I.MountSpec): string {
  return m.target ?? "";
}
