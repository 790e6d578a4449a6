/**
 * docker/dockerfile's build checks, one Dockerfile that trips each rule and
 * one that must not, converted in process; cases follow upstream's own lint
 * tests (frontend/dockerfile/dockerfile_lint_test.go).
 */
import { describe, expect, test } from "vitest";
import { lintInProcess, type LintCase } from "../../test/lint-in-process.ts";
import { STUB_IMAGE } from "../../test/in-process.ts";

async function found(dockerfile: string, c: LintCase = {}): Promise<string[]> {
  const r = await lintInProcess(dockerfile, c);
  return r.found;
}

/** Only the given rule's warnings. */
async function rule(name: string, dockerfile: string, c: LintCase = {}): Promise<string[]> {
  return (await found(dockerfile, c)).filter((f) => f.startsWith(`${name}@`));
}

describe("parse-time rules", () => {
  test("StageNameCasing", async () => {
    expect(await rule("StageNameCasing", "FROM scratch AS BadStageName\nFROM scratch AS good\n")).toEqual(["StageNameCasing@1: Stage name 'BadStageName' should be lowercase"]);
  });

  test("FromAsCasing follows the casing of FROM, unless FROM itself is mixed", async () => {
    expect(await rule("FromAsCasing", "FROM scratch AS a\nFROM scratch as b\n")).toEqual(["FromAsCasing@2: 'as' and 'FROM' keywords' casing do not match"]);
    expect(await rule("FromAsCasing", "from scratch AS a\nfrom scratch as b\n")).toEqual(["FromAsCasing@1: 'AS' and 'from' keywords' casing do not match"]);
    expect(await rule("FromAsCasing", "From scratch as a\nFROM scratch AS b\n")).toEqual([]);
  });

  test("NoEmptyContinuation points at the end of the instruction", async () => {
    expect(await rule("NoEmptyContinuation", "FROM scratch\n# comment\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n")).toEqual(["NoEmptyContinuation@5: Empty continuation line"]);
  });

  test("ConsistentInstructionCasing against the majority; mixed-case words always", async () => {
    expect(await rule("ConsistentInstructionCasing", "FROM scratch\ncopy a /foo\nCOPY a /bar\n")).toEqual([
      "ConsistentInstructionCasing@2: Command 'copy' should match the case of the command majority (uppercase)",
    ]);
    expect(await rule("ConsistentInstructionCasing", "FROM scratch\ncopy a /foo\ncopy a /bar\n")).toEqual([
      "ConsistentInstructionCasing@1: Command 'FROM' should match the case of the command majority (lowercase)",
    ]);
    expect(await rule("ConsistentInstructionCasing", "frOM scratch as base\nfrom scratch as base2\n")).toEqual([
      "ConsistentInstructionCasing@1: Command 'frOM' should match the case of the command majority (lowercase)",
    ]);
    // ARGs before the first FROM do not count.
    expect(await rule("ConsistentInstructionCasing", "arg X=1\nFROM scratch\nCOPY a /b\n")).toEqual([]);
  });

  test("DuplicateStageName: reported, and the build goes on with the later stage", async () => {
    const r = await lintInProcess("FROM scratch AS b\nFROM scratch AS b\n");
    expect(r.error).toBeUndefined();
    expect(r.found).toEqual(['DuplicateStageName@2: Duplicate stage name "b", stage names should be unique']);
    expect(await rule("DuplicateStageName", "FROM scratch AS b1\nFROM scratch AS b2\n")).toEqual([]);
  });

  test("ReservedStageName", async () => {
    expect(await rule("ReservedStageName", "FROM scratch AS scratch\nFROM scratch AS context\nFROM scratch AS a\n")).toEqual([
      'ReservedStageName@1: Stage name should not use the same name as reserved stage "scratch"',
      'ReservedStageName@2: Stage name should not use the same name as reserved stage "context"',
    ]);
  });

  test("MaintainerDeprecated", async () => {
    expect(await rule("MaintainerDeprecated", "FROM scratch\nMAINTAINER me@example.org\n")).toEqual(["MaintainerDeprecated@2: Maintainer instruction is deprecated in favor of using label"]);
    expect(await rule("MaintainerDeprecated", 'FROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n')).toEqual([]);
  });

  test("checks of instructions before a parse error are reported, with the error", async () => {
    const r = await lintInProcess("FROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\nMAINTAINER again\n");
    expect(r.found.map((f) => f.split(":")[0])).toEqual(["StageNameCasing@1", "MaintainerDeprecated@2"]);
    expect(r.error?.message).toBe("dockerfile parse error on line 3: unknown instruction: BADCMD");
  });

  test("InvalidDefinitionDescription is experimental", async () => {
    const df = "# bar this is the bar\nARG foo\n# BasE this is the base stage\nFROM scratch AS base\n# foo is a foo\nARG foo\n";
    expect(await rule("InvalidDefinitionDescription", df)).toEqual([]);
    expect(await rule("InvalidDefinitionDescription", `# check=experimental=InvalidDefinitionDescription\n\n${df}`)).toEqual([
      "InvalidDefinitionDescription@4: Comment for ARG should follow the format: `# foo <description>`",
      "InvalidDefinitionDescription@6: Comment for FROM should follow the format: `# base <description>`",
    ]);
    const several = "# check=experimental=all\n\n# some text\nARG a b\n";
    expect(await rule("InvalidDefinitionDescription", several)).toEqual(["InvalidDefinitionDescription@4: Comment for ARG should follow the format: `# <arg_key> <description>`"]);
  });
});

