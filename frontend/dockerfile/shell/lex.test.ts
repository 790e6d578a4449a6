import { describe, expect, it } from "vitest";
import {
  ShellExpansionError,
  ShellLex,
  emptyEnv,
  envFromList,
  envFromMap,
  equalEnvKeys,
  normalizeEnvKey,
  type EnvGetter,
} from "./index.ts";

const lex = new ShellLex();
const env = (vars: Record<string, string> = {}) => envFromMap(vars);
const expand = (word: string, vars: Record<string, string> = {}, l: ShellLex = lex) =>
  l.processWord(word, env(vars)).result;

/** The ShellExpansionError thrown for `word`, or a failure if none is. */
function failure(word: string, vars: Record<string, string> = {}, l: ShellLex = lex): ShellExpansionError {
  try {
    l.processWord(word, env(vars));
  } catch (err) {
    expect(err).toBeInstanceOf(ShellExpansionError);
    return err as ShellExpansionError;
  }
  throw new Error(`expected ${JSON.stringify(word)} to fail`);
}

describe("each substitution form", () => {
  const vars = { SET: "val", EMPTY: "" };
  // [word, expected] with SET=val, EMPTY="" and UNSET not defined.
  const cases: [string, string][] = [
    ["$SET", "val"],
    ["${SET}", "val"],
    ["$UNSET|${UNSET}", "|"],
    ["${SET:-d}|${EMPTY:-d}|${UNSET:-d}", "val|d|d"],
    ["${SET-d}|${EMPTY-d}|${UNSET-d}", "val||d"],
    ["${SET:+a}|${EMPTY:+a}|${UNSET:+a}", "a||"],
    ["${SET+a}|${EMPTY+a}|${UNSET+a}", "a|a|"],
    ["${SET:?m}|${SET?m}|${EMPTY?m}", "val|val|"],
    ["${UNSET:-${SET:+x$SET}}", "xval"],
    ["${UNSET:-a b}", "a b"],
  ];
  it.each(cases)("%s", (word, expected) => expect(expand(word, vars)).toBe(expected));

  it("trims prefixes and suffixes, shortest and longest", () => {
    const v = { P: "/usr/local/bin/tool.tar.gz" };
    expect(expand("${P#*/}", v)).toBe("usr/local/bin/tool.tar.gz");
    expect(expand("${P##*/}", v)).toBe("tool.tar.gz");
    expect(expand("${P%.*}", v)).toBe("/usr/local/bin/tool.tar");
    expect(expand("${P%%.*}", v)).toBe("/usr/local/bin/tool");
    expect(expand("${P#nomatch}", v)).toBe(v.P);
    expect(expand("${P%/usr?local*}", v)).toBe("");
    expect(expand("${UNSET#x}${UNSET%%x}", v)).toBe("");
  });

  it("replaces the first or every match", () => {
    const v = { P: "a-b-c", S: "/a/b/c" };
    expect(expand("${P/-/+}|${P//-/+}", v)).toBe("a+b-c|a+b+c");
    expect(expand("${P/?/X}|${P//?/X}", v)).toBe("X-b-c|XXXXX");
    expect(expand("${P/*/X}|${P//-*/}", v)).toBe("X|a");
    expect(expand("${S//\\//_}", v)).toBe("_a_b_c"); // `\/` writes a `/`
    expect(expand("${P/zz/y}|${UNSET//a/b}", v)).toBe("a-b-c|");
  });

  it("expands the operand and only then evaluates it", () => {
    expect(expand("${A:-$B}", { B: "b" })).toBe("b");
    expect(expand("${A#$B}", { A: "xxyy", B: "x" })).toBe("xyy");
    expect(expand("${A/$N/$R}", { A: "http://h", N: "http://", R: "https://" })).toBe("https://h");
  });
});

