import { describe, expect, it } from "vitest";
import { userOwner } from "./owner.ts";

describe("userOwner", () => {
  it("reads ids, root and names", () => {
    expect(userOwner("1000")).toEqual({ user: { id: 1000 } });
    expect(userOwner("root:staff")).toEqual({ user: { id: 0 }, group: { name: "staff" } });
    expect(userOwner("app:0")).toEqual({ user: { name: "app" }, group: { id: 0 } });
  });

  it("treats numbers beyond a 32-bit signed id as names, as llb.WithUser does", () => {
    // Found by the mutation test (test/mutants): `COPY --chown=99999999999999999999` failed to encode.
    expect(userOwner("2147483647:1")).toEqual({ user: { id: 2147483647 }, group: { id: 1 } });
    expect(userOwner("2147483648")).toEqual({ user: { name: "2147483648" } });
    expect(userOwner("1:99999999999999999999")).toEqual({ user: { id: 1 }, group: { name: "99999999999999999999" } });
  });
});
