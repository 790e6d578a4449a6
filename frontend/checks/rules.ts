/**
 * docker/dockerfile's build checks (BuildKit frontend/dockerfile/linter,
 * dockerfile 1.18): the same names, descriptions, documentation URLs and
 * message texts, so `# check=skip=...` lists, CI greps and users' muscle
 * memory carry over. Where each one fires is in parse-checks.ts and
 * dispatch-checks.ts.
 */
import { goQuote } from "../image/go-format.ts";
import { defineRule } from "./rule.ts";

const DOCS = "https://docs.docker.com/go/dockerfile/rule/";

export const StageNameCasing = defineRule(
  { name: "StageNameCasing", description: "Stage names should be lowercase", url: `${DOCS}stage-name-casing/` },
  (stageName: string) => `Stage name '${stageName}' should be lowercase`,
);

export const FromAsCasing = defineRule(
  { name: "FromAsCasing", description: "The 'as' keyword should match the case of the 'from' keyword", url: `${DOCS}from-as-casing/` },
  (from: string, as: string) => `'${as}' and '${from}' keywords' casing do not match`,
);

export const NoEmptyContinuation = defineRule(
  { name: "NoEmptyContinuation", description: "Empty continuation lines will become errors in a future release", url: `${DOCS}no-empty-continuation/` },
  () => "Empty continuation line",
);

export const ConsistentInstructionCasing = defineRule(
  {
    name: "ConsistentInstructionCasing",
    description: "All commands within the Dockerfile should use the same casing (either upper or lower)",
    url: `${DOCS}consistent-instruction-casing/`,
  },
  (command: string, casing: "lowercase" | "uppercase") => `Command '${command}' should match the case of the command majority (${casing})`,
);

export const DuplicateStageName = defineRule(
  { name: "DuplicateStageName", description: "Stage names should be unique", url: `${DOCS}duplicate-stage-name/` },
  (stageName: string) => `Duplicate stage name ${goQuote(stageName)}, stage names should be unique`,
);

export const ReservedStageName = defineRule(
  { name: "ReservedStageName", description: "Reserved words should not be used as stage names", url: `${DOCS}reserved-stage-name/` },
  (stageName: string) => `Stage name should not use the same name as reserved stage ${goQuote(stageName)}`,
);

export const JSONArgsRecommended = defineRule(
  {
    name: "JSONArgsRecommended",
    description: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
    url: `${DOCS}json-args-recommended/`,
  },
  (instruction: string) => `JSON arguments recommended for ${instruction} to prevent unintended behavior related to OS signals`,
);

export const MaintainerDeprecated = defineRule(
  {
    name: "MaintainerDeprecated",
    description: "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
    url: `${DOCS}maintainer-deprecated/`,
  },
  () => "Maintainer instruction is deprecated in favor of using label",
);

export const UndefinedArgInFrom = defineRule(
  { name: "UndefinedArgInFrom", description: "FROM command must use declared ARGs", url: `${DOCS}undefined-arg-in-from/` },
  (arg: string, suggestion?: string) => `FROM argument '${arg}' is not declared${suggestion ? ` (did you mean ${suggestion}?)` : ""}`,
);

export const WorkdirRelativePath = defineRule(
  {
    name: "WorkdirRelativePath",
    description: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
    url: `${DOCS}workdir-relative-path/`,
  },
  (workdir: string) => `Relative workdir ${goQuote(workdir)} can have unexpected results if the base image changes`,
);

export const UndefinedVar = defineRule(
  { name: "UndefinedVar", description: "Variables should be defined before their use", url: `${DOCS}undefined-var/` },
  (name: string, suggestion?: string) => `Usage of undefined variable '$${name}'${suggestion ? ` (did you mean $${suggestion}?)` : ""}`,
);

export const MultipleInstructionsDisallowed = defineRule(
  {
    name: "MultipleInstructionsDisallowed",
    description: "Multiple instructions of the same type should not be used in the same stage",
    url: `${DOCS}multiple-instructions-disallowed/`,
  },
  (instruction: string) => `Multiple ${instruction} instructions should not be used in the same stage because only the last one will be used`,
);

