/**
 * The expiry branch point. A step with TTL T, built at time `now` (unix
 * seconds), gets
 *
 *     offset = uint64(sha256("cachefront.cache-ttl\0" + step)[0:8]) mod T
 *     bucket = floor((now + offset) / T)
 *
 * where `step` is the RUN instruction's text as written. The bucket goes into
 * the step's cache key, so a cached result is reused only by builds in the
 * same bucket: never once it is older than T. The offset spreads the bucket
 * boundaries of different steps over the TTL, so every `--cache-ttl=24h` step
 * in the world does not re-run at the same instant (midnight UTC).
 */
import { createHash } from "node:crypto";

export interface ExpiryPoint {
  ttl: number;
  offset: number;
  bucket: number;
  /** Unix seconds at which this bucket started and ends (exclusive). */
  validFrom: number;
  validUntil: number;
}

export function stepOffset(step: string, ttl: number): number {
  const h = createHash("sha256").update("cachefront.cache-ttl\0").update(step).digest();
  return Number(h.readBigUInt64BE(0) % BigInt(ttl));
}

export function expiryPoint(step: string, ttl: number, now: number): ExpiryPoint {
  const offset = stepOffset(step, ttl);
  const bucket = Math.floor((now + offset) / ttl);
  return { ttl, offset, bucket, validFrom: bucket * ttl - offset, validUntil: (bucket + 1) * ttl - offset };
}
