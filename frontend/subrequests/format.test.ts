import { describe, expect, it } from "vitest";
import { goBase64, goJson, goQuote, location, table } from "./format.ts";

describe("goJson", () => {
  it("escapes like Go's encoding/json (HTML-safe, \\u00XX for other controls)", () => {
    expect(goQuote("the <registry> & mirror")).toBe('"the \\u003cregistry\\u003e \\u0026 mirror"');
    expect(goQuote('a"b\\c\n\r\t')).toBe('"a\\"b\\\\c\\n\\r\\t"');
    expect(goQuote("\b\f\u0001\u2028\u2029é😀")).toBe('"\\u0008\\u000c\\u0001\\u2028\\u2029é😀"');
  });

  it("indents like MarshalIndent(v, \"\", \"  \") and leaves out undefined members", () => {
    expect(goJson({ a: [1, { b: true, c: undefined }], d: [], e: {}, f: null })).toBe(
      '{\n  "a": [\n    1,\n    {\n      "b": true\n    }\n  ],\n  "d": [],\n  "e": {},\n  "f": null\n}',
    );
    expect(goJson([])).toBe("[]");
  });

  it("writes byte slices as standard base64 and locations as pb.Location", () => {
    expect(goBase64(new TextEncoder().encode("FROM a\n"))).toBe("RlJPTSBhCg==");
    expect(location([{ start: 3, end: 4 }])).toEqual({ ranges: [{ start: { line: 3 }, end: { line: 4 } }] });
    expect(location([])).toBeUndefined();
  });
});

describe("table", () => {
  it("pads every cell but the last to its column's width plus the padding, as tabwriter", () => {
    // From `docker buildx build --print=targets` with the engine's built-in frontend.
    expect(table([["TARGET", "DESCRIPTION"], ["base", ""], ["final (default)", "the final stage"]], 1)).toBe(
      "TARGET          DESCRIPTION\nbase            \nfinal (default) the final stage\n",
    );
    expect(table([["SSH", "REQUIRED"], ["default", ""]], 3)).toBe("SSH       REQUIRED\ndefault   \n");
  });

  it("measures cells in runes", () => {
    expect(table([["é", "x"], ["ab", "y"]], 1)).toBe("é  x\nab y\n");
  });
});
