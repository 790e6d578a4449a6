/**
 * Instructions that only change the process settings and the image config
 * (no filesystem op, except WORKDIR's mkdir): ENV, ARG, LABEL, USER, WORKDIR,
 * CMD, ENTRYPOINT, EXPOSE, VOLUME, STOPSIGNAL, SHELL, MAINTAINER,
 * HEALTHCHECK, ONBUILD. History messages follow the official frontend.
 */
import { posix } from "node:path";
import type * as I from "../dockerfile/instructions/index.ts";
import { commitHistory, setEnv } from "../image/config.ts";
import { goDuration, goQuoteSlice, goSlice } from "../image/go-format.ts";
import { file, mkdir } from "../llb/file.ts";
import { locationOf, type DispatchContext } from "./context.ts";
import { envGetter, expandForDisplay, expandOrKeep, expandWord } from "./expand.ts";
import { prefixCommand, uppercaseCmd } from "./naming.ts";
import { parsePortSpecs } from "./ports.ts";
import type { StageState } from "./stage-state.ts";
import { userOwner } from "./owner.ts";

export function dispatchEnv(d: StageState, c: I.EnvInstruction, ctx: DispatchContext): void {
  let message = "ENV";
  // Every pair expands against the environment before the instruction, as
  // upstream: `ENV A=2 B=$A` gives B the previous A.
  const before = d.state.env;
  for (const kv of c.pairs) {
    const key = expandWord(ctx.lex, kv.key, before);
    const value = expandWord(ctx.lex, kv.value, before);
    message += ` ${key}=${value}`;
    d.state = d.state.addEnv(key, value);
    setEnv((d.image.config.Env ??= []), key, value);
  }
  commitHistory(d.image, message, false, false, ctx.options.epoch);
}

/** ARG inside a stage: a build arg wins, then the expanded default, then the global value. */
export function dispatchArg(d: StageState, c: I.ArgInstruction, ctx: DispatchContext): void {
  const parts: string[] = [];
  for (const arg of c.args) {
    let value: string | undefined;
    const given = ctx.options.buildArgs.get(arg.key);
    if (given !== undefined) value = given;
    else if (arg.value !== undefined) value = expandWord(ctx.lex, arg.value, d.state.env);
    else value = ctx.globalArgs.get(arg.key);
    if (value !== undefined && !NON_ENV_ARGS.has(arg.key)) d.state = d.state.addEnv(arg.key, value);
    d.buildArgs.push({ key: arg.key, value });
    d.outline.declareArg({ key: arg.key, value, comment: arg.comment, lines: lines(c), inherits: given === undefined && arg.value === undefined });
    parts.push(value === undefined ? arg.key : `${arg.key}=${value}`);
  }
  commitHistory(d.image, `ARG ${parts.join(" ")}`, false, false, ctx.options.epoch);
}

/** ARGs that say what an SBOM scan covers (read by attest/sbom.ts). */
export const SBOM_SCAN_CONTEXT_ARG = "BUILDKIT_SBOM_SCAN_CONTEXT";
export const SBOM_SCAN_STAGE_ARG = "BUILDKIT_SBOM_SCAN_STAGE";

/** ARGs that never become environment variables of RUN (and so are never "undefined" to build checks). */
export const NON_ENV_ARGS: ReadonlySet<string> = new Set([SBOM_SCAN_CONTEXT_ARG, SBOM_SCAN_STAGE_ARG]);

export function dispatchLabel(d: StageState, c: I.LabelInstruction, ctx: DispatchContext): void {
  let message = "LABEL";
  // The stage owns its config (cloneImage), so maps are updated in place.
  const labels = (d.image.config.Labels ??= {});
  for (const kv of c.pairs) {
    const key = expandWord(ctx.lex, kv.key, d.state.env);
    const value = expandWord(ctx.lex, kv.value, d.state.env);
    labels[key] = value;
    message += ` ${key}=${value}`;
  }
  commitHistory(d.image, message, false, false, ctx.options.epoch);
}

export function dispatchUser(d: StageState, c: I.UserInstruction, ctx: DispatchContext): void {
  const user = expandWord(ctx.lex, c.user, d.state.env);
  d.state = d.state.withUser(user);
  d.image.config.User = user;
  commitHistory(d.image, `USER ${user}`, false, false, ctx.options.epoch);
}

/** Applies a WORKDIR; with `commit`, as an instruction (mkdir + history) rather than from the base image. */
export function dispatchWorkdir(d: StageState, rawPath: string, ctx: DispatchContext, c?: I.WorkdirInstruction): void {
  const path = c ? expandWord(ctx.lex, rawPath, d.state.env) : rawPath;
  const current = d.image.config.WorkingDir || "/";
  const wd = posix.normalize(posix.isAbsolute(path) ? path : posix.join("/", current, path));
  const cleaned = wd.length > 1 && wd.endsWith("/") ? wd.slice(0, -1) : wd;
  d.image.config.WorkingDir = cleaned;
  d.state = d.state.withDir(cleaned);
  if (!c) return;
  d.workdirSet = true;
  let withLayer = false;
  if (cleaned !== "/") {
    const user = d.image.config.User;
    const name = prefixCommand(d, uppercaseCmd(expandOrKeep(ctx.lex, c.node.original.trim(), d.state.env)), ctx.prefixPlatform, d.platform, d.state.env);
    d.state = file(
      d.state,
      [
        mkdir(cleaned, 0o755, {
          makeParents: true,
          owner: user ? userOwner(user) : undefined,
          timestamp: ctx.options.epoch ? BigInt(ctx.options.epoch.getTime()) * 1_000_000n : undefined,
        }),
      ],
      { customName: name, locations: locationOf(ctx, lines(c)), ignoreCache: d.ignoreCache || undefined },
    );
    withLayer = true;
  }
  commitHistory(d.image, `WORKDIR ${cleaned}`, withLayer, false, ctx.options.epoch);
}