describe("upstream TestProcessWithMatches cases", () => {
  const base = { FOO: "xxx", BAR: "" };
  // [word, env, expected result or "error", matched, unmatched]
  type Row = [string, Record<string, string>, string, string[], string[]];
  const rows: Row[] = [
    ["x", { DUMMY: "dummy" }, "x", [], []],
    ["x ${UNUSED}", { DUMMY: "dummy" }, "x ", [], ["UNUSED"]],
    ["x ${FOO}", { FOO: "y" }, "x y", ["FOO"], []],
    ["${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", base, "xxx  ccc", ["FOO", "BAR"], ["BAZ"]],
    ["${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", base, "xxx bbb ccc", ["FOO", "BAR"], ["BAZ"]],
    ["${FOO:-}", base, "xxx", ["FOO"], []],
    ["${FOO:-}", {}, "", [], ["FOO"]],
    ["${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", base, "aaa bbb ", ["FOO", "BAR"], ["BAZ"]],
    ["${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", base, "aaa  ", ["FOO", "BAR"], ["BAZ"]],
    ["${FOO?aaa}", base, "xxx", ["FOO"], []],
    ["${BAR?bbb}", base, "", ["BAR"], []],
    ["${BAZ?ccc}", base, "error", [], ["BAZ"]],
    ["${FOO:?aaa}", base, "xxx", ["FOO"], []],
    ["${BAR:?bbb}", base, "error", ["BAR"], []],
    ["${BAZ:?ccc}", base, "error", [], ["BAZ"]],
    ["${BAZ:?}", base, "error", [], ["BAZ"]],
    ["${FOO=aaa}", base, "error", [], []],
    ["${FOO=:aaa}", base, "error", [], []],
    ["${FOO=}", {}, "error", [], []],
    ["${FOO#()[]{\\}^$.\\*\\?|\\\\}", { FOO: "()[]{}^$.*?|\\x" }, "x", ["FOO"], []],
    ["${FOO%%\\**}", { FOO: "xx**" }, "xx", ["FOO"], []],
    ["${FOO#*x*y}", { FOO: "xxyy" }, "y", ["FOO"], []],
    ["${FOO#*}", { FOO: "xxyy" }, "xxyy", ["FOO"], []],
    ["${FOO#$BAR}", { FOO: "xxyy", BAR: "x" }, "xyy", ["FOO", "BAR"], []],
    ["${FOO#$BAR}", { FOO: "xxyy", BAR: "" }, "xxyy", ["FOO", "BAR"], []],
    ["${FOO#}", { FOO: "xxyy" }, "xxyy", ["FOO"], []],
    ["${FOO##*x}", { FOO: "xxyy" }, "yy", ["FOO"], []],
    ["${FOO##}", { FOO: "xxyy" }, "xxyy", ["FOO"], []],
    ["${FOO#?\\?}", { FOO: "???y" }, "?y", ["FOO"], []],
    ["${ABC:-.}${FOO%x}${ABC:-.}", { FOO: "xxyy" }, ".xxyy.", ["FOO"], ["ABC"]],
    ["${FOO%%\\**\\*}", { FOO: "a***yy*" }, "a", ["FOO"], []],
    ["${FOO%}", { FOO: "xxyy" }, "xxyy", ["FOO"], []],
    ["${FOO%%$BAR}", { FOO: "xxyy", BAR: "" }, "xxyy", ["FOO", "BAR"], []],
    [
      "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
      { FOO: "/foo*/*/*.txt", NEEDLE: "\\*/" },
      "/foo.*/*.txt - /foo..*.txt",
      ["FOO", "NEEDLE"],
      [],
    ],
    [
      "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
      { FOO: "/tmp/tmp/bar.txt", NEEDLE: "/tmp" },
      "/tmp/bar.txt - /bar.txt",
      ["FOO", "NEEDLE"],
      [],
    ],
    [
      "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
      { FOO: "/a/foo/b/c.txt", NEEDLE: "/?/", REPLACEMENT: "/" },
      "/foo/b/c.txt - /foo/c.txt",
      ["FOO", "NEEDLE", "REPLACEMENT"],
      [],
    ],
    ["${FOO//\\//\\/}", { FOO: "/tmp/foo.txt" }, "\\/tmp\\/foo.txt", ["FOO"], []],
    ["${FOO/$BAR/ww}", { FOO: "xxyy", BAR: "" }, "wwxxyy", ["FOO", "BAR"], []],
    ["${FOO//ww}", { FOO: "xxyy" }, "error", [], []],
    ["${FOO//}", { FOO: "xxyy" }, "error", [], []],
    ["${FOO///}", { FOO: "xxyy" }, "xxyy", ["FOO"], []],
    ["${FOO///}", {}, "", [], ["FOO"]],
  ];
  it.each(rows)("%s", (word, vars, expected, matched, unmatched) => {
    if (expected === "error") {
      const err = failure(word, vars);
      // Sets are returned with the error too; only compare where upstream does.
      if (unmatched.length) expect([...err.unmatched].sort()).toEqual([...unmatched].sort());
      return;
    }
    const got = lex.processWord(word, env(vars));
    expect(got.result).toBe(expected);
    expect([...got.matched].sort()).toEqual([...matched].sort());
    expect([...got.unmatched].sort()).toEqual([...unmatched].sort());
  });

  it("expands BuildKit's release file name with and without a variant", () => {
    const word = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
    const common = { VERSION: "v1.2.3", TARGETOS: "linux" };
    expect(expand(word, { ...common, TARGETARCH: "arm", TARGETVARIANT: "v7" })).toBe(
      "something-v1.2.3.linux-arm-v7.tar.gz",
    );
    expect(expand(word, { ...common, TARGETARCH: "arm64", TARGETVARIANT: "" })).toBe(
      "something-v1.2.3.linux-arm64.tar.gz",
    );
    expect(expand(word, { ...common, TARGETARCH: "arm64" })).toBe("something-v1.2.3.linux-arm64.tar.gz");
  });
});

