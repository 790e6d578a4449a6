// Public surface of the instructions layer.
export type {
  AddInstruction,
  ArgDefinition,
  ArgInstruction,
  CmdInstruction,
  Command,
  CommandLine,
  CopyInstruction,
  CopySource,
  EntrypointInstruction,
  EnvInstruction,
  ExposeInstruction,
  FromInstruction,
  HealthcheckConfig,
  HealthcheckInstruction,
  Instruction,
  InstructionKind,
  KeyValuePair,
  LabelInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  ParsedInstructions,
  ParseOptions,
  RunInstruction,
  ShellDependent,
  ShellInlineFile,
  ShellInstruction,
  SourceContent,
  SourcesAndDest,
  Stage,
  StopsignalInstruction,
  UserInstruction,
  VolumeInstruction,
  WorkdirInstruction,
} from "./types.ts";
export { InstructionError } from "./errors.ts";
export { parseCommand, parseInstruction, parseInstructions } from "./parse.ts";
export { commentFor, instructionNames } from "./commands.ts";
export { csvFields, parseMount, ramInBytes, type MountSpec, type MountType, type ShareMode } from "./runmount.ts";
export { parseDevice, parseNetwork, parseSecurity, type DeviceSpec, type NetworkMode, type SecurityMode } from "./runflags.ts";
export { BFlags, type Flag, type FlagType } from "./bflags.ts";
export { parseGoBool, parseGoDuration } from "./go-strconv.ts";
