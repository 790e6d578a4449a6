// The root filesystem of an image in an OCI export, rebuilt by applying its
// layers in order (OCI whiteouts included), so one `--output type=oci` build
// gives both the image config and the file tree a `type=tar` export would.
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import type { OciImage } from "./oci.ts";
import { readTar, type TarEntry } from "./tar.ts";
import type { TreeEntry } from "./tree.ts";

const WHITEOUT = ".wh.";
const OPAQUE = ".wh..wh..opq";

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

/** Every entry of the image's rootfs, sorted by path, in treeOfTar's shape. */
export function treeOfImage(img: OciImage): TreeEntry[] {
  const fs = new Map<string, TarEntry>();
  const removeUnder = (dir: string, keepDir: boolean) => {
    for (const p of [...fs.keys()]) if (p.startsWith(`${dir}/`) || (!keepDir && p === dir)) fs.delete(p);
  };
  for (const layer of img.manifest.layers) {
    const raw = img.blob(layer.digest);
    const data = layer.mediaType.endsWith("gzip") ? gunzipSync(raw) : raw;
    const entries = readTar(data);
    // Opaque markers and whiteouts apply to the layers below, before this layer's own entries.
    for (const e of entries) {
      const slash = e.path.lastIndexOf("/");
      const dir = slash < 0 ? "" : e.path.slice(0, slash);
      const base = e.path.slice(slash + 1);
      if (base === OPAQUE) {
        if (dir === "") fs.clear();
        else removeUnder(dir, true);
      } else if (base.startsWith(WHITEOUT)) {
        const victim = (dir === "" ? "" : `${dir}/`) + base.slice(WHITEOUT.length);
        removeUnder(victim, false);
      }
    }
    for (const e of entries) {
      const base = e.path.slice(e.path.lastIndexOf("/") + 1);
      if (e.path === "" || base.startsWith(WHITEOUT)) continue;
      const previous = fs.get(e.path);
      // A directory replaced by a non-directory takes its children with it.
      if (previous?.type === "dir" && e.type !== "dir") removeUnder(e.path, true);
      if (e.type === "hardlink") {
        const target = fs.get(e.linkname.replace(/^\.?\//, ""));
        fs.set(e.path, { ...e, type: "file", linkname: "", data: target?.data ?? Buffer.alloc(0) });
      } else {
        fs.set(e.path, e);
      }
    }
  }
  const tree = [...fs.values()].map((e): TreeEntry => {
    const base = { path: e.path, mode: e.mode & 0o7777, uid: e.uid, gid: e.gid };
    switch (e.type) {
      case "symlink":
        return { ...base, type: "symlink", size: Buffer.byteLength(e.linkname), sha256: sha256(e.linkname), target: e.linkname };
      case "file":
        return { ...base, type: "file", size: e.data.length, sha256: sha256(e.data) };
      default:
        return { ...base, type: e.type === "dir" ? "dir" : "other", size: 0, sha256: "" };
    }
  });
  return tree.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