describe("${VAR?msg} and ${VAR:?msg}", () => {
  it("uses the expanded message, and tells unset from empty", () => {
    const noEmpty = "${VAR:?message here$ARG}";
    const noUnset = "${VAR?message here$ARG}";
    expect(expand(noEmpty, { VAR: "plain", ARG: "x" })).toBe("plain");
    expect(failure(noEmpty, { VAR: "", ARG: "x" }).reason).toBe("VAR: message herex");
    expect(failure(noEmpty, { ARG: "x" }).reason).toBe("VAR: message herex");
    expect(expand(noUnset, { VAR: "plain", ARG: "x" })).toBe("plain");
    expect(expand(noUnset, { VAR: "", ARG: "x" })).toBe("");
    expect(failure(noUnset, { ARG: "x" }).reason).toBe("VAR: message herex");
    expect(failure("${V?}").reason).toBe("V: is not allowed to be unset");
    expect(failure("${V:?}").reason).toBe("V: is not allowed to be unset");
    expect(failure("${V:?}", { V: "" }).reason).toBe("V: is not allowed to be empty");
  });
});

describe("positional and special parameters", () => {
  it("are never set, so they expand to nothing and are reported unmatched", () => {
    const got = lex.processWord("a$1b${22}c$@d$*e$#f$?g$-h$$i$!j$0k", emptyEnv);
    expect(got.result).toBe("abcdefghijk");
    expect([...got.unmatched].sort()).toEqual(["!", "#", "$", "*", "-", "0", "1", "22", "?", "@"]);
    expect(expand("${1:-one}${0:+zero}")).toBe("one");
  });

  it("read all digits of a positional name but one special character", () => {
    expect(expand("$123abc")).toBe("abc");
    expect(expand("$@@@")).toBe("@@");
  });

  it("leave a $ without a name alone", () => {
    expect(expand("$ $. a$ $/")).toBe("$ $. a$ $/");
  });

  it("take Unicode letters and digits into names, as Go's unicode package does", () => {
    expect(expand("$안녕x", { 안녕x: "hi" })).toBe("hi");
    expect(expand("$é-", { é: "e" })).toBe("e-");
  });
});

