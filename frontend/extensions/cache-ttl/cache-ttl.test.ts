import { describe, expect, it } from "vitest";
import { expiryPoint, stepOffset } from "./bucket.ts";
import { formatTtl, parseTtl, TtlSyntaxError } from "./duration.ts";
import { commentTtl } from "./extension.ts";

describe("parseTtl", () => {
  it.each([
    ["90s", 90],
    ["30m", 1800],
    ["12h", 43_200],
    ["7d", 604_800],
    ["2w", 1_209_600],
    ["1h30m", 5400],
    ["1d12h", 129_600],
    ["1w2d3h4m5s", 604_800 + 2 * 86_400 + 3 * 3600 + 4 * 60 + 5],
    [" 45m ", 2700],
    ["0", 0],
    ["none", 0],
    ["NONE", 0],
  ])("%s = %d s", (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(["", "12", "h", "1.5h", "-1h", "1h1h", "10 m", "1y", "0s", "0h0m", "abc", "1h 30m", "12hours"])("rejects %j", (text) => {
    expect(() => parseTtl(text)).toThrow(TtlSyntaxError);
  });

  it("formats canonically", () => {
    expect(formatTtl(5400)).toBe("1h30m");
    expect(formatTtl(1_209_600)).toBe("2w");
    expect(formatTtl(0)).toBe("none");
  });
});

describe("expiry buckets", () => {
  const step = "RUN --cache-ttl=1h apt-get update";

  it("gives a stable offset below the TTL, different between steps", () => {
    const a = stepOffset(step, 3600);
    expect(a).toBe(stepOffset(step, 3600));
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(3600);
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => stepOffset(`RUN step ${i}`, 86_400)));
    expect(offsets.size).toBeGreaterThan(45);
  });

  it("changes bucket exactly at the boundary, and stays within it before", () => {
    const p = expiryPoint(step, 3600, 1_700_000_000);
    expect(p.validFrom).toBeLessThanOrEqual(1_700_000_000);
    expect(p.validUntil).toBeGreaterThan(1_700_000_000);
    expect(p.validUntil - p.validFrom).toBe(3600);
    expect(expiryPoint(step, 3600, p.validFrom).bucket).toBe(p.bucket);
    expect(expiryPoint(step, 3600, p.validUntil - 1).bucket).toBe(p.bucket);
    expect(expiryPoint(step, 3600, p.validUntil).bucket).toBe(p.bucket + 1);
    expect(expiryPoint(step, 3600, p.validFrom - 1).bucket).toBe(p.bucket - 1);
  });

  it("never lets a result live longer than the TTL", () => {
    // Whatever the build time, the bucket it lands in started at most T ago.
    for (const now of [0, 1, 3599, 3600, 1_700_000_123, 2_000_000_000]) {
      const p = expiryPoint(step, 3600, now);
      expect(now - p.validFrom).toBeLessThan(3600);
      expect(now - p.validFrom).toBeGreaterThanOrEqual(0);
    }
  });

  it("matches the documented formula", () => {
    const now = 1_750_000_000;
    const offset = stepOffset(step, 43_200);
    expect(expiryPoint(step, 43_200, now).bucket).toBe(Math.floor((now + offset) / 43_200));
  });
});

describe("comment form", () => {
  it("reads the last comment line above the RUN", () => {
    expect(commentTtl(["install packages", "org.mobyproject.buildkit.cache-ttl=12h"])).toBe("12h");
    expect(commentTtl(["org.mobyproject.buildkit.cache-ttl = 7d"])).toBe("7d");
    expect(commentTtl(["org.mobyproject.buildkit.cache-ttl=12h", "something else"])).toBeUndefined();
    expect(commentTtl([])).toBeUndefined();
    expect(commentTtl(["org.mobyproject.buildkit.cache-ttlx=1h"])).toBeUndefined();
  });
});
