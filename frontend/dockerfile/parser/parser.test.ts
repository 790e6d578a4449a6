import { describe, expect, it } from "vitest";
import { dumpNode, dumpResult } from "./dump.ts";
import { DockerfileParseError, type Heredoc } from "./nodes.ts";
import { parseDockerfile, parseDockerfileDetailed } from "./parser.ts";

function catchParse(text: string): DockerfileParseError {
  try {
    parseDockerfile(text);
  } catch (e) {
    expect(e).toBeInstanceOf(DockerfileParseError);
    return e as DockerfileParseError;
  }
  throw new Error("expected a parse error");
}

describe("parseDockerfile: nodes", () => {
  it("keeps keyword case separately and lower-cases the keyword", () => {
    const { nodes } = parseDockerfile("From alpine AS Build\nrun echo hi\n");
    expect(nodes.map((n) => [n.keyword, n.rawKeyword])).toEqual([
      ["from", "From"],
      ["run", "run"],
    ]);
    expect(nodes[0]!.args).toEqual(["alpine", "AS", "Build"]);
  });

  it("extracts flags and the JSON attribute", () => {
    const { nodes } = parseDockerfile(
      'FROM a\nCOPY --from=b --chown="1:1" x /y\nRUN --mount=type=cache,target=/c ["sh", "-c", "x"]\n',
    );
    expect(nodes[1]!.flags).toEqual(["--from=b", "--chown=1:1"]);
    expect(nodes[1]!.args).toEqual(["x", "/y"]);
    expect(nodes[2]!.flags).toEqual(["--mount=type=cache,target=/c"]);
    expect(nodes[2]!.json).toBe(true);
    expect(nodes[2]!.args).toEqual(["sh", "-c", "x"]);
  });

  it("does not take the word after a flag as its value", () => {
    const { nodes } = parseDockerfile("FROM a\nCOPY --from b x /y\n");
    expect(nodes[1]!.flags).toEqual(["--from"]);
    expect(nodes[1]!.args).toEqual(["b", "x", "/y"]);
  });

  it("joins continuation lines like upstream (original text)", () => {
    const { nodes } = parseDockerfile("FROM a\nRUN echo a \\\n  b \\\n# comment\n  c\n");
    expect(nodes[1]!.original).toBe("RUN echo a   b   c");
    expect([nodes[1]!.startLine, nodes[1]!.endLine]).toEqual([2, 5]);
  });

  it("treats an escaped escape at end of line as text, not a continuation", () => {
    const { result, divergences } = parseDockerfileDetailed("FROM a\nENV C x\\\\\nENV D y\n");
    expect(result.nodes.map((n) => n.args)).toEqual([["a"], ["C", "x\\\\", ""], ["D", "y", ""]]);
    // dockerfile-ast joins the two ENV lines; the segmentation is corrected
    expect(divergences.map((d) => d.reason)).toEqual(["different-end"]);
  });

  it("ends a continuation at end of file", () => {
    const { nodes } = parseDockerfile("FROM a\nRUN x \\");
    expect(nodes[1]!.original).toBe("RUN x ");
    expect(nodes[1]!.endLine).toBe(2);
  });

  it("handles CRLF line endings and a BOM", () => {
    const { nodes } = parseDockerfile("\ufeffFROM a\r\nRUN a \\\r\n b\r\n");
    expect(nodes[0]!.args).toEqual(["a"]);
    expect(nodes[1]!.original).toBe("RUN a  b");
    expect(nodes[1]!.endLine).toBe(3);
  });

  it("keeps a lone CR inside a line (it is not a line break upstream)", () => {
    const { nodes } = parseDockerfile("FROM a\nRUN a\rb\nUSER x\n");
    expect(nodes.map((n) => n.startLine)).toEqual([1, 2, 3]);
    expect(nodes[1]!.args).toEqual(["a\rb"]);
  });

  it("parses ONBUILD triggers as child nodes", () => {
    const { nodes } = parseDockerfile('FROM a\nONBUILD RUN ["echo", "x"]\nONBUILD Copy --chown=1 . /\n');
    expect(dumpNode(nodes[1]!)).toBe('onbuild (run "echo" "x")');
    expect(nodes[1]!.args).toEqual(["RUN", "echo", "x"]);
    expect(nodes[1]!.child!.json).toBe(true);
    expect(nodes[2]!.child!.rawKeyword).toBe("Copy");
    expect(nodes[2]!.child!.flags).toEqual(["--chown=1"]);
    expect(nodes[2]!.child!.startLine).toBe(3);
  });

  it("keeps unknown instructions for the next layer", () => {
    const { nodes } = parseDockerfile("FROM a\nFOO bar baz\n");
    expect(nodes[1]!.keyword).toBe("foo");
    expect(dumpNode(nodes[1]!)).toBe('foo ""');
  });

  it("ENV and LABEL record the form used", () => {
    const { nodes } = parseDockerfile('FROM a\nENV A 1 2\nENV B=1 C="x y"\nLABEL k v\n');
    expect(nodes[1]!.args).toEqual(["A", "1 2", ""]);
    expect(nodes[2]!.args).toEqual(["B", "1", "=", "C", '"x y"', "="]);
    expect(nodes[3]!.args).toEqual(["k", "v", ""]);
  });

  it("uses the escape directive for words and continuations", () => {
    const { nodes, escapeToken, directives } = parseDockerfile("# escape=`\nFROM a\nENV P c:\\dir `\n  d=e\n");
    expect(escapeToken).toBe("`");
    expect(directives.escape).toEqual({ value: "`", line: 1 });
    expect(nodes[1]!.original).toBe("ENV P c:\\dir   d=e");
  });
});

