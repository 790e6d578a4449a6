/**
 * Small filesystem helpers shared by the copier: temp names, timestamps that
 * survive libuv's utimes, strict UTF-8 names and directory fsync.
 */
import { randomBytes } from "node:crypto";
import { open, readdir, readlink } from "node:fs/promises";

/**
 * Every temp entry the copier creates starts with this prefix. The copier
 * never copies such names and removes stale ones it finds in a destination,
 * so a process killed mid-copy leaves no permanent litter in the cache.
 */
export const TEMP_PREFIX = ".cachefront-tmp-";

/** A temp entry whose ctime is older than this is debris of a dead process (live ones touch theirs constantly). */
export const STALE_TEMP_MS = 10 * 60_000;

// pid alone is not unique: two builds' containers sharing one cache mount
// can both be pid 7. The random part differs per process, the counter per call.
const processTag = `${process.pid}-${randomBytes(6).toString("hex")}`;
let counter = 0;

/** A fresh temp path inside `dir` (same directory as the target, so rename is atomic). */
export function tempPath(dir: string): string {
  return `${dir}/${TEMP_PREFIX}${processTag}-${(counter++).toString(36)}`;
}

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/**
 * The seconds value to pass to fs.utimes for a nanosecond timestamp. libuv
 * truncates to whole microseconds, and a double near 1.7e9 s is only exact
 * to about 240 ns, so `ns / 1e9` can land one microsecond low. Aiming at the
 * middle of the microsecond makes the truncation come out exact. Pre-1970
 * times are truncated toward zero by libuv, so they get the plain value.
 */
export function utimeArg(ns: bigint): number {
  if (ns < 0n) return Number(ns) / 1e9;
  const sec = ns / 1_000_000_000n;
  const micros = (ns % 1_000_000_000n) / 1000n;
  return Number(sec) + (Number(micros) + 0.5) / 1e6;
}

/** The precision timestamps survive a copy with: whole microseconds. */
export function micros(ns: bigint): bigint {
  return ns / 1000n;
}

/**
 * Names in a directory. Node decodes names as UTF-8 and would silently turn
 * any other bytes into U+FFFD, writing a different name; refuse instead.
 */
export async function readNames(dir: string): Promise<string[]> {
  const raw = await readdir(dir, { encoding: "buffer" });
  const names = new Array<string>(raw.length);
  for (let i = 0; i < raw.length; i++) names[i] = strictUtf8(raw[i]!, `${dir}/`);
  return names;
}

export async function readLinkStrict(path: string): Promise<string> {
  return strictUtf8(await readlink(path, { encoding: "buffer" }), `symlink target of ${path}: `);
}

function strictUtf8(bytes: Buffer, where: string): string {
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD") && !Buffer.from(text, "utf8").equals(bytes)) {
    throw new Error(`${where}${JSON.stringify(text)}: name is not valid UTF-8, which the copier cannot preserve`);
  }
  return text;
}

/** Makes renames/unlinks in `dir` durable (the entries, not file contents). */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