describe("quotes and escapes", () => {
  const vars = { A: "1", S: "a  b" };
  const cases: [string, string][] = [
    [`'$A "x"'`, `$A "x"`],
    [`"$A 'x'"`, `1 'x'`],
    [`"\\$A \\" \\\\ \\t"`, `$A " \\ \\t`],
    [`\\$A \\' \\"`, `$A ' "`],
    [`a\\ b`, `a b`],
    [`trailing\\`, `trailing`],
    ['"${A:-"in"}"', "1"],
    [`''""x`, `x`],
  ];
  it.each(cases)("%s", (word, expected) => expect(expand(word, vars)).toBe(expected));

  it("split words on unquoted and unescaped whitespace only", () => {
    const e = env(vars);
    expect(lex.processWords(`a "b c" 'd e' f\\ g $S "$S"`, e)).toEqual(["a", "b c", "d e", "f g", "a", "b", "a  b"]);
    expect(lex.processWords(`  x\t\ny  `, e)).toEqual(["x", "y"]);
    expect(lex.processWords(`a "" b ''`, e)).toEqual(["a", "b"]);
    expect(lex.processWords(`x\u00a0y\u3000z\u0085w`, e)).toEqual(["x", "y", "z", "w"]);
    expect(lex.processWords(`x\ufeffy`, e)).toEqual(["x\ufeffy"]); // not a space for Go
  });

  it("keeps text before a nested ${X:-...} in the same field", () => {
    expect(lex.processWords("abc${X:-def}ghi jk", emptyEnv)).toEqual(["abcdefghi", "jk"]);
  });

  it("skips a byte-order mark at the start of the word, as Go's scanner does", () => {
    expect(expand("\ufeffabc\ufeff")).toBe("abc\ufeff");
  });

  it("keeps `<<` and the blanks after it in one field with the heredoc word", () => {
    expect(lex.processWords("cat <<  EOF > out", emptyEnv)).toEqual(["cat", "<<  EOF", ">", "out"]);
    expect(lex.processWords("a <\tb << \t\rc", emptyEnv)).toEqual(["a", "<", "b", "<< \t\rc"]);
    expect(expand("x<< y")).toBe("x<< y");
  });
});

describe("escape token", () => {
  const tick = new ShellLex("`");
  it("backtick escapes like backslash does by default, and backslash is plain", () => {
    expect(expand("a`$A `\" c:\\dir\\$A", { A: "1" }, tick)).toBe('a$A " c:\\dir\\1');
    expect(expand('"x`"y``z`$A\\t"', { A: "1" }, tick)).toBe('x"y`z$A\\t');
    expect(tick.processWords("a` b c", emptyEnv)).toEqual(["a b", "c"]);
  });

  it("leaves backslash as the pattern escape, whatever the token", () => {
    expect(expand("${A#\\*}", { A: "*x" }, tick)).toBe("x");
    expect(expand("${A#`*}", { A: "`yz" }, tick)).toBe("yz");
  });

  it("must be one character", () => {
    expect(() => new ShellLex("")).toThrow(TypeError);
    expect(() => new ShellLex("\\\\")).toThrow(TypeError);
    expect(new ShellLex("😀").escapeToken).toBe("😀");
  });
});

