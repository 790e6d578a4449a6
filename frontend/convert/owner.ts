/** `--chown` / USER strings to file-op owners, as BuildKit's llb.WithUser parses them. */
import type { Owner, UserRef } from "../llb/file.ts";

function ref(part: string): UserRef {
  if (part === "root") return { id: 0 };
  // Like llb.WithUser's strconv.ParseInt(part, 10, 32): a number too large
  // for an id is a user name (and an id that large could not be encoded).
  if (/^\d+$/.test(part) && Number(part) <= 0x7fffffff) return { id: Number(part) };
  return { name: part };
}

/** `user[:group]`: numbers and `root` are ids; names resolve in the destination's /etc files. */
export function userOwner(spec: string): Owner {
  const i = spec.indexOf(":");
  if (i < 0) return { user: ref(spec) };
  return { user: ref(spec.slice(0, i)), group: ref(spec.slice(i + 1)) };
}