describe("parseDockerfile: comments", () => {
  it("collects the comment block above an instruction", () => {
    const { nodes } = parseDockerfile("# syntax=x\n# first\n#second\n\nFROM a\n# base stage\n#\n# desc one\nARG X\nRUN y\n");
    expect(nodes[0]!.comments).toEqual(["first", "second"]);
    // an empty comment line resets the block
    expect(nodes[1]!.comments).toEqual(["desc one"]);
    expect(nodes[2]!.comments).toEqual([]);
  });

  it("keeps cache-ttl style comments verbatim", () => {
    const { nodes } = parseDockerfile("FROM a\n# org.mobyproject.buildkit.cache-ttl=24h\nRUN x\n");
    expect(nodes[1]!.comments).toEqual(["org.mobyproject.buildkit.cache-ttl=24h"]);
  });

  it("does not treat comments inside a continuation as descriptions", () => {
    const { nodes } = parseDockerfile("FROM a\nRUN x \\\n# inner\n y\nRUN z\n");
    expect(nodes[2]!.comments).toEqual([]);
  });
});

describe("parseDockerfile: directives", () => {
  it("reads syntax, escape and check", () => {
    const { directives } = parseDockerfile("# syntax=docker/dockerfile:1\n# check=skip=all\n#escape=\\\nFROM a\n");
    expect(directives).toEqual({
      syntax: { value: "docker/dockerfile:1", line: 1 },
      check: { value: "skip=all", line: 2 },
      escape: { value: "\\", line: 3 },
    });
  });

  it("stops at an unknown directive (later escape ignored)", () => {
    const { escapeToken, directives, nodes } = parseDockerfile("# foo=bar\n# escape=`\nFROM a `\n");
    expect(escapeToken).toBe("\\");
    expect(directives).toEqual({});
    expect(nodes[0]!.args).toEqual(["a", "`"]);
    expect(nodes[0]!.comments).toEqual(["foo=bar", "escape=`"]);
  });

  it("stops at the first non-directive line", () => {
    const { directives } = parseDockerfile("# comment\n# escape=`\nFROM a\n");
    expect(directives).toEqual({});
  });

  it("rejects repeated directives and bad escape tokens with the line", () => {
    const e1 = catchParse("# syntax=a\n# syntax=b\nFROM a\n");
    expect(e1.message).toBe("only one syntax parser directive can be used");
    expect([e1.startLine, e1.endLine]).toEqual([2, 2]);
    const e2 = catchParse("# escape=x\nFROM a\n");
    expect(e2.message).toBe("invalid escape token 'x' does not match ` or \\");
    expect(e2.startLine).toBe(1);
  });
});