describe("errors", () => {
  const cases: [string, string][] = [
    ["'abc", "unexpected end of statement while looking for matching single-quote"],
    ['"abc\\"', "unexpected end of statement while looking for matching double-quote"],
    ["${}", "syntax error: bad substitution"],
    ["${:-x}", "syntax error: bad substitution"],
    ["${{a}", "syntax error: bad substitution"],
    ["x${", "syntax error: missing '}'"],
    ["${a:-x", "syntax error: missing '}'"],
    ['${a:-"x}', "syntax error: missing '}'"],
    ["${a/x", "syntax error: missing '/' in ${}"],
    ["${a/x/y", "syntax error: missing '}'"],
    ["${a", "unsupported modifier (\uFFFD) in substitution"],
    ["${a.}", "unsupported modifier (.) in substitution"],
    ["${a=x}", "unsupported modifier (=) in substitution"],
    ["${a:=x}", "unsupported modifier (:=) in substitution"],
    ["${a:#x}", "unsupported modifier (:#) in substitution"],
    ["${a:%x}", "unsupported modifier (:%) in substitution"],
    ["${a#\\x}", "invalid pattern (\\x) in substitution: invalid escape '\\x'"],
    ["${a%a\\x}", "invalid pattern (\\xa) in substitution: invalid escape '\\x'"], // reversed, like upstream
    ["${a//\\q/}", "invalid pattern (\\q) in substitution: invalid escape '\\q'"],
  ];
  it.each(cases)("%s", (word, reason) => {
    const err = failure(word, { a: "abc" });
    expect(err.reason).toBe(reason);
    expect(err.word).toBe(word);
    expect(err.message).toBe(`failed to process ${JSON.stringify(word)}: ${reason}`);
  });

  it("reports a pattern ending in a backslash the way Go prints it", () => {
    expect(failure("${a#$B}", { a: "x", B: "a\\" }).reason).toBe(
      "invalid pattern (a\\) in substitution: invalid escape '\\%!c(int=-1)'",
    );
  });

  it("quotes the word like Go's %q", () => {
    // The word is quoted; the reason is not (upstream formats it with %s).
    expect(failure('\t${\u0007\u00a0"x\\\n\x7f😀').message).toBe(
      'failed to process "\\t${\\a\\u00a0\\"x\\\\\\n\\x7f😀": unsupported modifier (\u0007) in substitution',
    );
  });

  it("is an Error carrying what was looked up before the failure", () => {
    const err = failure("$A${B}${C:?}$D", { A: "a" });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("ShellExpansionError");
    expect([...err.matched]).toEqual(["A"]);
    expect([...err.unmatched].sort()).toEqual(["B", "C"]);
  });

  it("lets a getter's own exceptions through unchanged", () => {
    const boom = new Error("boom");
    const bad: EnvGetter = {
      get: () => {
        throw boom;
      },
      keys: () => [],
    };
    expect(() => lex.processWord("$X", bad)).toThrow(boom);
  });
});

describe("matched and unmatched", () => {
  it("name each variable once, as written, and include nested lookups", () => {
    const got = lex.processWord("$A ${A} ${B:-$C} ${D#$A} '$E' \"$F\"", env({ A: "a", D: "ad" }));
    expect(got.result).toBe("a a  d $E ");
    expect([...got.matched].sort()).toEqual(["A", "D"]);
    expect([...got.unmatched].sort()).toEqual(["B", "C", "F"]);
  });

  it("are fresh for every call", () => {
    lex.processWord("$A", emptyEnv);
    expect(lex.processWord("x", emptyEnv).unmatched.size).toBe(0);
  });
});