export const LegacyKeyValueFormat = defineRule(
  { name: "LegacyKeyValueFormat", description: "Legacy key/value format with whitespace separator should not be used", url: `${DOCS}legacy-key-value-format/` },
  (instruction: string) => `"${instruction} key=value" should be used instead of legacy "${instruction} key value" format`,
);

// Upstream gives this rule no documentation URL.
export const InvalidBaseImagePlatform = defineRule(
  { name: "InvalidBaseImagePlatform", description: "Base image platform does not match expected target platform" },
  (image: string, expected: string, actual: string) => `Base image ${image} was pulled with platform ${goQuote(actual)}, expected ${goQuote(expected)} for current build`,
);

export const RedundantTargetPlatform = defineRule(
  {
    name: "RedundantTargetPlatform",
    description: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    url: `${DOCS}redundant-target-platform/`,
  },
  (platform: string) => `Setting platform to predefined ${platform} in FROM is redundant as this is the default behavior`,
);

export const SecretsUsedInArgOrEnv = defineRule(
  { name: "SecretsUsedInArgOrEnv", description: "Sensitive data should not be used in the ARG or ENV commands", url: `${DOCS}secrets-used-in-arg-or-env/` },
  (instruction: string, key: string) => `Do not use ARG or ENV instructions for sensitive data (${instruction} ${goQuote(key)})`,
);

export const InvalidDefaultArgInFrom = defineRule(
  {
    name: "InvalidDefaultArgInFrom",
    description: "Default value for global ARG results in an empty or invalid base image name",
    url: `${DOCS}invalid-default-arg-in-from/`,
  },
  (baseName: string) => `Default value for ARG ${baseName} results in empty or invalid base image name`,
);

export const FromPlatformFlagConstDisallowed = defineRule(
  { name: "FromPlatformFlagConstDisallowed", description: "FROM --platform flag should not use a constant value", url: `${DOCS}from-platform-flag-const-disallowed/` },
  (platform: string) => `FROM --platform flag should not use constant value ${goQuote(platform)}`,
);

export const CopyIgnoredFile = defineRule(
  { name: "CopyIgnoredFile", description: "Attempting to Copy file that is excluded by .dockerignore", url: `${DOCS}copy-ignored-file/`, experimental: true },
  (instruction: "Copy" | "Add", file: string) => `Attempting to ${instruction} file ${goQuote(file)} that is excluded by .dockerignore`,
);

export const InvalidDefinitionDescription = defineRule(
  {
    name: "InvalidDefinitionDescription",
    description:
      "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
    url: `${DOCS}invalid-definition-description/`,
    experimental: true,
  },
  (instruction: string, name: string) => `Comment for ${instruction} should follow the format: \`# ${name} <description>\``,
);

export const ExposeProtoCasing = defineRule(
  { name: "ExposeProtoCasing", description: "Protocol in EXPOSE instruction should be lowercase", url: `${DOCS}expose-proto-casing/` },
  (port: string) => `Defined protocol '${port}' in EXPOSE instruction should be lowercase`,
);

export const ExposeInvalidFormat = defineRule(
  {
    name: "ExposeInvalidFormat",
    description: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    url: `${DOCS}expose-invalid-format/`,
  },
  (port: string) => `EXPOSE instruction should not define an IP address or host-port mapping, found '${port}'`,
);

/** docker/dockerfile's rules, in the order of its reference. */
export const DOCKERFILE_RULES = [
  StageNameCasing,
  FromAsCasing,
  NoEmptyContinuation,
  ConsistentInstructionCasing,
  DuplicateStageName,
  ReservedStageName,
  JSONArgsRecommended,
  MaintainerDeprecated,
  UndefinedArgInFrom,
  WorkdirRelativePath,
  UndefinedVar,
  MultipleInstructionsDisallowed,
  LegacyKeyValueFormat,
  InvalidBaseImagePlatform,
  RedundantTargetPlatform,
  SecretsUsedInArgOrEnv,
  InvalidDefaultArgInFrom,
  FromPlatformFlagConstDisallowed,
  CopyIgnoredFile,
  InvalidDefinitionDescription,
  ExposeProtoCasing,
  ExposeInvalidFormat,
] as const;