describe("parseDockerfile: warnings and errors", () => {
  it("warns on empty continuation lines (upstream test)", () => {
    const text =
      "\nFROM alpine:3.6\n\nRUN something \\\n\n    following \\\n\n    more\n\nRUN another \\\n\n    thing\n" +
      "RUN non-indented \\\n# this is a comment\n   after-comment\n\nRUN indented \\\n    # this is an indented comment\n    comment\n\t";
    const { warnings } = parseDockerfile(text);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]!.message).toBe("Empty continuation line found in: RUN something     following     more");
    expect(warnings[0]!.line).toBe(8);
    expect(warnings[0]!.rule).toBe("NoEmptyContinuation");
    expect(warnings[1]!.message).toContain("RUN another     thing");
  });

  it("reports errors with the instruction's lines", () => {
    const e = catchParse("FROM a\nENV \\\n  PATH\n");
    expect(e.message).toBe("ENV must have two arguments");
    expect([e.startLine, e.endLine]).toEqual([2, 3]);
    const j = catchParse('FROM a\nCMD ["a", 1]\n');
    expect(j.message).toBe("when using JSON array syntax, arrays must be comprised of strings only");
    expect(j.startLine).toBe(2);
    const kv = catchParse("FROM a\nENV a=b c\n");
    expect(kv.message).toBe('Syntax error - can\'t find = in "c". Must be of the form: name=value');
  });

  it("rejects files without instructions", () => {
    expect(catchParse("").message).toBe("file with no instructions");
    const e = catchParse("# only\n# comments\n\n");
    expect(e.message).toBe("file with no instructions");
    expect(e.startLine).toBe(3);
  });

  it("rejects over-long lines like Go's scanner", () => {
    const e = catchParse(`FROM a\nLABEL x=${"a".repeat(70000)}\n`);
    expect(e.message).toBe("dockerfile line greater than max allowed size of 65535");
    // The error names the long line, not the one above it.
    expect([e.startLine, e.endLine]).toEqual([2, 2]);
  });

  it("falls back to non-JSON for invalid JSON", () => {
    const { nodes } = parseDockerfile('FROM a\nCMD ["a", "b"] extra\nCMD [\'a\']\n');
    expect(nodes[1]!.json).toBe(false);
    expect(nodes[1]!.args).toEqual(['["a", "b"] extra']);
    expect(nodes[2]!.args).toEqual(["['a']"]);
  });
});

const h = (name: string, content: string, extra: Partial<Heredoc> = {}): Heredoc => ({
  name,
  content,
  expand: true,
  chomp: false,
  fileDescriptor: 0,
  ...extra,
});

