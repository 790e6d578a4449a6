import { describe, expect, it } from "vitest";
import { fromBinary } from "@bufbuild/protobuf";
import { OpSchema, type Op } from "./proto.ts";
import { copy, digestOf, file, image, local, marshal, merge, mkdir, run, State, NetworkMode, EnvList, normalizePath } from "./index.ts";
import { parsePlatform } from "./platform.ts";

const amd64 = { os: "linux", architecture: "amd64" };

function ops(def: ReturnType<typeof marshal>["definition"]): Op[] {
  return def.def.map((b) => fromBinary(OpSchema, b));
}

describe("marshal", () => {
  it("gives an empty definition for scratch", () => {
    expect(marshal(State.scratch()).definition.def).toHaveLength(0);
  });

  it("is byte-identical for identical graphs built twice", () => {
    const build = () => {
      const base = image("docker.io/library/busybox:latest", { platform: amd64 }).addEnv("B", "2").addEnv("A", "1");
      const ctx = local("context", { sessionId: "s", excludePatterns: ["x"], sharedKeyHint: "context" });
      const withFile = file(base, [copy(ctx, "a", "/dst/", { createDestPath: true })], { customName: "copy" });
      return run(withFile, { args: ["sh", "-c", "true"], constraints: { customName: "run" } }).root();
    };
    const a = marshal(build()).definition;
    const b = marshal(build()).definition;
    expect(a.def.map((x) => Buffer.from(x).toString("hex"))).toEqual(b.def.map((x) => Buffer.from(x).toString("hex")));
    expect(Object.keys(a.metadata)).toEqual(Object.keys(b.metadata));
  });

  it("ends with a terminal op pointing at the head, and digests are sha256 of op bytes", () => {
    const st = image("docker.io/library/alpine:3", { platform: amd64 });
    const { definition, head } = marshal(st);
    const all = ops(definition);
    expect(all).toHaveLength(2);
    const terminal = all[1]!;
    expect(terminal.op.case).toBeUndefined();
    expect(terminal.inputs[0]!.digest).toBe(head);
    expect(digestOf(definition.def[0]!)).toBe(head);
    expect(Object.keys(definition.metadata)).toContain(digestOf(definition.def[1]!));
  });

  it("emits each shared vertex once and inputs before users", () => {
    const base = image("docker.io/library/busybox:latest", { platform: amd64 });
    const a = run(base, { args: ["a"] }).root();
    const b = run(base, { args: ["b"] }).root();
    const { definition } = marshal(merge([a, b]));
    const seen = new Set<string>();
    for (const bytes of definition.def) {
      const op = fromBinary(OpSchema, bytes);
      for (const i of op.inputs) expect(seen.has(i.digest)).toBe(true);
      seen.add(digestOf(bytes));
    }
    expect(definition.def).toHaveLength(5); // image, 2 execs, merge, terminal
  });

  it("merges the metadata of vertices that marshal to one op, the later one winning its name (as BuildKit's Go client)", () => {
    const first = image("docker.io/library/busybox:latest", { platform: amd64, constraints: { customName: "[b 1/2] FROM busybox", ignoreCache: true } });
    const second = image("docker.io/library/busybox:latest", { platform: amd64, constraints: { customName: "[a 1/2] FROM busybox" } });
    // The copy's destination (first) is marshalled before its source (second).
    const { definition } = marshal(file(first, [copy(second, "/x", "/x")]));
    const imageDigest = digestOf(definition.def[0]!);
    const md = definition.metadata[imageDigest]!;
    expect(md.description["llb.customname"]).toBe("[a 1/2] FROM busybox");
    expect(md.ignoreCache).toBe(true);
    expect(definition.def).toHaveLength(3); // one image op, the file op, terminal
  });

  it("records source locations under the op digest", () => {
    const sourceMap = { filename: "Dockerfile", language: "Dockerfile", data: new TextEncoder().encode("FROM x\nRUN y\n") };
    const st = run(image("docker.io/library/x:latest", { platform: amd64 }), {
      args: ["y"],
      constraints: { locations: [{ sourceMap, ranges: [{ start: 2, end: 2 }] }] },
    }).root();
    const { definition, head } = marshal(st);
    expect(definition.Source?.infos).toHaveLength(1);
    expect(definition.Source?.locations[head!]?.locations[0]?.ranges[0]?.start?.line).toBe(2);
  });

  it("marshals a 10,000-deep chain without overflowing the stack", () => {
    let st = image("docker.io/library/busybox:latest", { platform: amd64 });
    for (let i = 0; i < 10_000; i++) st = file(st, [mkdir(`/d${i}`, 0o755)]);
    expect(marshal(st).definition.def).toHaveLength(10_002);
  });
});

