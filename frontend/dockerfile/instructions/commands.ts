// One node → one typed instruction (upstream instructions/parse.go,
// ParseInstruction and the parseXxx functions). Checks happen in upstream's
// order so that the first error reported is the same one.

import { chompHeredocContent, tryParseHeredocWord, type InstructionNode } from "../parser/index.ts";
import { trimSpace } from "../parser/text.ts";
import { BFlags } from "./bflags.ts";
import { parseGoDuration, parseGoInt } from "./go-strconv.ts";
import { parseDevice, parseNetwork, parseSecurity } from "./runflags.ts";
import { parseMount } from "./runmount.ts";
import { withSuggestion } from "./suggest.ts";
import type {
  AddInstruction,
  ArgDefinition,
  ArgInstruction,
  CmdInstruction,
  CommandLine,
  CopyInstruction,
  CopySource,
  EntrypointInstruction,
  EnvInstruction,
  ExposeInstruction,
  FromInstruction,
  HealthcheckInstruction,
  Instruction,
  KeyValuePair,
  LabelInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  ParseOptions,
  RunInstruction,
  ShellDependent,
  ShellInstruction,
  SourcesAndDest,
  StopsignalInstruction,
  UserInstruction,
  VolumeInstruction,
  WorkdirInstruction,
} from "./types.ts";

export const instructionNames = [
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
  "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
];