describe("options", () => {
  const vars = { A: "1" };

  it("rawQuotes keeps quote characters but still processes their content", () => {
    const raw = new ShellLex("\\", { rawQuotes: true });
    expect(expand(`a"$A b"'$A'`, vars, raw)).toBe(`a"1 b"'$A'`);
    expect(raw.processWords(`x "y z" w`, env(vars))).toEqual(["x", '"y z"', "w"]);
  });

  it("rawEscapes keeps the escape token", () => {
    const raw = new ShellLex("\\", { rawEscapes: true });
    expect(expand(`a\\ b\\$A "\\$A"`, vars, raw)).toBe(`a\\ b\\$A \\$A`);
    expect(raw.processWords(`a\\ b c`, env(vars))).toEqual(["a\\ b", "c"]);
  });

  it("skipProcessQuotes treats quotes as plain text but still expands and unescapes", () => {
    const raw = new ShellLex("\\", { skipProcessQuotes: true });
    expect(expand(`echo "$A" '$A' \\$A "unterminated`, vars, raw)).toBe(`echo "1" '1' $A "unterminated`);
  });

  it("skipUnsetEnv writes unset references back (and reports them)", () => {
    const raw = new ShellLex("\\", { skipUnsetEnv: true });
    const got = raw.processWord("$X ${X} ${X:-d} ${X-d} ${X:+$A} ${X##*/} ${X//a/b} ${A:-d} ${X:?}", env(vars));
    expect(got.result).toBe("$X ${X} ${X:-d} ${X-d} ${X:+1} ${X##*/} ${X/a/b} 1 ${X:?}");
    expect([...got.unmatched]).toEqual(["X"]);
    expect(() => raw.processWord("${X:=y}", emptyEnv)).not.toThrow(); // unset wins over the bad modifier
  });

  it("withOptions derives a copy and leaves the original alone", () => {
    const tick = new ShellLex("`");
    const copy = tick.withOptions({ rawQuotes: true, skipUnsetEnv: true });
    expect(copy.escapeToken).toBe("`");
    expect([copy.rawQuotes, copy.skipUnsetEnv, copy.rawEscapes]).toEqual([true, true, false]);
    expect(tick.rawQuotes).toBe(false);
    expect(copy.withOptions({ rawQuotes: false }).skipUnsetEnv).toBe(true);
  });

  it("reproduce the parser's heredoc marker checks", () => {
    // heredocsFromLine: find the markers without losing anything.
    const finder = new ShellLex("\\", { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
    expect(finder.processWords(`RUN cat <<"EOF" <<-'x y' <<$E \\<<z`, emptyEnv)).toEqual([
      "RUN",
      "cat",
      '<<"EOF"',
      "<<-'x y'",
      "<<$E",
      "\\<<z",
    ]);
    // heredocFromMatch: a marker is quoted when the two readings differ in quotes.
    const plain = new ShellLex("\\", { skipUnsetEnv: true });
    const raw = plain.withOptions({ rawQuotes: true });
    const quotes = (s: string) => (s.match(/['"]/g) ?? []).length;
    const expands = (name: string) =>
      quotes(plain.processWords(name, emptyEnv)[0]!) === quotes(raw.processWords(name, emptyEnv)[0]!);
    expect(expands("eof")).toBe(true);
    expect(expands("eo\\'f")).toBe(true);
    expect(expands("eo'f'")).toBe(false);
    expect(expands("'e'o\\'f")).toBe(false);
    expect(plain.processWords("'e'o\\'f", emptyEnv)).toEqual(["eo'f"]);
  });
});

describe("environments", () => {
  it("are case-sensitive by default and case-insensitive on request (Windows)", () => {
    const linux = envFromList(["PWD=/home"]);
    const windows = envFromList(["PWD=/home"], { caseInsensitive: true });
    expect(lex.processWord("$pwd", linux).result).toBe("");
    const got = lex.processWord("$pwd${Pwd}", windows);
    expect(got.result).toBe("/home/home");
    expect([...got.matched].sort()).toEqual(["Pwd", "pwd"]);
    expect([...windows.keys()]).toEqual(["PWD"]);
  });

  it("envFromList: later entries win, a bare key is set to empty", () => {
    const e = envFromList(["A=1", "B", "A=2", "C=x=y"]);
    expect([e.get("A"), e.get("B"), e.get("C"), e.get("D")]).toEqual(["2", "", "x=y", undefined]);
    expect([...e.keys()]).toEqual(["A", "B", "C"]);
  });

  it("envFromMap accepts a Map, a record or pairs; a Map is itself a getter", () => {
    expect(envFromMap(new Map([["A", "1"]])).get("A")).toBe("1");
    expect(envFromMap({ A: "1" }).get("A")).toBe("1");
    expect(envFromMap([["A", "1"]]).get("A")).toBe("1");
    expect(lex.processWord("$A", new Map([["A", "m"]])).result).toBe("m");
  });

  it("normalise keys per rune like Go's strings.ToUpper", () => {
    expect(normalizeEnvKey("path_ß", true)).toBe("PATH_ß");
    expect(normalizeEnvKey("path", false)).toBe("path");
    expect(equalEnvKeys("Path", "PATH", true)).toBe(true);
    expect(equalEnvKeys("Path", "PATH")).toBe(false);
  });
});
