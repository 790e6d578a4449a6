/**
 * Promise wrappers over Node's callback fs API, for the copier's per-entry
 * hot path. Same libuv work as fs/promises, but fs/promises' per-call
 * machinery (FSReqPromise, its argument handling) costs about twice the
 * dispatch time: measured 29.8 ms vs 14.3 ms for 5,000 bigint lstats, and the
 * copier makes four or five such calls per file.
 */
import fs, { type BigIntStats } from "node:fs";

type Done<T> = (err: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(start: (done: Done<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((err, value) => (err ? reject(err) : resolve(value))));
}

type Ok = (err: NodeJS.ErrnoException | null) => void;

function run(start: (done: Ok) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => start((err) => (err ? reject(err) : resolve())));
}

export const lstatBig = (p: string) => call<BigIntStats>((done) => fs.lstat(p, { bigint: true }, done));
export const copyFileTo = (from: string, to: string, flags: number) => run((done) => fs.copyFile(from, to, flags, done));
export const utimesAt = (p: string, atime: number, mtime: number) => run((done) => fs.utimes(p, atime, mtime, done));
export const lutimesAt = (p: string, atime: number, mtime: number) => run((done) => fs.lutimes(p, atime, mtime, done));
export const lchownTo = (p: string, uid: number, gid: number) => run((done) => fs.lchown(p, uid, gid, done));
export const chmodTo = (p: string, mode: number) => run((done) => fs.chmod(p, mode, done));
export const renameTo = (from: string, to: string) => run((done) => fs.rename(from, to, done));
export const linkTo = (existing: string, p: string) => run((done) => fs.link(existing, p, done));
export const symlinkTo = (target: string, p: string) => run((done) => fs.symlink(target, p, done));
export const mkdirMode = (p: string, mode: number) => run((done) => fs.mkdir(p, { mode }, done));