export function lines(c: { node: { startLine: number; endLine: number } }): { start: number; end: number }[] {
  return [{ start: c.node.startLine, end: c.node.endLine }];
}

/** Shell form gets the image's SHELL (or the default shell) with the text as one argument. */
export function withShell(d: StageState, args: readonly string[]): string[] {
  const shell = d.image.config.Shell && d.image.config.Shell.length > 0 ? [...d.image.config.Shell] : defaultShell(d.image.os);
  return [...shell, args.join(" ")];
}

export function defaultShell(os: string): string[] {
  return os === "windows" ? ["cmd", "/S", "/C"] : ["/bin/sh", "-c"];
}

export function dispatchCmd(d: StageState, c: I.CmdInstruction, ctx: DispatchContext): void {
  const args = c.cmd.form === "shell" ? withShell(d, [c.cmd.command]) : [...c.cmd.args];
  d.image.config.Cmd = args;
  d.image.config.ArgsEscaped = true;
  d.cmdSet = true;
  commitHistory(d.image, `CMD ${goQuoteSlice(args)}`, false, false, ctx.options.epoch);
}

export function dispatchEntrypoint(d: StageState, c: I.EntrypointInstruction, ctx: DispatchContext): void {
  const args = c.cmd.form === "shell" ? withShell(d, [c.cmd.command]) : [...c.cmd.args];
  d.image.config.Entrypoint = args;
  if (!d.cmdSet) d.image.config.Cmd = null;
  commitHistory(d.image, `ENTRYPOINT ${goQuoteSlice(args)}`, false, false, ctx.options.epoch);
}

export function dispatchExpose(d: StageState, c: I.ExposeInstruction, ctx: DispatchContext): void {
  const ports: string[] = [];
  for (const raw of c.ports) ports.push(...ctx.lex.processWords(raw, envGetter(d.state.env)));
  const specs = parsePortSpecs(ports);
  const exposed = (d.image.config.ExposedPorts ??= {});
  for (const p of specs) exposed[p] = {};
  commitHistory(d.image, `EXPOSE ${goSlice(specs)}`, false, false, ctx.options.epoch);
}

export function dispatchVolume(d: StageState, c: I.VolumeInstruction, ctx: DispatchContext): void {
  const volumes = (d.image.config.Volumes ??= {});
  const expanded = c.volumes.map((v) => expandWord(ctx.lex, v, d.state.env));
  for (const v of expanded) {
    if (v === "") throw new Error("VOLUME specified can not be an empty string");
    volumes[v] = {};
  }
  commitHistory(d.image, `VOLUME ${goSlice(expanded)}`, false, false, ctx.options.epoch);
}

export function dispatchStopSignal(d: StageState, c: I.StopsignalInstruction, ctx: DispatchContext): void {
  const signal = expandWord(ctx.lex, c.signal, d.state.env);
  if (!isValidSignal(signal)) throw new Error(`Invalid signal: ${signal}`);
  d.image.config.StopSignal = signal;
  commitHistory(d.image, `STOPSIGNAL ${signal}`, false, false, ctx.options.epoch);
}

const SIGNALS = new Set(["ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ"]);

function isValidSignal(s: string): boolean {
  if (/^\d+$/.test(s)) return Number(s) > 0;
  const name = s.toUpperCase().replace(/^SIG/, "");
  if (SIGNALS.has(name)) return true;
  return /^RTM(IN|AX)([+-]\d+)?$/.test(name);
}

export function dispatchShell(d: StageState, c: I.ShellInstruction, ctx: DispatchContext): void {
  d.image.config.Shell = [...c.shell];
  commitHistory(d.image, `SHELL ${goSlice(c.shell)}`, false, false, ctx.options.epoch);
}

export function dispatchMaintainer(d: StageState, c: I.MaintainerInstruction, ctx: DispatchContext): void {
  d.image.author = c.maintainer;
  commitHistory(d.image, `MAINTAINER ${c.maintainer}`, false, false, ctx.options.epoch);
}

export function dispatchOnbuild(d: StageState, c: I.OnbuildInstruction): void {
  d.image.config.OnBuild = [...(d.image.config.OnBuild ?? []), c.expression];
}

export function displayName(ctx: DispatchContext, d: StageState, text: string): string {
  return uppercaseCmd(expandForDisplay(ctx.lex, text, d.state.env));
}

export function dispatchHealthcheck(d: StageState, c: I.HealthcheckInstruction, ctx: DispatchContext): void {
  const h = c.health;
  const hc = {
    Test: [...h.test],
    Interval: h.interval,
    Timeout: h.timeout,
    StartPeriod: h.startPeriod,
    StartInterval: h.startInterval,
    Retries: h.retries,
  };
  d.image.config.Healthcheck = Object.fromEntries(Object.entries(hc).filter(([k, v]) => k === "Test" || v !== 0));
  const fmt = `{Test:${goSlice(hc.Test)} Interval:${goDuration(hc.Interval)} Timeout:${goDuration(hc.Timeout)} StartPeriod:${goDuration(hc.StartPeriod)} StartInterval:${goDuration(hc.StartInterval)} Retries:${hc.Retries}}`;
  commitHistory(d.image, `HEALTHCHECK ${fmt}`, false, false, ctx.options.epoch);
}
