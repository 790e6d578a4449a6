// Typed instructions (upstream instructions/commands.go). Every value is kept
// UNEXPANDED: variables are substituted at conversion time with the
// environment in effect at that point of the stage.

import type { InstructionNode } from "../parser/index.ts";
import type { NetworkMode, SecurityMode } from "./runflags.ts";

interface Base<K extends string> {
  kind: K;
  /** The parsed node: lines, original text, raw flags, comments. */
  node: InstructionNode;
}

/** Shell form (run through the stage's SHELL) or exec (JSON) form. */
export type CommandLine = { form: "shell"; command: string } | { form: "exec"; args: string[] };

/** A heredoc attached to RUN (upstream ShellInlineFile). Data is not chomped. */
export interface ShellInlineFile {
  name: string;
  data: string;
  chomp: boolean;
  /** False when the delimiter was quoted. */
  expand: boolean;
}

/** Fields shared by RUN, CMD and ENTRYPOINT (upstream ShellDependantCmdLine). */
export interface ShellDependent {
  cmd: CommandLine;
  /**
   * Upstream's CmdLine: exec args, or the single shell command string, or
   * empty when the instruction has no arguments.
   */
  cmdLine: string[];
  /** True for shell form (upstream PrependShell). */
  prependShell: boolean;
  files: ShellInlineFile[];
}

export interface FromInstruction extends Base<"from"> {
  /** Image or stage reference, unexpanded. */
  baseName: string;
  /** `AS` name lower-cased (stage names are case-insensitive). */
  stageName?: string;
  /** `AS` name as written. */
  originalName?: string;
  /** `--platform` value, unexpanded. */
  platform?: string;
}

export interface KeyValuePair {
  key: string;
  value: string;
  /** Written in the legacy `KEY value` form (LegacyKeyValueFormat check). */
  noDelim: boolean;
}

export interface EnvInstruction extends Base<"env"> {
  pairs: KeyValuePair[];
  /** Any pair in the legacy form. */
  legacy: boolean;
}

export interface LabelInstruction extends Base<"label"> {
  pairs: KeyValuePair[];
  legacy: boolean;
}

export interface ArgDefinition {
  key: string;
  /** Default value; undefined for `ARG name`. */
  value?: string;
  /** Description from a `# name text` comment above, "" when none. */
  comment: string;
}

export interface ArgInstruction extends Base<"arg"> {
  args: ArgDefinition[];
}

export interface RunInstruction extends Base<"run">, ShellDependent {
  /** Raw `--mount` values in order; see parseMount. */
  mounts: string[];
  network: NetworkMode;
  security: SecurityMode;
  /** Raw `--device` values; see parseDevice. */
  devices: string[];
  /** Values of the extension flags named in ParseOptions.extraRunFlags that were used. */
  extensionFlags: Map<string, string>;
  /** Names of the flags that were given. */
  flagsUsed: string[];
}

export interface CmdInstruction extends Base<"cmd">, ShellDependent {}

export interface EntrypointInstruction extends Base<"entrypoint">, ShellDependent {}

/** An inline (heredoc) source of COPY/ADD. */
export interface SourceContent {
  /** The heredoc name, used as the file name. */
  path: string;
  /** Body, already chomped for `<<-`. */
  data: string;
  expand: boolean;
}

export type CopySource = { kind: "path"; path: string } | ({ kind: "heredoc" } & SourceContent);

export interface SourcesAndDest {
  /** All sources in written order. */
  sources: CopySource[];
  /** Path sources only (upstream SourcePaths). */
  sourcePaths: string[];
  /** Heredoc sources only (upstream SourceContents). */
  sourceContents: SourceContent[];
  dest: string;
}

export interface CopyInstruction extends Base<"copy">, SourcesAndDest {
  from?: string;
  chown?: string;
  chmod?: string;
  link: boolean;
  parents: boolean;
  exclude: string[];
}

export interface AddInstruction extends Base<"add">, SourcesAndDest {
  chown?: string;
  chmod?: string;
  link: boolean;
  exclude: string[];
  checksum?: string;
  /** Only set when the flag was given. */
  keepGitDir?: boolean;
  /** Only set when the flag was given. */
  unpack?: boolean;
}

export interface WorkdirInstruction extends Base<"workdir"> {
  path: string;
}

export interface UserInstruction extends Base<"user"> {
  user: string;
}

export interface ExposeInstruction extends Base<"expose"> {
  /** Port specs as written, sorted like upstream (byte order). */
  ports: string[];
}

export interface VolumeInstruction extends Base<"volume"> {
  volumes: string[];
}

export interface StopsignalInstruction extends Base<"stopsignal"> {
  signal: string;
}

export interface HealthcheckConfig {
  /** ["NONE"], ["CMD", ...args] (exec) or ["CMD-SHELL", command]. */
  test: string[];
  /** Durations in nanoseconds; 0 = not set (inherit). */
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface HealthcheckInstruction extends Base<"healthcheck"> {
  health: HealthcheckConfig;
}

export interface ShellInstruction extends Base<"shell"> {
  shell: string[];
}

export interface OnbuildInstruction extends Base<"onbuild"> {
  /** The trigger text stored in the image config (heredoc bodies appended). */
  expression: string;
  /** The parsed trigger. */
  trigger: InstructionNode;
}

export interface MaintainerInstruction extends Base<"maintainer"> {
  maintainer: string;
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CopyInstruction
  | AddInstruction
  | EnvInstruction
  | ArgInstruction
  | WorkdirInstruction
  | UserInstruction
  | LabelInstruction
  | CmdInstruction
  | EntrypointInstruction
  | ExposeInstruction
  | VolumeInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | ShellInstruction
  | OnbuildInstruction
  | MaintainerInstruction;

/** Any instruction that can appear inside a stage. */
export type Command = Exclude<Instruction, FromInstruction>;

export type InstructionKind = Instruction["kind"];

export interface Stage {
  /** Lower-cased `AS` name; undefined for unnamed stages. */
  name: string | undefined;
  /** `AS` name as written. */
  originalName: string | undefined;
  /** Position among the stages, from 0. */
  index: number;
  /** Image or stage reference, unexpanded. */
  baseName: string;
  /** `FROM --platform` value, unexpanded. */
  platform?: string;
  from: FromInstruction;
  commands: Command[];
  /** Description from a `# name text` comment above FROM, "" when none. */
  comment: string;
}

export interface ParseOptions {
  /** Extra RUN flags accepted as `--name=value` (extensions such as cache-ttl). */
  extraRunFlags?: readonly string[];
}

export interface ParsedInstructions {
  /** ARGs before the first FROM. */
  metaArgs: ArgInstruction[];
  stages: Stage[];
}
