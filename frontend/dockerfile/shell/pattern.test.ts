import { describe, expect, it } from "vitest";
import { ShellLex, envFromMap } from "./index.ts";
import {
  patternToRegExp,
  replaceAll,
  replaceFirst,
  reversePattern,
  reverseString,
  trimPrefix,
  trimSuffix,
} from "./pattern.ts";

const expand = (word: string, vars: Record<string, string>) => new ShellLex().processWord(word, envFromMap(vars)).result;

describe("pattern conversion", () => {
  it("escapes regexp syntax exactly as upstream's converter does", () => {
    // Upstream TestConvertShellPatternToRegex (no wildcards, so the text matches too).
    expect(patternToRegExp("(()[]{\\}^$.\\*\\?|\\\\", true, true).source).toBe(
      "^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
    );
    expect(patternToRegExp("\\*", true, true).test("*")).toBe(true);
    expect(patternToRegExp("\\*", true, true).test("x")).toBe(false);
  });

  it("rejects other escapes, including a trailing backslash", () => {
    for (const bad of ["\\", "\\x", "\\\\\\"]) expect(() => patternToRegExp(bad, true, true)).toThrow(/invalid escape/);
  });

  it("treats [...] literally: BuildKit has no bracket expressions", () => {
    expect(trimPrefix("[ab]", "[ab]x", false)).toBe("x");
    expect(trimPrefix("[ab]", "ax", false)).toBe("ax");
    expect(expand("${A%[0-9]}", { A: "v1" })).toBe("v1");
  });

  it("makes ? one code point, not one UTF-16 unit", () => {
    expect(trimPrefix("?", "😀x", false)).toBe("x");
    expect(trimSuffix("?", "x😀", false)).toBe("x");
  });

  it("never lets a wildcard cross a newline (Go's `.`)", () => {
    expect(trimPrefix("*", "ab\ncd", true)).toBe("\ncd");
    expect(trimPrefix("*c", "ab\ncd", false)).toBe("ab\ncd");
    expect(trimSuffix("*", "ab\ncd", true)).toBe("ab\n");
    expect(replaceAll("*", "ab\ncd", "-")).toBe("-\n-");
    // "\r" is an ordinary character for Go, unlike JS's `.`.
    expect(trimPrefix("a?b", "a\rb!", false)).toBe("!");
  });
});

describe("shortest and longest matches", () => {
  it("# and % take the shortest, ## and %% the longest", () => {
    expect(trimPrefix("*x*y", "xxyy", false)).toBe("y");
    expect(trimPrefix("*x*y", "xxyy", true)).toBe("");
    expect(trimSuffix("x*", "axbxc", false)).toBe("axb");
    expect(trimSuffix("x*", "axbxc", true)).toBe("a");
    expect(trimSuffix("\\**\\*", "a***yy*", true)).toBe("a");
  });

  it("reverses patterns without splitting escapes (upstream TestReversePattern)", () => {
    expect(reversePattern("a\\*c")).toBe("c\\*a");
    expect(reversePattern("\\\\\\ab")).toBe("b\\a\\\\");
    expect(reversePattern("ab\\")).toBe("\\ba");
    expect(reversePattern("👽\\🚀🖖")).toBe("🖖\\🚀👽");
    expect(reversePattern("\\\\b")).toBe("b\\\\");
    expect(reverseString("🖖🚀👽")).toBe("👽🚀🖖");
  });
});

describe("replacement like Go's regexp", () => {
  it("skips an empty match right after a match (JS's replace would not)", () => {
    expect(replaceAll("*", "abc", "-")).toBe("-");
    expect("abc".replace(/.*/g, "-")).toBe("--"); // what a naive port would produce
    expect(replaceAll("", "ab", "-")).toBe("-a-b-");
    expect(replaceAll("", "😀", "-")).toBe("-😀-");
    expect(replaceAll("b*", "abcb", "-")).toBe("a-");
  });

  it("expands $0, ${0} and $$ in a // replacement, and only there", () => {
    const vars = { A: "foo", R: "<$0>", T: "$$|$1|${0}|$x|$", M: "${0" };
    expect(expand("${A//o/$R}", vars)).toBe("f<o><o>");
    expect(expand("${A/o/$R}", vars)).toBe("f<$0>o");
    expect(replaceAll("o", "o", vars.T)).toBe("$||o||$");
    expect(replaceAll("o", "o", vars.M)).toBe("${0");
    expect(replaceFirst("o", "o", vars.T)).toBe(vars.T);
  });
});
