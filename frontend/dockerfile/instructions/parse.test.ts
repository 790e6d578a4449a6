import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../parser/index.ts";
import { InstructionError } from "./errors.ts";
import { parseCommand, parseInstructions } from "./parse.ts";
import type { Instruction } from "./types.ts";

function parse(text: string, extraRunFlags?: string[]) {
  return parseInstructions(parseDockerfile(text), { extraRunFlags });
}

/** The commands of the single stage of `FROM a\n<body>`. */
function commands(body: string, extraRunFlags?: string[]): Instruction[] {
  return parse(`FROM a\n${body}\n`, extraRunFlags).stages[0]!.commands;
}

function one<K extends Instruction["kind"]>(body: string, kind: K, extraRunFlags?: string[]): Extract<Instruction, { kind: K }> {
  const c = commands(body, extraRunFlags)[0]!;
  expect(c.kind).toBe(kind);
  return c as Extract<Instruction, { kind: K }>;
}

function error(text: string): InstructionError {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InstructionError);
    return e as InstructionError;
  }
  throw new Error("expected an InstructionError");
}

describe("stages", () => {
  it("splits meta args and stages", () => {
    const r = parse("ARG V=1\nARG W\nFROM --platform=$BUILDPLATFORM img:$V AS Build\nRUN x\nFROM build\nUSER u\n");
    expect(r.metaArgs.map((a) => a.args)).toEqual([[{ key: "V", value: "1", comment: "" }], [{ key: "W", comment: "" }]]);
    expect(r.stages.map((s) => [s.name, s.originalName, s.index, s.baseName, s.platform])).toEqual([
      ["build", "Build", 0, "img:$V", "$BUILDPLATFORM"],
      [undefined, undefined, 1, "build", undefined],
    ]);
    expect(r.stages[0]!.from.node.startLine).toBe(3);
    expect(r.stages[0]!.commands.map((c) => c.kind)).toEqual(["run"]);
    expect(r.stages[1]!.commands.map((c) => c.kind)).toEqual(["user"]);
  });

  it("reads descriptions from comments (upstream TestCommentsDetection)", () => {
    const r = parse(
      "# foo sets foo\nARG foo=bar\n\n# base defines first stage\nFROM busybox AS base\n# this is irrelevant\nARG foo\n" +
        "# bar defines bar\n# baz is something else\nARG bar baz=123\n",
    );
    expect(r.stages[0]!.comment).toBe("defines first stage");
    expect(r.metaArgs[0]!.args[0]).toEqual({ key: "foo", value: "bar", comment: "sets foo" });
    const [a1, a2] = r.stages[0]!.commands as Extract<Instruction, { kind: "arg" }>[];
    expect(a1!.args).toEqual([{ key: "foo", comment: "" }]);
    expect(a2!.args).toEqual([
      { key: "bar", comment: "defines bar" },
      { key: "baz", value: "123", comment: "is something else" },
    ]);
  });

  it("rejects instructions before FROM other than ARG", () => {
    const e = error("ARG a\nRUN x\nFROM b\n");
    expect(e.message).toBe("no build stage in current context");
    expect([e.startLine, e.endLine]).toEqual([2, 2]);
  });

  it("validates FROM arguments and stage names", () => {
    expect(error("FROM a AS\n").message).toBe("dockerfile parse error on line 1: FROM requires either one or three arguments");
    expect(error("FROM a b c\n").detail).toBe("FROM requires either one or three arguments");
    expect(error("FROM\n").detail).toBe("FROM requires either one or three arguments");
    expect(error("FROM a AS 1x\n").detail).toBe(
      'invalid name for build stage: "1x", name can\'t start with a number or contain symbols',
    );
    expect(error("FROM a AS b/c\n").detail).toContain("invalid name for build stage");
    // Allowed, as upstream (the later stage wins; the DuplicateStageName check warns).
    expect(parseInstructions(parseDockerfile("FROM a AS x\nFROM b AS X\n")).stages.map((s) => s.name)).toEqual(["x", "x"]);
    expect(error("FROM --foo=1 a\n").detail).toBe("unknown flag: --foo");
  });
});