describe("parseDockerfile: heredocs", () => {
  // upstream TestParseExtractsHeredoc
  const text = `
FROM alpine:3.6

ENV NAME=me

RUN ls

USER <<INVALID
INVALID

RUN <<EMPTY
EMPTY

RUN 3<<EMPTY2
EMPTY2

RUN "<<NOHEREDOC"

RUN <<INDENT
\tfoo
\tbar
INDENT

RUN <<-UNINDENT
\tbaz
\tquux
UNINDENT

RUN <<-UNINDENT2
\tbaz
\tquux
\tUNINDENT2

RUN <<-EXPAND
\texpand $NAME
EXPAND

RUN <<-'NOEXPAND'
\tdon't expand $NAME
NOEXPAND

RUN <<COPY
echo hello world
echo foo bar
COPY

RUN <<COMMENT
# internal comment
echo hello world
echo foo bar # trailing comment
COMMENT

RUN --mount=type=cache,target=/foo <<MOUNT
echo hello
MOUNT

COPY <<FILE1 <<FILE2 /dest
content 1
FILE1
content 2
FILE2

COPY <<X <<Y /dest
Y
X
X
Y
\t`;

  it("extracts bodies like upstream", () => {
    const { nodes } = parseDockerfile(text);
    expect(nodes.slice(1).map((n) => n.heredocs)).toEqual([
      [],
      [],
      [],
      [],
      [h("EMPTY", "")],
      [h("EMPTY2", "", { fileDescriptor: 3 })],
      [],
      [h("INDENT", "\tfoo\n\tbar\n")],
      [h("UNINDENT", "\tbaz\n\tquux\n", { chomp: true })],
      [h("UNINDENT2", "\tbaz\n\tquux\n", { chomp: true })],
      [h("EXPAND", "\texpand $NAME\n", { chomp: true })],
      [h("NOEXPAND", "\tdon't expand $NAME\n", { chomp: true, expand: false })],
      [h("COPY", "echo hello world\necho foo bar\n")],
      [h("COMMENT", "# internal comment\necho hello world\necho foo bar # trailing comment\n")],
      [h("MOUNT", "echo hello\n")],
      [h("FILE1", "content 1\n"), h("FILE2", "content 2\n")],
      [h("X", "Y\n"), h("Y", "X\n")],
    ]);
    const copy = nodes[nodes.length - 1]!;
    expect([copy.startLine, copy.endLine]).toEqual([63, 67]);
  });

  it("ignores heredoc syntax in JSON form", () => {
    const { nodes } = parseDockerfile('FROM a\nRUN ["<<EOF"]\nRUN ["<<\'EOF\'"]\nEOF\n');
    expect(nodes.map((n) => n.heredocs.length)).toEqual([0, 0, 0, 0]);
    expect(nodes[3]!.keyword).toBe("eof");
  });

  it("reads a heredoc opened on a continuation line and spans its lines", () => {
    const { nodes } = parseDockerfile("FROM a\nRUN python3 \\\n  <<EOF\nprint(1)\nEOF\nRUN b\n");
    expect(nodes[1]!.heredocs).toEqual([h("EOF", "print(1)\n")]);
    expect([nodes[1]!.startLine, nodes[1]!.endLine]).toEqual([2, 5]);
    expect(nodes[2]!.startLine).toBe(6);
  });

  it("attaches heredocs of an ONBUILD trigger", () => {
    const { nodes } = parseDockerfile("FROM a\nONBUILD RUN <<X\nfoo\nX\n");
    expect(nodes[1]!.heredocs).toEqual([h("X", "foo\n")]);
    expect(nodes[1]!.child!.heredocs).toEqual([h("X", "foo\n")]);
    expect(nodes[1]!.endLine).toBe(4);
  });

  it("keeps CRLF inside bodies and matches terminators without it", () => {
    const { nodes } = parseDockerfile("FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\n");
    expect(nodes[1]!.heredocs[0]!.content).toBe("x\r\n");
  });

  it("fails on an unterminated heredoc", () => {
    const e = catchParse("FROM a\nRUN <<EOF\necho\n");
    expect(e.message).toBe("unterminated heredoc");
    expect([e.startLine, e.endLine]).toEqual([2, 3]);
  });

  it("corrects dockerfile-ast where it misses fd heredocs", () => {
    const { result, divergences } = parseDockerfileDetailed("FROM a\nRUN 3<<EOF cat\nRUN x\nEOF\nUSER y\n");
    expect(result.nodes.map((n) => n.keyword)).toEqual(["from", "run", "user"]);
    expect(result.nodes[1]!.heredocs[0]!.content).toBe("RUN x\n");
    expect(divergences.length).toBeGreaterThan(0);
  });
});

describe("dumpResult", () => {
  it("prints upstream's s-expressions", () => {
    const r = parseDockerfile('FROM a\nCOPY --from=x ["a b", "c"]\nHEALTHCHECK NONE\nENV k=v\n');
    expect(dumpResult(r)).toBe(
      '(from "a")\n(copy ["--from=x"] "a b" "c")\n(healthcheck "NONE")\n(env "k" "v" "=")',
    );
  });
});
