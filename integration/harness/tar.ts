// A small reader for the tars BuildKit writes (`--output type=tar`, the OCI
// layout tar): ustar headers plus PAX and GNU long names. Enough for tests;
// the whole archive is read into memory.

export interface TarEntry {
  /** Path without a leading "./" or trailing "/". */
  path: string;
  type: "file" | "dir" | "symlink" | "hardlink" | "other";
  mode: number;
  uid: number;
  gid: number;
  /** Link target for symlinks and hardlinks, "" otherwise. */
  linkname: string;
  /** Content (files only; empty for everything else). */
  data: Buffer;
}

const TYPES: Record<string, TarEntry["type"]> = { "0": "file", "\0": "file", "7": "file", "5": "dir", "2": "symlink", "1": "hardlink" };

export function readTar(buf: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const str = (start: number, len: number) => {
    const field = buf.subarray(start, start + len);
    const nul = field.indexOf(0);
    return field.subarray(0, nul === -1 ? len : nul).toString("utf8");
  };
  const num = (start: number, len: number) => {
    // Base-256 (high bit set) for values octal cannot hold, octal otherwise.
    if (buf[start]! & 0x80) {
      let n = 0;
      for (let i = 1; i < len; i++) n = n * 256 + buf[start + i]!;
      return n;
    }
    return parseInt(str(start, len).trim() || "0", 8);
  };
  const clean = (p: string) => p.replace(/^\.\//, "").replace(/\/+$/, "");
  let pax: Record<string, string> = {};
  let off = 0;
  while (off + 512 <= buf.length) {
    if (buf.subarray(off, off + 512).every((b) => b === 0)) break;
    const size = num(off + 124, 12);
    const flag = String.fromCharCode(buf[off + 156]!);
    const prefix = str(off + 257, 6) === "ustar" ? str(off + 345, 155) : "";
    const header = {
      path: prefix ? `${prefix}/${str(off, 100)}` : str(off, 100),
      mode: num(off + 100, 8),
      uid: num(off + 108, 8),
      gid: num(off + 116, 8),
      linkname: str(off + 157, 100),
    };
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (flag === "x") {
      // PAX records "<len> <key>=<value>\n" override the next header's fields.
      for (const m of data.toString("utf8").matchAll(/\d+ ([^=]+)=([^\n]*)\n/g)) pax[m[1]!] = m[2]!;
      continue;
    }
    if (flag === "L" || flag === "K") {
      pax[flag === "L" ? "path" : "linkpath"] = data.toString("utf8").replace(/\0.*$/s, "");
      continue;
    }
    if (flag === "g") continue;
    const type = TYPES[flag] ?? "other";
    entries.push({
      path: clean(pax.path ?? header.path),
      type,
      mode: header.mode & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : header.uid,
      gid: pax.gid !== undefined ? Number(pax.gid) : header.gid,
      linkname: pax.linkpath ?? header.linkname,
      data: type === "file" ? data : Buffer.alloc(0),
    });
    pax = {};
  }
  return entries;
}

/** A minimal ustar archive of regular files (for ADD's automatic extraction), all with `mode`. */
export function tarOf(files: Record<string, string>, mode = 0o644): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const header = Buffer.alloc(512);
    const body = Buffer.from(content);
    header.write(name, 0, 100, "utf8");
    header.write(mode.toString(8).padStart(7, "0") + "\0", 100);
    header.write("0000000\0", 108);
    header.write("0000000\0", 116);
    header.write(body.length.toString(8).padStart(11, "0") + "\0", 124);
    header.write("14000000000\0", 136);
    header.write("        ", 148);
    header.write("0", 156);
    header.write("ustar\0" + "00", 257);
    let sum = 0;
    for (const b of header) sum += b;
    header.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