describe("errors", () => {
  it("requires exactly one argument", () => {
    for (const cmd of ["MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL"]) {
      expect(error(`FROM a\n${cmd}\n`).detail).toBe(`${cmd} requires exactly one argument`);
    }
  });

  it("requires at least one argument", () => {
    for (const cmd of ["ENV", "LABEL", "ONBUILD", "HEALTHCHECK", "EXPOSE", "VOLUME", "ARG", "SHELL"]) {
      expect(error(`FROM a\n${cmd}\n`).detail).toBe(`${cmd} requires at least one argument`);
    }
  });

  it("requires a destination", () => {
    for (const cmd of ["ADD", "COPY"]) {
      expect(error(`FROM a\n${cmd} x\n`).detail).toBe(
        `${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`,
      );
    }
  });

  it("reports unknown instructions with their casing and a suggestion", () => {
    const e = error("FROM a\n\nFOO bar\n");
    // upstream appends the closest instruction name within edit distance 2
    expect(e.message).toBe("dockerfile parse error on line 3: unknown instruction: FOO (did you mean FROM?)");
    expect([e.startLine, e.endLine]).toEqual([3, 3]);
    expect(error("FROM a\nfoo bar\n").detail).toBe("unknown instruction: foo (did you mean from?)");
    expect(error("FROM a\nFOOBAR x\n").detail).toBe("unknown instruction: FOOBAR");
    expect(error("FROM a\nRUNN x\n").detail).toBe("unknown instruction: RUNN (did you mean RUN?)");
    expect(error("FROM a\ncopyy x y\n").detail).toBe("unknown instruction: copyy (did you mean copy?)");
  });

  it("reports unknown and malformed flags", () => {
    expect(error("FROM a\nMAINTAINER --boo joe@example.com\n").detail).toBe("unknown flag: --boo");
    expect(error("FROM a\nRUN --moutn=type=cache,target=/x y\n").detail).toBe("unknown flag: --moutn (did you mean mount?)");
    expect(error("FROM a\nCOPY --from x y\n").detail).toBe("missing a value on flag: --from");
    expect(error("FROM a\nCOPY --link=maybe x y\n").detail).toBe("expecting boolean value for flag --link, not: maybe");
    expect(error("FROM a\nCOPY --link= x y\n").detail).toBe("missing a value on flag: --link");
    expect(error("FROM a\nCOPY --from=a --from=b x y\n").detail).toBe("duplicate flag specified: --from");
  });

  it("carries the lines of multi-line instructions", () => {
    const e = error("FROM a\nRUN --network=bogus \\\n  echo \\\n  hi\n");
    expect(e.detail).toBe('invalid network mode "bogus"');
    expect([e.startLine, e.endLine]).toEqual([2, 4]);
    expect(e.node?.keyword).toBe("run");
  });

  it("rejects bad ONBUILD triggers", () => {
    expect(error("FROM a\nONBUILD FROM scratch\n").detail).toBe("FROM isn't allowed as an ONBUILD trigger");
    expect(error("FROM a\nONBUILD maintainer x\n").detail).toBe("MAINTAINER isn't allowed as an ONBUILD trigger");
    expect(error("FROM a\nONBUILD ONBUILD RUN touch foobar\n").detail).toBe(
      "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
    );
  });
});

describe("RUN", () => {
  it("shell and exec form", () => {
    const s = one("RUN echo $HOME  && true", "run");
    expect(s.cmd).toEqual({ form: "shell", command: "echo $HOME  && true" });
    expect(s.cmdLine).toEqual(["echo $HOME  && true"]);
    expect(s.prependShell).toBe(true);
    const e = one('RUN ["echo", "$HOME"]', "run");
    expect(e.cmd).toEqual({ form: "exec", args: ["echo", "$HOME"] });
    expect(e.prependShell).toBe(false);
  });

  it("keeps mounts raw, validates their syntax early", () => {
    const r = one("RUN --mount=type=cache,target=$DIR --mount=type=secret,id=x,required make", "run");
    expect(r.mounts).toEqual(["type=cache,target=$DIR", "type=secret,id=x,required"]);
    expect(r.flagsUsed).toEqual(["mount"]);
    expect(error('FROM a\nRUN --mount=from=$X,target=/x y\n').detail).toBe(
      "'from' doesn't support variable expansion, define alias stage instead",
    );
    expect(error(`FROM a\nRUN --mount='type=a,"x' y\n`).detail).toBe(
      'failed to parse csv mounts: parse error on line 1, column 9: extraneous or missing " in quoted-field',
    );
  });

  it("network, security and devices", () => {
    const r = one("RUN --network=none --security=insecure --device=vendor.com/gpu=all,required x", "run");
    expect([r.network, r.security, r.devices]).toEqual(["none", "insecure", ["vendor.com/gpu=all,required"]]);
    const d = one("RUN x", "run");
    expect([d.network, d.security, d.devices, d.mounts]).toEqual(["default", "sandbox", [], []]);
    expect(error("FROM a\nRUN --security=root x\n").detail).toBe('security "root" is not valid');
  });

  it("accepts extension flags when asked to", () => {
    const r = one("RUN --cache-ttl=24h --mount=type=cache,target=/c make", "run", ["cache-ttl"]);
    expect(r.extensionFlags).toEqual(new Map([["cache-ttl", "24h"]]));
    expect(r.flagsUsed).toEqual(["mount", "cache-ttl"]);
    expect(one("RUN make", "run", ["cache-ttl"]).extensionFlags.size).toBe(0);
    expect(error("FROM a\nRUN --cache-ttl=1h x\n").detail).toBe("unknown flag: --cache-ttl");
  });

  it("heredocs become files", () => {
    const r = one("RUN <<-EOF bash\n\techo $X\n\tEOF", "run");
    expect(r.cmd).toEqual({ form: "shell", command: "<<-EOF bash" });
    expect(r.files).toEqual([{ name: "EOF", data: "\techo $X\n", chomp: true, expand: true }]);
  });
});

