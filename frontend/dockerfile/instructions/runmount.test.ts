import { describe, expect, it } from "vitest";
import { parseGoDuration } from "./go-strconv.ts";
import { parseDevice, parseNetwork, parseSecurity } from "./runflags.ts";
import { csvFields, parseMount, ramInBytes } from "./runmount.ts";

const env: Record<string, string> = { DIR: "/cache", ID: "gomod", MODE: "0700" };
const expand = (w: string) => w.replace(/\$(\w+)/g, (_, k: string) => env[k] ?? "");

describe("parseMount (expanding pass)", () => {
  it("defaults to a read-only bind mount", () => {
    expect(parseMount("target=/src,source=.", expand)).toEqual({
      type: "bind",
      target: "/src",
      source: ".",
      readOnly: true,
      sizeLimit: 0,
      required: false,
    });
  });

  it("accepts aliases and bare booleans", () => {
    const m = parseMount("type=bind,src=a,dst=/b,rw", expand);
    expect([m.source, m.target, m.readOnly]).toEqual(["a", "/b", false]);
    expect(parseMount("type=bind,destination=/b,readwrite=true", expand).readOnly).toBe(false);
    expect(parseMount("type=bind,target=/b,ro=false", expand).readOnly).toBe(false);
    expect(parseMount("type=cache,target=/b,readonly", expand).readOnly).toBe(true);
  });

  it("parses cache mounts with id, sharing, mode, uid, gid", () => {
    const m = parseMount("type=cache,target=$DIR,id=$ID,sharing=LOCKED,mode=$MODE,uid=1000,gid=0", expand);
    expect(m).toEqual({
      type: "cache",
      target: "/cache",
      id: "gomod",
      sharing: "locked",
      mode: 0o700,
      uid: 1000,
      gid: 0,
      readOnly: false,
      sizeLimit: 0,
      required: false,
    });
  });

  it("parses tmpfs size, secrets and ssh", () => {
    expect(parseMount("type=tmpfs,target=/t,size=64m", expand)).toMatchObject({ type: "tmpfs", sizeLimit: 64 * 1024 * 1024, readOnly: false });
    expect(parseMount("type=secret,id=tok,env=TOKEN,required", expand)).toMatchObject({ type: "secret", id: "tok", env: "TOKEN", required: true, readOnly: true });
    expect(parseMount("type=ssh,required=false,mode=0600", expand)).toMatchObject({ type: "ssh", required: false, mode: 0o600 });
    expect(parseMount("type=secret,target=/run/x,env=", expand).env).toBe("");
  });

  it("applies the per-type rules", () => {
    const bad: [string, string][] = [
      ["type=bogus", 'unsupported mount type "bogus"'],
      ["type=cahce", 'unsupported mount type "cahce" (did you mean cache?)'],
      ["type=cache,sharing=all", 'unsupported sharing value "all"'],
      ["type=bind,sharing=shared", "invalid cache sharing set for bind mount"],
      ["type=bind,mode=0644", 'mode not allowed for "bind" type mounts'],
      ["type=tmpfs,uid=1", 'uid not allowed for "tmpfs" type mounts'],
      ["gid=1", 'gid not allowed for "bind" type mounts'],
      ["type=cache,required", "unexpected key 'required' for mount type 'cache'"],
      ["type=bind,size=1m", "unexpected key 'size' for mount type 'bind'"],
      ["type=tmpfs,size=lots", "invalid value for size: lots"],
      ["type=tmpfs,size=99999999999999999999999", "invalid value for size: 99999999999999999999999"],
      ["type=cache,mode=999", "invalid value 999 for mode"],
      ["type=cache,uid=-1", "invalid value -1 for uid"],
      ["type=bind,ro=maybe", "invalid value for ro: maybe"],
      ["type=secret", "invalid secret mount. one of source, target required"],
      ["type=secret,id=a,source=b", "both source and id can't be set"],
      ["type=secret,id=a,from=x", "secret mount should not have a from"],
      ["type=secret,id=a,sharing=shared", "secret mount should not define sharing"],
      ["target=/x,foo", "invalid field 'foo' must be a key=value pair"],
      ["target=/x,tagret=/y", "unexpected key 'tagret' in 'tagret=/y' (did you mean target?)"],
    ];
    for (const [raw, msg] of bad) expect(() => parseMount(raw, expand), raw).toThrow(msg);
  });

  it("type must come before type-specific keys (as upstream)", () => {
    expect(() => parseMount("required,type=secret,id=x", expand)).toThrow("unexpected key 'required' for mount type 'bind'");
  });
});

