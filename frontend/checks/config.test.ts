/**
 * `# check=` and BUILDKIT_DOCKERFILE_CHECK: parsing as upstream's
 * ParseLintOptions (error texts included), precedence, skip/experimental,
 * and `error=true` failing the build after the warnings.
 */
import { describe, expect, test } from "vitest";
import { LocatedError } from "../gateway/errors.ts";
import { CheckConfigError, parseCheckOptions, resolveCheckConfig } from "./config.ts";
import { lintInProcess } from "../../test/lint-in-process.ts";

describe("parseCheckOptions", () => {
  test("skip, experimental and error, in any order and spacing", () => {
    const c = parseCheckOptions(" skip = A, B ; error = true;experimental=C ");
    expect([...c.skip]).toEqual(["A", "B"]);
    expect([...c.experimental]).toEqual(["C"]);
    expect(c.error).toBe(true);
    expect(c.skipAll || c.experimentalAll).toBe(false);
    expect(parseCheckOptions("skip=all;experimental=all")).toMatchObject({ skipAll: true, experimentalAll: true });
    expect(parseCheckOptions("")).toMatchObject({ skipAll: false, error: false });
    for (const b of ["1", "t", "T", "TRUE", "true", "True"]) expect(parseCheckOptions(`error=${b}`).error).toBe(true);
  });

  test("errors read as upstream's", () => {
    expect(() => parseCheckOptions("bogus")).toThrow('invalid check option "bogus"');
    expect(() => parseCheckOptions("foo=bar")).toThrow('invalid check option "foo"');
    expect(() => parseCheckOptions("skip=all;error=maybe")).toThrow('failed to parse check option "error=maybe": strconv.ParseBool: parsing "maybe": invalid syntax');
  });

  test("only three parts: a third keeps any further `;` (strings.SplitN)", () => {
    expect([...parseCheckOptions("skip=A;error=false;experimental=B;skip=C").experimental]).toEqual(["B;skip=C"]);
  });
});

describe("resolveCheckConfig", () => {
  test("the build arg replaces the directive, even when empty", () => {
    const df = "# check=skip=all\nFROM scratch\n";
    expect(resolveCheckConfig(df, new Map()).skipAll).toBe(true);
    expect(resolveCheckConfig(df, new Map([["BUILDKIT_DOCKERFILE_CHECK", ""]])).skipAll).toBe(false);
    expect(resolveCheckConfig(df, new Map([["BUILDKIT_DOCKERFILE_CHECK", "error=true"]]))).toMatchObject({ skipAll: false, error: true });
  });

  test("a bad directive fails on its line; a bad build arg names the build arg", () => {
    let e: unknown;
    try {
      resolveCheckConfig("# syntax=x\n# check=bogus\nFROM scratch\n", new Map());
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(LocatedError);
    expect((e as LocatedError).message).toBe('failed to parse check options: invalid check option "bogus"');
    expect((e as LocatedError).ranges).toEqual([{ start: 2, end: 2 }]);
    expect(() => resolveCheckConfig("FROM scratch\n", new Map([["BUILDKIT_DOCKERFILE_CHECK", "nope"]]))).toThrow(
      new CheckConfigError('failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: invalid check option "nope"'),
    );
  });

  test("a `# check=` after an instruction is only a comment", () => {
    expect(resolveCheckConfig("FROM scratch\n# check=skip=all\n", new Map()).skipAll).toBe(false);
  });
});

describe("in a build", () => {
  const df = "FROM scratch as base\ncopy Dockerfile .\n";

  test("without configuration every rule but the experimental ones reports", async () => {
    expect((await lintInProcess(df)).found).toEqual([
      "FromAsCasing@1: 'as' and 'FROM' keywords' casing do not match",
      "ConsistentInstructionCasing@2: Command 'copy' should match the case of the command majority (uppercase)",
    ]);
  });

  test("skipped rules are not reported; error=true then has nothing to fail on", async () => {
    for (const d of ["#check=skip=all\n", "#check=skip=ConsistentInstructionCasing,FromAsCasing\n", "#check=skip=all;error=true\n"]) {
      const r = await lintInProcess(d + df);
      expect(r.found).toEqual([]);
      expect(r.error).toBeUndefined();
    }
  });

  test("error=true: the warnings are reported, then the build fails with upstream's message", async () => {
    const r = await lintInProcess("#check=skip=ConsistentInstructionCasing;error=true\n" + df);
    expect(r.found).toEqual(["FromAsCasing@2: 'as' and 'FROM' keywords' casing do not match"]);
    expect(r.error?.message).toBe("lint violation found for rules: FromAsCasing");
    const both = await lintInProcess("#check=error=true\n" + df + "COPY a b\nCOPY c d\n");
    expect(both.error?.message).toBe("lint violation found for rules: FromAsCasing, ConsistentInstructionCasing");
  });

  test("BUILDKIT_DOCKERFILE_CHECK overrides the directive both ways", async () => {
    const on = await lintInProcess("#check=skip=all\n" + df, { buildArgs: { BUILDKIT_DOCKERFILE_CHECK: "skip=ConsistentInstructionCasing;error=true" } });
    expect(on.found).toEqual(["FromAsCasing@2: 'as' and 'FROM' keywords' casing do not match"]);
    expect(on.error?.message).toBe("lint violation found for rules: FromAsCasing");
    const off = await lintInProcess("#check=error=true\n" + df, { buildArgs: { BUILDKIT_DOCKERFILE_CHECK: "skip=all" } });
    expect(off.found).toEqual([]);
    expect(off.error).toBeUndefined();
  });

  test("experimental rules run when enabled, whatever skip says", async () => {
    const d = "# comment for nothing\nARG foo\nFROM scratch\n";
    expect((await lintInProcess(d)).found).toEqual([]);
    expect((await lintInProcess("#check=skip=all;experimental=all\n\n" + d)).found).toEqual([
      "InvalidDefinitionDescription@4: Comment for ARG should follow the format: `# foo <description>`",
    ]);
  });
});
