// The mutant generator: deterministic, evenly spread, and with enough
// material from the built-in seeds alone (a checkout without ../shared).
import { describe, expect, it } from "vitest";
import { CATEGORIES, generateMutants, prng } from "./generate.ts";
import { BUILTIN_SEEDS } from "./seeds.ts";

const digest = (ms: ReturnType<typeof generateMutants>) => ms.map((m) => `${m.id} ${m.note} ${Buffer.from(m.data).toString("base64")}`);

describe("generateMutants", () => {
  it("gives the same mutants for the same seed, others for another", () => {
    expect(digest(generateMutants(BUILTIN_SEEDS, 200))).toEqual(digest(generateMutants(BUILTIN_SEEDS, 200)));
    expect(digest(generateMutants(BUILTIN_SEEDS, 200, 1))).not.toEqual(digest(generateMutants(BUILTIN_SEEDS, 200)));
  });

  it("makes 1,008 distinct mutants from the built-in seeds alone, 63 per category", () => {
    const ms = generateMutants(BUILTIN_SEEDS, 1008);
    expect(new Set(ms.map((m) => `${m.imageConfig ?? ""}|${Buffer.from(m.data).toString("latin1")}`)).size).toBe(1008);
    for (const c of CATEGORIES) expect(ms.filter((m) => m.category === c)).toHaveLength(63);
  });

  it("has a PRNG independent of Math.random", () => {
    const a = prng(7);
    const b = prng(7);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