describe("COPY and ADD", () => {
  it("COPY flags and sources", () => {
    const c = one(
      "COPY --from=build --chown=1:2 --chmod=755 --link --parents --exclude=*.md --exclude=.git a b/ /dst/",
      "copy",
    );
    expect(c).toMatchObject({
      from: "build",
      chown: "1:2",
      chmod: "755",
      link: true,
      parents: true,
      exclude: ["*.md", ".git"],
      sourcePaths: ["a", "b/"],
      sourceContents: [],
      dest: "/dst/",
    });
    const plain = one("COPY a b", "copy");
    expect([plain.from, plain.chown, plain.chmod, plain.link, plain.parents]).toEqual([undefined, undefined, undefined, false, false]);
    expect(one("COPY --link=false a b", "copy").link).toBe(false);
  });

  it("COPY heredoc sources, in order, chomped", () => {
    const c = one("COPY a <<-X <<'Y' /dst/\n\tx $V\n\tX\ny $V\nY", "copy");
    expect(c.sources).toEqual([
      { kind: "path", path: "a" },
      { kind: "heredoc", path: "X", data: "x $V\n", expand: true },
      { kind: "heredoc", path: "Y", data: "y $V\n", expand: false },
    ]);
    expect(c.sourceContents.map((s) => s.path)).toEqual(["X", "Y"]);
    expect(error("FROM a\nCOPY a <<EOF\nx\nEOF\n").detail).toBe("COPY cannot accept a heredoc as a destination");
  });

  it("JSON form", () => {
    const c = one('COPY ["a b", "c"]', "copy");
    expect([c.sourcePaths, c.dest]).toEqual([["a b"], "c"]);
  });

  it("ADD flags", () => {
    const a = one("ADD --checksum=sha256:abc --keep-git-dir --unpack=false --chown=u https://x/y.tgz /", "add");
    expect(a).toMatchObject({ checksum: "sha256:abc", keepGitDir: true, unpack: false, chown: "u", link: false });
    const b = one("ADD x /", "add");
    expect([b.keepGitDir, b.unpack, b.checksum]).toEqual([undefined, undefined, undefined]);
    expect(error("FROM a\nADD --from=x a b\n").detail).toBe("unknown flag: --from");
    expect(error("FROM a\nCOPY --checksum=x a b\n").detail).toBe("unknown flag: --checksum");
  });
});

