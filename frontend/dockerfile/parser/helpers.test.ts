import { describe, expect, it } from "vitest";
import { detectDirective } from "./directives.ts";
import { chompHeredocContent, heredocsFromLine, parseHeredocWord } from "./heredoc.ts";
import { parseWords } from "./line-parsers.ts";
import { splitCommand } from "./split-command.ts";
import { goQuote, goQuoteSlice } from "./text.ts";

describe("parseWords (upstream TestParseWords)", () => {
  const cases: [string, string[]][] = [
    ["foo", ["foo"]],
    ["foo bar", ["foo", "bar"]],
    ["foo\\ bar", ["foo\\ bar"]],
    ["foo=bar", ["foo=bar"]],
    ["foo bar 'abc xyz'", ["foo", "bar", "'abc xyz'"]],
    ['foo bar "abc xyz"', ["foo", "bar", '"abc xyz"']],
    ["àöû", ["àöû"]],
    ['föo bàr "âbc xÿz"', ["föo", "bàr", '"âbc xÿz"']],
    ["a '' b", ["a", "''", "b"]],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input), () => expect(parseWords(input, "\\")).toEqual(expected));
  }
  it("honours the backtick escape", () => {
    expect(parseWords("a` b c", "`")).toEqual(["a` b", "c"]);
  });
});

describe("splitCommand", () => {
  it("splits flags, honouring quotes and `--`", () => {
    expect(splitCommand("COPY --a=1 --b='x y' -- --c d")).toEqual({ cmd: "COPY", flags: ["--a=1", "--b=x y"], rest: "--c d" });
    expect(splitCommand("  RUN\t--x   ")).toEqual({ cmd: "RUN", flags: ["--x"], rest: "" });
    expect(splitCommand("RUN")).toEqual({ cmd: "RUN", flags: [], rest: "" });
    expect(splitCommand("RUN -x")).toEqual({ cmd: "RUN", flags: [], rest: "-x" });
  });
});

describe("heredoc helpers (upstream TestParseHeredocHelpers)", () => {
  it("recognises valid heredoc words", () => {
    for (const src of ["<<EOF", "<<'EOF'", '<<"EOF"', "<<-EOF", "<<-'EOF'", '<<-"EOF"']) {
      expect(parseHeredocWord(src)?.name).toBe("EOF");
    }
  });
  it("rejects broken quoting", () => {
    for (const src of ["<<'EOF", '<<"EOF', "<<EOF'", '<<EOF"']) {
      expect(() => parseHeredocWord(src)).toThrow();
    }
  });
  it("ignores non-heredocs", () => {
    for (const src of ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF"]) {
      expect(parseHeredocWord(src)).toBeUndefined();
    }
  });
  it("computes expand, chomp and the descriptor", () => {
    expect(parseHeredocWord("2<<-'E'O")).toEqual({ name: "EO", expand: false, chomp: true, fileDescriptor: 2 });
    expect(parseHeredocWord("<<\\EOF")).toEqual({ name: "EOF", expand: true, chomp: false, fileDescriptor: 0 });
  });
  it("finds every opener on a line (upstream TestHeredocsFromLine)", () => {
    const names = (l: string) => heredocsFromLine(l).map((h) => h.name);
    expect(names("RUN <<EOF")).toEqual(["EOF"]);
    expect(names("RUN <<-EOF")).toEqual(["EOF"]);
    expect(names("RUN <<'EOF'")).toEqual(["EOF"]);
    expect(names("RUN 4<<EOF")).toEqual(["EOF"]);
    expect(names("RUN <<EOF <<EOF2")).toEqual(["EOF", "EOF2"]);
    expect(names("RUN '<<EOF'")).toEqual([]);
    expect(names('RUN "<<EOF"')).toEqual([]);
    expect(names("RUN cat<<EOF")).toEqual([]);
    expect(names("RUN echo 'unterminated <<EOF")).toEqual([]);
  });
  it("chomps leading tabs", () => {
    expect(chompHeredocContent("\thello\n\t\tworld\n")).toBe("hello\nworld\n");
  });
});

describe("detectDirective (upstream TestDetectSyntax / TestParseDirective)", () => {
  it("detects syntax in the supported forms", () => {
    expect(detectDirective("syntax", "# syntax = dockerfile:experimental // opts\nFROM busybox\n")).toEqual({
      value: "dockerfile:experimental",
      cmdline: "dockerfile:experimental // opts",
      line: 1,
    });
    expect(detectDirective("syntax", "#!/bin/sh\n# syntax = dockerfile:experimental\nFROM busybox\n")?.line).toBe(2);
    expect(detectDirective("syntax", "#!/bin/sh\n\n# syntax = dockerfile:experimental\n")).toBeUndefined();
    expect(detectDirective("syntax", "FROM busybox\nRUN ls\n")).toBeUndefined();
    expect(detectDirective("syntax", "//syntax=foo\n//key=value")?.value).toBe("foo");
    expect(detectDirective("syntax", "#!/bin/sh\n//syntax=x")?.value).toBe("x");
    expect(detectDirective("syntax", '{"syntax": "foo"}')?.value).toBe("foo");
    expect(detectDirective("syntax", '{"syntax": "foo"')).toBeUndefined();
    expect(detectDirective("syntax", '{"syntax": "foo"}\n# syntax=bar')).toBeUndefined();
    expect(detectDirective("syntax", "\ufeff# syntax = myfrontend\nFROM busybox\n")?.line).toBe(1);
  });
  it("detects check", () => {
    expect(detectDirective("check", "#check = skip=all // opts\nFROM busybox\n")).toEqual({
      value: "skip=all",
      cmdline: "skip=all // opts",
      line: 1,
    });
  });
});

describe("Go quoting", () => {
  it("matches strconv.Quote", () => {
    expect(goQuote('a"b\\c\n\t\u0000\u00a0♥')).toBe('"a\\"b\\\\c\\n\\t\\x00\\u00a0♥"');
    expect(goQuoteSlice(["--a=1", "b"])).toBe('["--a=1" "b"]');
  });
});