describe("FROM rules", () => {
  test("UndefinedArgInFrom, with a suggestion", async () => {
    expect(await rule("UndefinedArgInFrom", "FROM --platform=$BULIDPLATFORM scratch\n")).toEqual([
      "UndefinedArgInFrom@1: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)",
    ]);
    expect(await rule("UndefinedArgInFrom", "ARG tag=latest\nFROM busybox:${tag}${version} AS b\n")).toEqual(["UndefinedArgInFrom@2: FROM argument 'version' is not declared"]);
    expect(await rule("UndefinedArgInFrom", "ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=${MY_OS}/${MYARCH} busybox\n")).toEqual([
      "UndefinedArgInFrom@3: FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)",
    ]);
    expect(await rule("UndefinedArgInFrom", "ARG base=scratch\nARG VERSION\nFROM $base\nFROM --platform=$BUILDPLATFORM scratch\nFROM busybox:$VERSION\n")).toEqual([]);
  });

  test("RedundantTargetPlatform names the expression as written", async () => {
    expect(await rule("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM scratch\nFROM --platform=${TARGETPLATFORM} scratch\n")).toEqual([
      "RedundantTargetPlatform@1: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
      "RedundantTargetPlatform@2: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
    ]);
    expect(await rule("RedundantTargetPlatform", "FROM --platform=$BUILDPLATFORM scratch\n")).toEqual([]);
  });

  test("FromPlatformFlagConstDisallowed, unless the stage is named after the platform", async () => {
    expect(await rule("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 scratch\n")).toEqual([
      'FromPlatformFlagConstDisallowed@1: FROM --platform flag should not use constant value "linux/amd64"',
    ]);
    expect(await rule("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 scratch AS my_amd64_stage\nFROM --platform=linux/amd64 scratch AS linux\n")).toEqual([]);
    expect(await rule("FromPlatformFlagConstDisallowed", "ARG P=linux/amd64\nFROM --platform=$P scratch\n")).toEqual([]);
  });

  test("InvalidDefaultArgInFrom looks at the defaults, whatever the build args", async () => {
    const args = { buildArgs: { VERSION: "latest", IMAGE: "busybox:latest", SFX: "box:latest" } };
    expect(await rule("InvalidDefaultArgInFrom", "ARG VERSION\nFROM busybox:$VERSION\n", args)).toEqual([
      "InvalidDefaultArgInFrom@2: Default value for ARG busybox:$VERSION results in empty or invalid base image name",
    ]);
    expect(await rule("InvalidDefaultArgInFrom", "ARG IMAGE\nFROM $IMAGE\n", args)).toEqual(["InvalidDefaultArgInFrom@2: Default value for ARG $IMAGE results in empty or invalid base image name"]);
    expect(await rule("InvalidDefaultArgInFrom", 'ARG SFX="box:"\nFROM busy${SFX}\n', args)).toEqual([
      "InvalidDefaultArgInFrom@2: Default value for ARG busy${SFX} results in empty or invalid base image name",
    ]);
    expect(await rule("InvalidDefaultArgInFrom", 'ARG VERSION="latest"\nFROM busybox:${VERSION}\nARG V=""\nFROM busybox:stable${V}\n', args)).toEqual([]);
  });

  test("InvalidBaseImagePlatform compares the image's OS and architecture with the build's", async () => {
    const arm = { ...STUB_IMAGE, architecture: "arm64" };
    expect(await rule("InvalidBaseImagePlatform", "FROM busybox\nRUN true\n", { image: arm })).toEqual([
      'InvalidBaseImagePlatform@1: Base image busybox was pulled with platform "linux/arm64", expected "linux/amd64" for current build',
    ]);
    expect(await rule("InvalidBaseImagePlatform", "FROM busybox\nRUN true\n")).toEqual([]);
  });
});