describe("sources", () => {
  it("sorts attrs and writes JSON lists", () => {
    const st = local("context", { sessionId: "sess", followPaths: ["b", "a"], excludePatterns: ["*.md"], sharedKeyHint: "context", differ: "none" });
    const op = ops(marshal(st).definition)[0]!;
    if (op.op.case !== "source") throw new Error("not a source");
    expect(Object.keys(op.op.value.attrs)).toEqual(["local.differ", "local.excludepatterns", "local.followpaths", "local.session", "local.sharedkeyhint"]);
    expect(op.op.value.attrs["local.followpaths"]).toBe('["b","a"]');
    expect(op.platform).toBeUndefined();
  });

  it("gives image sources a normalized platform", () => {
    const op = ops(marshal(image("docker.io/library/x:latest", { platform: { os: "linux", architecture: "aarch64" } })).definition)[0]!;
    expect(op.platform?.Architecture).toBe("arm64");
    expect(op.op.case === "source" && op.op.value.identifier).toBe("docker-image://docker.io/library/x:latest");
  });
});

describe("exec", () => {
  it("sorts mounts by target and numbers outputs like BuildKit", () => {
    const base = image("docker.io/library/busybox:latest", { platform: amd64 }).withDir("/work").withUser("app").withNetwork(NetworkMode.None);
    const ctx = local("context", { sessionId: "s" });
    const res = run(base, {
      args: ["sh", "-c", "make"],
      mounts: [
        { kind: "cache", target: "/root/.cache", id: "/root/.cache", sharing: "shared" },
        { kind: "bind", target: "/src", source: ctx, readonly: true },
        { kind: "bind", target: "/out", source: State.scratch() },
        { kind: "tmpfs", target: "/tmp", size: 1024n },
      ],
      secrets: [{ id: "tok", target: "/run/secrets/tok" }],
    });
    const all = ops(marshal(res.root()).definition);
    const exec = all.find((o) => o.op.case === "exec")!;
    if (exec.op.case !== "exec") throw new Error();
    const m = exec.op.value.mounts;
    expect(m.map((x) => x.dest)).toEqual(["/", "/out", "/root/.cache", "/src", "/tmp", "/run/secrets/tok"]);
    expect(m.map((x) => x.output)).toEqual([0n, 1n, -1n, -1n, -1n, -1n]);
    expect(m.map((x) => x.input)).toEqual([0n, -1n, -1n, 1n, -1n, -1n]);
    expect(exec.op.value.meta?.cwd).toBe("/work");
    expect(exec.op.value.meta?.user).toBe("app");
    expect(exec.op.value.meta?.removeMountStubsRecursive).toBe(true);
    expect(exec.op.value.network).toBe(2);
    expect(exec.platform?.OS).toBe("linux");
    expect(res.mount("/out", State.scratch()).output?.index).toBe(1);
  });
});

