/**
 * RUN: the command (shell form through SHELL, exec form as is, heredocs as
 * scripts), mounts, network/security, engine-dependent extras (ulimits,
 * /dev/shm, cgroup parent, extra hosts), then extension hooks, then the exec.
 */
import { posix } from "node:path";
import type * as I from "../dockerfile/instructions/index.ts";
import { commitHistory } from "../image/config.ts";
import { run } from "../llb/exec.ts";
import { file, mkfile } from "../llb/file.ts";
import { NetworkMode, SecurityMode, State } from "../llb/state.ts";
import { locationOf, type DispatchContext } from "./context.ts";
import { expandForDisplay, expandWord } from "./expand.ts";
import type { CacheFromClaim, RunPlan } from "./extension.ts";
import { lines, withShell } from "./image-commands.ts";
import { prefixCommand, summarizeHeredoc, uppercaseCmd } from "./naming.ts";
import { dispatchRunMounts } from "./run-mounts.ts";
import type { ArgBinding, StageState } from "./stage-state.ts";
import { parseDevice, parseMount } from "../dockerfile/instructions/index.ts";
import { FEATURES, requireFeature } from "./engine-features.ts";
import type { LineRange, RuleInfo } from "../checks/rule.ts";

const HEREDOC_ONLY = /^<<(-)?(["']?)([^\s"'<>]+)\2$/;

export function dispatchRun(d: StageState, c: I.RunInstruction, sources: readonly (StageState | undefined)[], claims: readonly CacheFromClaim[], ctx: DispatchContext): void {
  let displayText = c.node.original.trim();
  const extraMounts: RunPlan["exec"]["mounts"] = [];
  const cmd = c.cmd;
  let args: string[] = cmd.form === "exec" ? [...cmd.args] : [cmd.command];

  if (c.files.length > 0) {
    if (cmd.form !== "shell") throw new Error(`parsing produced an invalid run command: ${args.join(" ")}`);
    const only = HEREDOC_ONLY.exec(cmd.command.trim());
    if (only && c.files.length === 1) {
      const doc = c.files[0]!;
      const data = doc.chomp ? chompHeredoc(doc.data) : doc.data;
      if (d.image.os !== "windows" && data.startsWith("#!")) {
        // A script with a shebang: write it to a file and execute it directly.
        const script = file(State.scratch(), [mkfile(doc.name, 0o755, data)], { customName: "[internal] preparing inline document" });
        extraMounts.push({ kind: "bind", target: "/dev/pipes", source: script, readonly: true });
        args = [posix.join("/dev/pipes/", doc.name)];
      } else {
        args = [data];
      }
      displayText += ` (${summarizeHeredoc(doc.data)})`;
    } else {
      // Several heredocs or a command around one: hand the shell the whole thing.
      args = [cmd.command + c.files.map((h) => `\n${h.data}${h.name}`).join("")];
    }
  }
  if (cmd.form === "shell") args = withShell(d, args);

  const expand = (w: string) => expandWord(ctx.lex, w, d.state.env);
  const mountSpecs = c.mounts.map((raw) => parseMount(raw, expand));
  const mounts = dispatchRunMounts(d, mountSpecs, sources, claims, lines(c), ctx);

  let execBase = d.state;
  // "default" and "sandbox" keep what the stage already has (force-network-mode).
  if (c.network !== "default") execBase = execBase.withNetwork(c.network === "host" ? NetworkMode.Host : NetworkMode.None);
  if (c.security === "insecure") {
    requireFeature(ctx.caps, FEATURES.insecure);
    execBase = execBase.withSecurity(SecurityMode.Insecure);
  }
  const devices = c.devices.map((raw) => parseDevice(expand(raw)));
  if (devices.length > 0) requireFeature(ctx.caps, FEATURES.cdiDevices);
  if (ctx.caps.llb.has("exec.meta.ulimit")) for (const u of ctx.options.ulimits) execBase = execBase.addUlimit(u);
  for (const h of ctx.options.extraHosts) execBase = execBase.addExtraHost(h.host, h.ip);
  if (ctx.options.cgroupParent && ctx.caps.llb.has("exec.meta.cgroup.parent")) execBase = execBase.withCgroupParent(ctx.options.cgroupParent);
  const allMounts = [...mounts.mounts, ...extraMounts];
  if (ctx.options.shmSize > 0n && ctx.caps.llb.has("exec.mount.tmpfs.size")) allMounts.push({ kind: "tmpfs", target: "/dev/shm", size: ctx.options.shmSize });

  // A variable loaded from a secret (`--mount=type=secret,env=X`) shows as `****` in the step name, as upstream's
  // withSecretEnvMask: not to hide a value (it is not in the env), but to say where `$X` comes from.
  let displayEnv = d.state.env;
  for (const m of mountSpecs) if (m.type === "secret" && m.env) displayEnv = displayEnv.set(m.env, "****");
  const name = prefixCommand(d, uppercaseCmd(expandForDisplay(ctx.lex, displayText, displayEnv)), ctx.prefixPlatform, d.platform, d.state.env);
  let plan: RunPlan = {
    base: execBase,
    name,
    exec: {
      args,
      mounts: allMounts,
      secrets: mounts.secrets,
      ssh: mounts.ssh,
      proxyEnv: ctx.proxyEnv,
      devices: devices.map((d) => ({ name: d.name, optional: !d.required })),
      constraints: {},
    },
  };
  for (const ext of ctx.extensions) {
    if (ext.transformRun) {
      const report = (rule: RuleInfo, message: string, at?: readonly LineRange[]) => ctx.checks.report(rule, message, at ?? lines(c));
      plan = ext.transformRun(plan, { instruction: c, stage: d, options: ctx.options, lines: lines(c), report });
    }
  }
  const result = run(plan.base, {
    ...plan.exec,
    constraints: {
      customName: plan.name,
      description: { "com.docker.dockerfile.v1.command": c.node.original.trim() },
      locations: locationOf(ctx, lines(c)),
      ignoreCache: d.ignoreCache || undefined,
    },
  });
  d.state = result.root().withMetaOf(d.state);
  commitHistory(d.image, `RUN ${runCommandString(args, d.buildArgs, d.state.env)}`, true, true, ctx.options.epoch);
}

/** `|N K=V ... args`: the ARGs in scope with their values, as the official history shows. */
export function runCommandString(args: readonly string[], buildArgs: readonly ArgBinding[], env: { get(k: string): string | undefined }): string {
  const pairs: string[] = [];
  const index = new Map<string, number>();
  for (const arg of buildArgs) {
    const v = env.get(arg.key) ?? arg.value ?? "";
    const at = index.get(arg.key);
    if (at !== undefined) pairs[at] = `${arg.key}=${v}`;
    else {
      index.set(arg.key, pairs.length);
      pairs.push(`${arg.key}=${v}`);
    }
  }
  const prefix = pairs.length > 0 ? [`|${pairs.length}`, ...pairs] : [];
  return [...prefix, ...args].join(" ");
}

/** `<<-`: strip leading tabs from every line. */
export function chompHeredoc(content: string): string {
  return content.replace(/^\t+/gm, "");
}