describe("instruction rules", () => {
  test("JSONArgsRecommended for CMD and ENTRYPOINT in shell form, unless SHELL is set", async () => {
    expect(await rule("JSONArgsRecommended", "FROM scratch\nCMD mycommand\nENTRYPOINT mycommand\nCMD [\"ok\"]\n")).toEqual([
      "JSONArgsRecommended@2: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
      "JSONArgsRecommended@3: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals",
    ]);
    expect(await rule("JSONArgsRecommended", 'FROM scratch AS base\nSHELL ["/usr/bin/customshell"]\nFROM base\nCMD mycommand\n')).toEqual([]);
  });

  test("MultipleInstructionsDisallowed points at the one that is ignored", async () => {
    const df = 'FROM scratch\nENTRYPOINT ["/a"]\nCMD ["/a"]\nHEALTHCHECK CMD ["/a"]\nCOPY <<EOF /a.txt\nhi\nEOF\nENTRYPOINT ["/b"]\nCMD ["/b"]\nHEALTHCHECK CMD ["/b"]\n';
    expect(await rule("MultipleInstructionsDisallowed", df)).toEqual([
      "MultipleInstructionsDisallowed@2: Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used",
      "MultipleInstructionsDisallowed@3: Multiple CMD instructions should not be used in the same stage because only the last one will be used",
      "MultipleInstructionsDisallowed@4: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used",
    ]);
    expect(await rule("MultipleInstructionsDisallowed", 'FROM scratch AS a\nCMD ["/a"]\nFROM a AS b\nCMD ["/b"]\n')).toEqual([]);
  });

  test("LegacyKeyValueFormat, in the instruction's casing", async () => {
    expect(await rule("LegacyKeyValueFormat", "FROM scratch\nENV testkey value\nLABEL key value\nENV a=b\n")).toEqual([
      'LegacyKeyValueFormat@2: "ENV key=value" should be used instead of legacy "ENV key value" format',
      'LegacyKeyValueFormat@3: "LABEL key=value" should be used instead of legacy "LABEL key value" format',
    ]);
    expect(await rule("LegacyKeyValueFormat", "from scratch\nenv k v\n")).toEqual(['LegacyKeyValueFormat@2: "env key=value" should be used instead of legacy "env key value" format']);
  });

  test("WorkdirRelativePath only until an absolute WORKDIR, also one of a base stage", async () => {
    expect(await rule("WorkdirRelativePath", "FROM scratch\nWORKDIR app/\nWORKDIR sub\n")).toEqual([
      'WorkdirRelativePath@2: Relative workdir "app/" can have unexpected results if the base image changes',
    ]);
    expect(await rule("WorkdirRelativePath", "FROM scratch AS a\nWORKDIR /app\nFROM a AS b\nWORKDIR subdir/\n")).toEqual([]);
  });

  test("UndefinedVar: expanded words only, declared ARGs count, with suggestions", async () => {
    expect(await rule("UndefinedVar", "FROM busybox\nCOPY $foo .\nARG foo=bar\nRUN echo $foo $nope\nCOPY $foo .\n")).toEqual(["UndefinedVar@2: Usage of undefined variable '$foo'"]);
    expect(await rule("UndefinedVar", "FROM busybox\nARG DIR_BINARIES=b/\nARG DIR_ASSETS=a/\nCOPY $DIR_ASSET .\n")).toEqual([
      "UndefinedVar@4: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
    ]);
    expect(await rule("UndefinedVar", "FROM busybox\nENV PATH=$PAHT:/tmp/bin\n")).toEqual(["UndefinedVar@2: Usage of undefined variable '$PAHT' (did you mean $PATH?)"]);
    // Inherited from the base stage; declared without a value; ARG defaults see earlier ARGs.
    expect(await rule("UndefinedVar", "FROM busybox AS base\nARG foo=Dockerfile\nFROM base\nCOPY $foo .\nARG bar\nCOPY x${bar} .\nARG a=1 b=$a\n")).toEqual([]);
    expect(await rule("UndefinedVar", "FROM busybox\nARG xyz=$missing\nWORKDIR /$wdir\nUSER $usr\nVOLUME /$vol\nLABEL $lbl=1\nSTOPSIGNAL 1$sig\n")).toEqual([
      "UndefinedVar@2: Usage of undefined variable '$missing'",
      "UndefinedVar@3: Usage of undefined variable '$wdir'",
      "UndefinedVar@4: Usage of undefined variable '$usr'",
      "UndefinedVar@5: Usage of undefined variable '$vol'",
      "UndefinedVar@6: Usage of undefined variable '$lbl'",
      "UndefinedVar@7: Usage of undefined variable '$sig'",
    ]);
  });

  test("SecretsUsedInArgOrEnv by whole words of the name", async () => {
    const df = "FROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=x KEYBOARD=y\n";
    expect(await rule("SecretsUsedInArgOrEnv", df)).toEqual([
      'SecretsUsedInArgOrEnv@2: Do not use ARG or ENV instructions for sensitive data (ARG "SECRET_PASSPHRASE")',
      'SecretsUsedInArgOrEnv@3: Do not use ARG or ENV instructions for sensitive data (ENV "SUPER_Secret")',
      'SecretsUsedInArgOrEnv@4: Do not use ARG or ENV instructions for sensitive data (ENV "password")',
      'SecretsUsedInArgOrEnv@4: Do not use ARG or ENV instructions for sensitive data (ENV "secret")',
      'SecretsUsedInArgOrEnv@5: Do not use ARG or ENV instructions for sensitive data (ARG "super_duper_secret_token")',
      'SecretsUsedInArgOrEnv@5: Do not use ARG or ENV instructions for sensitive data (ARG "auth")',
      'SecretsUsedInArgOrEnv@6: Do not use ARG or ENV instructions for sensitive data (ENV "apikey")',
      'SecretsUsedInArgOrEnv@7: Do not use ARG or ENV instructions for sensitive data (ENV "git_key")',
    ]);
  });

  test("ExposeProtoCasing and ExposeInvalidFormat, per port as expanded", async () => {
    // EXPOSE takes its arguments sorted as text, as upstream.
    expect(await found("FROM scratch\nARG P=8080/UDP\nEXPOSE 80/TCP $P 127.0.0.1:80:80 90:90 [::1]:91:91/udp 22\n")).toEqual([
      "ExposeProtoCasing@3: Defined protocol '8080/UDP' in EXPOSE instruction should be lowercase",
      "ExposeInvalidFormat@3: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'",
      "ExposeProtoCasing@3: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase",
      "ExposeInvalidFormat@3: EXPOSE instruction should not define an IP address or host-port mapping, found '90:90'",
      "ExposeInvalidFormat@3: EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:91:91/udp'",
    ]);
    expect(await found("FROM scratch\nEXPOSE 80 443/tcp 53/udp\n")).toEqual([]);
  });

  test("CopyIgnoredFile is experimental and reads .dockerignore", async () => {
    const df = "FROM scratch AS base\nCOPY Dockerfile .\nADD Dockerfile /windy\nFROM scratch\nCOPY --from=base /Dockerfile /x\nCOPY ok.txt sub/../ /\n";
    expect(await rule("CopyIgnoredFile", df, { dockerignore: ["Dockerfile"] })).toEqual([]);
    expect(await rule("CopyIgnoredFile", `# check=skip=all;experimental=CopyIgnoredFile\n${df}`, { dockerignore: ["Dockerfile", "sub"] })).toEqual([
      'CopyIgnoredFile@3: Attempting to Copy file "Dockerfile" that is excluded by .dockerignore',
      'CopyIgnoredFile@4: Attempting to Add file "Dockerfile" that is excluded by .dockerignore',
    ]);
    // With exclusions nothing is reported; a parent directory's pattern covers its files; the root only for "everything".
    const x = "# check=experimental=CopyIgnoredFile\nFROM scratch\nCOPY docs/a.md /\nCOPY . /\n";
    expect(await rule("CopyIgnoredFile", x, { dockerignore: ["docs", "!docs/a.md"] })).toEqual([]);
    expect(await rule("CopyIgnoredFile", x, { dockerignore: ["docs"] })).toEqual(['CopyIgnoredFile@3: Attempting to Copy file "docs/a.md" that is excluded by .dockerignore']);
    expect(await rule("CopyIgnoredFile", x, { dockerignore: ["**"] })).toEqual([
      'CopyIgnoredFile@3: Attempting to Copy file "docs/a.md" that is excluded by .dockerignore',
      'CopyIgnoredFile@4: Attempting to Copy file "." that is excluded by .dockerignore',
    ]);
  });
});

test("every rule of a stage nothing depends on is checked only when linting all stages", async () => {
  const df = "FROM scratch AS a\nFROM a AS b\nENV testkey value\nFROM a AS c\n";
  expect(await rule("LegacyKeyValueFormat", df)).toEqual([]);
  expect(await rule("LegacyKeyValueFormat", df, { allStages: true })).toEqual(['LegacyKeyValueFormat@3: "ENV key=value" should be used instead of legacy "ENV key value" format']);
});