describe("other instructions", () => {
  it("ENV and LABEL", () => {
    const e = one('ENV A=1 B="x y"', "env");
    expect(e.pairs).toEqual([
      { key: "A", value: "1", noDelim: false },
      { key: "B", value: '"x y"', noDelim: false },
    ]);
    expect(e.legacy).toBe(false);
    const l = one("ENV PATH /a b", "env");
    expect(l.pairs).toEqual([{ key: "PATH", value: "/a b", noDelim: true }]);
    expect(l.legacy).toBe(true);
    expect(one("LABEL a=b c=d", "label").pairs.map((p) => p.key)).toEqual(["a", "c"]);
    expect(error("FROM a\nENV =x\n").detail).toBe("ENV names can not be blank");
    expect(error("FROM a\nARG =x\n").detail).toBe("ARG names can not be blank");
  });

  it("CMD, ENTRYPOINT and SHELL", () => {
    expect(one("CMD echo hi", "cmd").cmd).toEqual({ form: "shell", command: "echo hi" });
    expect(one('ENTRYPOINT ["/bin/app", "-x"]', "entrypoint").cmd).toEqual({ form: "exec", args: ["/bin/app", "-x"] });
    expect(one("ENTRYPOINT []", "entrypoint").cmd).toEqual({ form: "exec", args: [] });
    expect(one('SHELL ["bash", "-c"]', "shell").shell).toEqual(["bash", "-c"]);
    expect(error("FROM a\nSHELL bash -c\n").detail).toBe("SHELL requires the arguments to be in JSON form");
  });

  it("HEALTHCHECK", () => {
    expect(one("HEALTHCHECK NONE", "healthcheck").health.test).toEqual(["NONE"]);
    const h = one("HEALTHCHECK --interval=5s --timeout=1m30s --start-period=0s --start-interval=500ms --retries=3 CMD curl -f x", "healthcheck");
    expect(h.health).toEqual({
      test: ["CMD-SHELL", "curl -f x"],
      interval: 5e9,
      timeout: 90e9,
      startPeriod: 0,
      startInterval: 5e8,
      retries: 3,
    });
    expect(one('HEALTHCHECK CMD ["a", "b"]', "healthcheck").health.test).toEqual(["CMD", "a", "b"]);
    expect(error("FROM a\nHEALTHCHECK NONE x\n").detail).toBe("HEALTHCHECK NONE takes no arguments");
    expect(error("FROM a\nHEALTHCHECK CMD\n").detail).toBe("Missing command after HEALTHCHECK CMD");
    expect(error("FROM a\nHEALTHCHECK CONNECT x\n").detail).toBe('Unknown type "CONNECT" in HEALTHCHECK (try CMD)');
    expect(error("FROM a\nHEALTHCHECK --interval=50ns CMD x\n").detail).toBe('Interval "interval" cannot be less than 1ms');
    expect(error("FROM a\nHEALTHCHECK --interval=5 CMD x\n").detail).toBe('time: missing unit in duration "5"');
    expect(error("FROM a\nHEALTHCHECK --retries=-1 CMD x\n").detail).toBe("--retries cannot be negative (-1)");
    expect(error("FROM a\nHEALTHCHECK --retries=x CMD x\n").detail).toBe('strconv.ParseInt: parsing "x": invalid syntax');
  });

  it("EXPOSE, VOLUME, USER, WORKDIR, STOPSIGNAL, MAINTAINER", () => {
    expect(one("EXPOSE 8080/udp 80 $PORT", "expose").ports).toEqual(["$PORT", "80", "8080/udp"]);
    expect(one('VOLUME ["/a", "/b"]', "volume").volumes).toEqual(["/a", "/b"]);
    expect(one("VOLUME /a /b", "volume").volumes).toEqual(["/a", "/b"]);
    expect(error('FROM a\nVOLUME [" "]\n').detail).toBe("VOLUME specified can not be an empty string");
    expect(one("USER app:app", "user").user).toBe("app:app");
    expect(one("WORKDIR /src/$X", "workdir").path).toBe("/src/$X");
    expect(one("STOPSIGNAL SIGKILL", "stopsignal").signal).toBe("SIGKILL");
    expect(one("MAINTAINER me <m@x>", "maintainer").maintainer).toBe("me <m@x>");
  });

  it("ONBUILD keeps the trigger and its expression", () => {
    const o = one("ONBUILD RUN echo hi", "onbuild");
    expect(o.expression).toBe("RUN echo hi");
    expect(o.trigger.keyword).toBe("run");
    const h = one("onbuild COPY <<EOF /x\nhello\nEOF", "onbuild");
    expect(h.expression).toBe("COPY <<EOF /x\nhello\nEOF");
    // An image's stored trigger is parsed back with parseCommand.
    const back = parseCommand(parseDockerfile(h.expression).nodes[0]!);
    expect(back.kind).toBe("copy");
    expect(back.kind === "copy" && back.sourceContents).toEqual([{ path: "EOF", data: "hello\n", expand: true }]);
    expect(() => parseCommand(parseDockerfile("FROM x").nodes[0]!)).toThrow(InstructionError);
  });
});