const atLeastOne = (cmd: string) => new Error(`${cmd} requires at least one argument`);
const exactlyOne = (cmd: string) => new Error(`${cmd} requires exactly one argument`);
const noDestination = (cmd: string) =>
  new Error(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`);
const blankNames = (cmd: string) => new Error(`${cmd} names can not be blank`);

/** Description for `name` from comments of the form `# name text`. */
export function commentFor(comments: readonly string[], name: string): string {
  if (name === "") return "";
  for (const line of comments) {
    if (line.startsWith(name + " ")) return line.slice(name.length + 1);
  }
  return "";
}

function flagsOf(node: InstructionNode): BFlags {
  return new BFlags(node.flags);
}

function parseKvps(node: InstructionNode, cmdName: string): { pairs: KeyValuePair[]; legacy: boolean } {
  const args = node.args;
  if (args.length === 0) throw atLeastOne(cmdName);
  if (args.length % 3 !== 0) throw new Error(`Bad input to ${cmdName}, too many arguments`);
  const pairs: KeyValuePair[] = [];
  for (let j = 0; j < args.length; j += 3) {
    if (args[j]!.length === 0) throw blankNames(cmdName);
    pairs.push({ key: args[j]!, value: args[j + 1]!, noDelim: args[j + 2] === "" });
  }
  return { pairs, legacy: pairs.some((p) => p.noDelim) };
}

function shellDependent(node: InstructionNode): ShellDependent {
  const files = node.heredocs.map((h) => ({ name: h.name, data: h.content, chomp: h.chomp, expand: h.expand }));
  // upstream handleJSONArgs: exec form keeps the list, shell form is one string
  const cmdLine = node.args.length === 0 ? [] : node.json ? node.args.slice() : [node.args.join(" ")];
  const cmd: CommandLine = node.json
    ? { form: "exec", args: cmdLine.slice() }
    : { form: "shell", command: cmdLine[0] ?? "" };
  return { cmd, cmdLine, prependShell: !node.json, files };
}

function sourcesAndDest(node: InstructionNode, cmdName: string): SourcesAndDest {
  const srcs = node.args.slice(0, -1);
  const dest = node.args[node.args.length - 1]!;
  if (tryParseHeredocWord(dest)) throw new Error(`${cmdName} cannot accept a heredoc as a destination`);
  const bodies = new Map(node.heredocs.map((h) => [h.name, h]));
  const sources: CopySource[] = [];
  for (const src of srcs) {
    const opener = tryParseHeredocWord(src);
    if (opener) {
      // A `<<name` word whose body was not collected (JSON form) has no content.
      const body = bodies.get(opener.name);
      let data = body?.content ?? "";
      if (opener.chomp) data = chompHeredocContent(data);
      sources.push({ kind: "heredoc", path: opener.name, data, expand: opener.expand });
    } else {
      sources.push({ kind: "path", path: src });
    }
  }
  return {
    sources,
    sourcePaths: sources.flatMap((s) => (s.kind === "path" ? [s.path] : [])),
    sourceContents: sources.flatMap((s) => (s.kind === "heredoc" ? [{ path: s.path, data: s.data, expand: s.expand }] : [])),
    dest,
  };
}

const nonEmpty = (v: string): string | undefined => (v === "" ? undefined : v);

function parseFrom(node: InstructionNode): FromInstruction {
  const args = node.args;
  let stageName: string | undefined;
  let originalName: string | undefined;
  if (args.length === 3 && args[1]!.toLowerCase() === "as") {
    stageName = args[2]!.toLowerCase();
    originalName = args[2]!;
    if (!/^[a-z][a-z0-9-_.]*$/.test(stageName)) {
      throw new Error(
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
  } else if (args.length !== 1) {
    throw new Error("FROM requires either one or three arguments");
  }
  const flags = flagsOf(node);
  const platform = flags.addString("platform", "");
  flags.parse();
  const out: FromInstruction = { kind: "from", node, baseName: args[0]! };
  if (stageName !== undefined) {
    out.stageName = stageName;
    out.originalName = originalName;
  }
  if (platform.value !== "") out.platform = platform.value;
  return out;
}

function parseCopy(node: InstructionNode): CopyInstruction {
  if (node.args.length < 2) throw noDestination("COPY");
  const flags = flagsOf(node);
  const chown = flags.addString("chown", "");
  const from = flags.addString("from", "");
  const chmod = flags.addString("chmod", "");
  const link = flags.addBool("link", false);
  const exclude = flags.addStrings("exclude");
  const parents = flags.addBool("parents", false);
  flags.parse();
  const out: CopyInstruction = {
    kind: "copy",
    node,
    ...sourcesAndDest(node, "COPY"),
    link: link.value === "true",
    parents: parents.value === "true",
    exclude: exclude.values,
  };
  if (nonEmpty(from.value)) out.from = from.value;
  if (nonEmpty(chown.value)) out.chown = chown.value;
  if (nonEmpty(chmod.value)) out.chmod = chmod.value;
  return out;
}

function parseAdd(node: InstructionNode): AddInstruction {
  if (node.args.length < 2) throw noDestination("ADD");
  const flags = flagsOf(node);
  const chown = flags.addString("chown", "");
  const chmod = flags.addString("chmod", "");
  const link = flags.addBool("link", false);
  const keepGitDir = flags.addBool("keep-git-dir", false);
  const checksum = flags.addString("checksum", "");
  const unpack = flags.addBool("unpack", false);
  const exclude = flags.addStrings("exclude");
  flags.parse();
  const out: AddInstruction = {
    kind: "add",
    node,
    ...sourcesAndDest(node, "ADD"),
    link: link.value === "true",
    exclude: exclude.values,
  };
  if (nonEmpty(chown.value)) out.chown = chown.value;
  if (nonEmpty(chmod.value)) out.chmod = chmod.value;
  if (nonEmpty(checksum.value)) out.checksum = checksum.value;
  if (keepGitDir.used) out.keepGitDir = keepGitDir.value === "true";
  if (unpack.used) out.unpack = unpack.value === "true";
  return out;
}

function parseRun(node: InstructionNode, opts: ParseOptions): RunInstruction {
  const flags = flagsOf(node);
  const device = flags.addStrings("device");
  const mount = flags.addStrings("mount");
  const network = flags.addString("network", "default");
  const security = flags.addString("security", "sandbox");
  const extensions = (opts.extraRunFlags ?? []).map((name) => flags.addString(name, ""));
  flags.parse();

  const run: RunInstruction = {
    kind: "run",
    node,
    ...shellDependent(node),
    mounts: mount.values,
    network: "default",
    security: "sandbox",
    devices: device.values,
    extensionFlags: new Map(extensions.filter((f) => f.used).map((f) => [f.name, f.value])),
    flagsUsed: flags.used(),
  };
  // Upstream's post-parse hooks: device syntax, mount syntax (first pass,
  // without variables), then network and security values.
  for (const d of run.devices) parseDevice(d);
  for (const m of run.mounts) parseMount(m);
  run.network = parseNetwork(network.value);
  run.security = parseSecurity(security.value);
  return run;
}

function parseHealthcheck(node: InstructionNode): HealthcheckInstruction {
  if (node.args.length === 0) throw atLeastOne("HEALTHCHECK");
  const typ = node.args[0]!.toUpperCase();
  const args = node.args.slice(1);
  const health = { test: [] as string[], interval: 0, timeout: 0, startPeriod: 0, startInterval: 0, retries: 0 };
  if (typ === "NONE") {
    // Flags are not looked at for NONE (as upstream).
    if (args.length !== 0) throw new Error("HEALTHCHECK NONE takes no arguments");
    health.test = [typ];
    return { kind: "healthcheck", node, health };
  }
  const flags = flagsOf(node);
  const interval = flags.addString("interval", "");
  const timeout = flags.addString("timeout", "");
  const startPeriod = flags.addString("start-period", "");
  const startInterval = flags.addString("start-interval", "");
  const retries = flags.addString("retries", "");
  flags.parse();

  if (typ !== "CMD") throw new Error(`Unknown type ${JSON.stringify(typ)} in HEALTHCHECK (try CMD)`);
  const cmdSlice = args.length === 0 ? [] : node.json ? args : [args.join(" ")];
  if (cmdSlice.length === 0) throw new Error("Missing command after HEALTHCHECK CMD");
  health.test = [node.json ? "CMD" : "CMD-SHELL", ...cmdSlice];

  const duration = (flagName: string, value: string): number => {
    if (value === "") return 0;
    const d = parseGoDuration(value);
    if (d === 0) return 0;
    if (d < 1e6) throw new Error(`Interval ${JSON.stringify(flagName)} cannot be less than 1ms`);
    return d;
  };
  health.interval = duration("interval", interval.value);
  health.timeout = duration("timeout", timeout.value);
  health.startPeriod = duration("start-period", startPeriod.value);
  health.startInterval = duration("start-interval", startInterval.value);
  if (retries.value !== "") {
    const r = parseGoInt(retries.value, 32);
    if (r < 0) throw new Error(`--retries cannot be negative (${r})`);
    health.retries = r;
  }
  return { kind: "healthcheck", node, health };
}

function parseOnbuild(node: InstructionNode): OnbuildInstruction {
  if (node.args.length === 0 || !node.child) throw atLeastOne("ONBUILD");
  flagsOf(node).parse();
  const trigger = trimSpace(node.args[0]!).toUpperCase();
  if (trigger === "ONBUILD") throw new Error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger === "MAINTAINER" || trigger === "FROM") throw new Error(`${trigger} isn't allowed as an ONBUILD trigger`);
  let expression = node.original.replace(/^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*/i, "");
  // The image config stores the trigger as text; heredoc bodies travel with it.
  for (const h of node.heredocs) expression += "\n" + h.content + h.name;
  return { kind: "onbuild", node, expression, trigger: node.child };
}

function parseArg(node: InstructionNode): ArgInstruction {
  // Upstream does not look at ARG's flags.
  if (node.args.length < 1) throw atLeastOne("ARG");
  const args: ArgDefinition[] = node.args.map((arg) => {
    const eq = arg.indexOf("=");
    let def: ArgDefinition;
    if (eq >= 0) {
      if (eq === 0) throw blankNames("ARG");
      def = { key: arg.slice(0, eq), value: arg.slice(eq + 1), comment: "" };
    } else {
      def = { key: arg, comment: "" };
    }
    def.comment = commentFor(node.comments, def.key);
    return def;
  });
  return { kind: "arg", node, args };
}

function parseShellInstr(node: InstructionNode): ShellInstruction {
  flagsOf(node).parse();
  const shell = node.args.length === 0 ? [] : node.json ? node.args.slice() : [node.args.join(" ")];
  if (shell.length === 0) throw atLeastOne("SHELL");
  if (!node.json) throw new Error("SHELL requires the arguments to be in JSON form");
  return { kind: "shell", node, shell };
}

function singleArg(node: InstructionNode, cmdName: string): string {
  if (node.args.length !== 1) throw exactlyOne(cmdName);
  flagsOf(node).parse();
  return node.args[0]!;
}

/**
 * Parses one node. Throws a plain Error with upstream's message; callers add
 * the location (parseInstructions wraps it in InstructionError).
 */
export function parseInstructionNode(node: InstructionNode, opts: ParseOptions = {}): Instruction {
  switch (node.keyword) {
    case "env": {
      flagsOf(node).parse();
      return { kind: "env", node, ...parseKvps(node, "ENV") } satisfies EnvInstruction;
    }
    case "maintainer":
      return { kind: "maintainer", node, maintainer: singleArg(node, "MAINTAINER") } satisfies MaintainerInstruction;
    case "label": {
      flagsOf(node).parse();
      return { kind: "label", node, ...parseKvps(node, "LABEL") } satisfies LabelInstruction;
    }
    case "add":
      return parseAdd(node);
    case "copy":
      return parseCopy(node);
    case "from":
      return parseFrom(node);
    case "onbuild":
      return parseOnbuild(node);
    case "workdir":
      return { kind: "workdir", node, path: singleArg(node, "WORKDIR") } satisfies WorkdirInstruction;
    case "run":
      return parseRun(node, opts);
    case "cmd":
      flagsOf(node).parse();
      return { kind: "cmd", node, ...shellDependent(node) } satisfies CmdInstruction;
    case "healthcheck":
      return parseHealthcheck(node);
    case "entrypoint":
      flagsOf(node).parse();
      return { kind: "entrypoint", node, ...shellDependent(node) } satisfies EntrypointInstruction;
    case "expose": {
      if (node.args.length === 0) throw atLeastOne("EXPOSE");
      flagsOf(node).parse();
      const ports = node.args.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { kind: "expose", node, ports } satisfies ExposeInstruction;
    }
    case "user":
      return { kind: "user", node, user: singleArg(node, "USER") } satisfies UserInstruction;
    case "volume": {
      if (node.args.length === 0) throw atLeastOne("VOLUME");
      flagsOf(node).parse();
      const volumes = node.args.map((v) => {
        const t = trimSpace(v);
        if (t === "") throw new Error("VOLUME specified can not be an empty string");
        return t;
      });
      return { kind: "volume", node, volumes } satisfies VolumeInstruction;
    }
    case "stopsignal":
      // Upstream does not look at STOPSIGNAL's flags.
      if (node.args.length !== 1) throw exactlyOne("STOPSIGNAL");
      return { kind: "stopsignal", node, signal: node.args[0]! } satisfies StopsignalInstruction;
    case "arg":
      return parseArg(node);
    case "shell":
      return parseShellInstr(node);
  }
  throw new Error(withSuggestion(`unknown instruction: ${node.rawKeyword}`, node.rawKeyword, instructionNames, false));
}