describe("file ops", () => {
  it("chains actions and numbers inputs like the Go client", () => {
    const base = image("docker.io/library/busybox:latest", { platform: amd64 }).withDir("/app");
    const ctx = local("context", { sessionId: "s" });
    const st = file(base, [copy(ctx, "a.txt", "./", { owner: { user: { name: "app" } } }), copy(ctx, "dir/", "sub/")]);
    const fileOp = ops(marshal(st).definition).find((o) => o.op.case === "file")!;
    if (fileOp.op.case !== "file") throw new Error();
    const [a1, a2] = fileOp.op.value.actions;
    expect([a1!.input, a1!.secondaryInput, a1!.output]).toEqual([0n, 1n, -1n]);
    expect([a2!.input, a2!.secondaryInput, a2!.output]).toEqual([2n, 1n, 0n]);
    if (a1!.action.case !== "copy" || a2!.action.case !== "copy") throw new Error();
    expect(a1!.action.value.dest).toBe("/app/");
    expect(a1!.action.value.src).toBe("/a.txt");
    expect(a1!.action.value.mode).toBe(-1);
    expect(a1!.action.value.owner?.user?.user).toEqual({ case: "byName", value: expect.objectContaining({ name: "app", input: 0n }) });
    expect(a2!.action.value.src).toBe("/dir");
    expect(fileOp.platform).toBeUndefined();
  });
});

describe("merge", () => {
  it("drops scratch and skips the op for a single layer", () => {
    const a = image("docker.io/library/a:latest", { platform: amd64 });
    expect(merge([State.scratch(), a])).toBe(a);
    expect(merge([State.scratch()]).isScratch).toBe(true);
  });
});

describe("EnvList", () => {
  it("moves a replaced key to the end, like BuildKit's Go client", () => {
    const env = EnvList.empty().set("A", "1").set("B", "2").set("A", "3");
    expect(env.toStrings()).toEqual(["B=2", "A=3"]);
    expect(env.setDefault("B", "x").get("B")).toBe("2");
  });
});

describe("normalizePath", () => {
  it.each([
    ["/app", "x", false, "/app/x"],
    ["/app", "x/", true, "/app/x/"],
    ["/app", ".", true, "/app"],
    ["/app", "./", true, "/app/"],
    ["/", "/a/../b/.", true, "/b/."],
    ["/", "a//b", false, "/a/b"],
  ])("(%s, %s, keep=%s) = %s", (parent, p, keep, want) => {
    expect(normalizePath(parent, p, keep)).toBe(want);
  });
});

describe("EnvList.setAll", () => {
  it("equals repeated set, including repeated keys in the batch", () => {
    const base = EnvList.empty().set("A", "1").set("B", "2").set("C", "3");
    const pairs: [string, string][] = [["B", "x"], ["D", "4"], ["A", "y"], ["B", "z"]];
    let one = base;
    for (const [k, v] of pairs) one = one.set(k, v);
    expect(base.setAll(pairs).toStrings()).toEqual(one.toStrings());
  });
});

describe("parsePlatform", () => {
  it("parses os, arch, variant and os options as containerd does", () => {
    expect(parsePlatform("linux/arm64/v8")).toEqual({ os: "linux", architecture: "arm64" });
    expect(parsePlatform("windows(10.0.17763+win32k)/amd64")).toEqual({ os: "windows", architecture: "amd64", osVersion: "10.0.17763", osFeatures: ["win32k"] });
  });

  it("rejects bad specifiers with containerd's messages", () => {
    expect(() => parsePlatform("not/a/valid/platform")).toThrow('"not/a/valid/platform": cannot parse platform specifier: invalid argument');
    expect(() => parsePlatform("linux/*")).toThrow('"linux/*": wildcards not yet supported: invalid argument');
    expect(() => parsePlatform("linux/am d64")).toThrow('"am d64" is an invalid component of "linux/am d64": platform specifier component must match "^[A-Za-z0-9_.-]+$": invalid argument');
    expect(() => parsePlatform("lin.ux/amd64")).toThrow('"lin.ux" is an invalid OS component of "lin.ux/amd64"');
  });
});