describe("parseMount (first pass, no expander)", () => {
  it("only checks syntax and from=", () => {
    expect(parseMount("type=$T,target=$DIR,bogus=1,foo")).toEqual({ type: "bind", readOnly: true, sizeLimit: 0, required: false });
    expect(parseMount("from=stage$").from).toBe("stage$");
    expect(() => parseMount("from=$STAGE")).toThrow("'from' doesn't support variable expansion, define alias stage instead");
    expect(() => parseMount("")).toThrow("failed to parse csv mounts: EOF");
  });
});

describe("csvFields", () => {
  it("follows encoding/csv quoting", () => {
    expect(csvFields('a,"b,c",d')).toEqual(["a", "b,c", "d"]);
    expect(csvFields('"say ""hi""",x')).toEqual(['say "hi"', "x"]);
    expect(csvFields("a,,b,")).toEqual(["a", "", "b", ""]);
    expect(csvFields("a\n")).toEqual(["a"]);
    expect(() => csvFields('a"b')).toThrow('parse error on line 1, column 2: bare " in non-quoted-field');
    expect(() => csvFields('"a"b')).toThrow('parse error on line 1, column 3: extraneous or missing " in quoted-field');
  });
});

describe("sizes and durations", () => {
  it("ramInBytes", () => {
    expect(ramInBytes("512")).toBe(512);
    expect(ramInBytes("1k")).toBe(1024);
    expect(ramInBytes("1.5GiB")).toBe(1.5 * 1024 ** 3);
    expect(ramInBytes("2 mb")).toBe(2 * 1024 ** 2);
    expect(() => ramInBytes("1x")).toThrow("invalid size: '1x'");
    // Found by the mutation test (test/mutants): sizes beyond int64 cannot be encoded in the LLB.
    expect(ramInBytes("8191p")).toBe(8191 * 1024 ** 5);
    expect(() => ramInBytes("8192p")).toThrow("too large");
    expect(() => ramInBytes("99999999999999999999999")).toThrow("too large");
  });

  it("parseGoDuration", () => {
    expect(parseGoDuration("1h2m3.5s")).toBe(3723.5e9);
    expect(parseGoDuration("300ms")).toBe(3e8);
    expect(parseGoDuration("1.5µs")).toBe(1500);
    expect(parseGoDuration("-2s")).toBe(-2e9);
    expect(parseGoDuration("0")).toBe(0);
    expect(() => parseGoDuration("")).toThrow('time: invalid duration ""');
    expect(() => parseGoDuration("5")).toThrow('time: missing unit in duration "5"');
    expect(() => parseGoDuration("5y")).toThrow('time: unknown unit "y" in duration "5y"');
    expect(() => parseGoDuration(".s")).toThrow('time: invalid duration ".s"');
  });
});

describe("network, security, device", () => {
  it("validates values", () => {
    expect(parseNetwork("host")).toBe("host");
    expect(() => parseNetwork("bridge")).toThrow('invalid network mode "bridge"');
    expect(parseSecurity("insecure")).toBe("insecure");
    expect(() => parseSecurity("x")).toThrow('security "x" is not valid');
  });

  it("parses devices", () => {
    expect(parseDevice("vendor.com/gpu=all")).toEqual({ name: "vendor.com/gpu=all", required: false });
    expect(parseDevice("name=/dev/fuse,required=true")).toEqual({ name: "/dev/fuse", required: true });
    expect(parseDevice("/dev/kvm,required")).toEqual({ name: "/dev/kvm", required: true });
    expect(() => parseDevice("a,b")).toThrow("invalid field 'b' must be a key=value pair");
    expect(() => parseDevice("a,name=b")).toThrow("device name already set to a");
  });
});
