/**
 * POSIX path rules that LLB relies on. Paths inside ops are always absolute
 * Linux paths regardless of the host we run on, so we use `path.posix`.
 */
import { posix } from "node:path";

/**
 * Makes `p` absolute against `parent`, cleaning it. With `keepSlash`, a
 * trailing `/` or `/.` on the input survives, because COPY gives it meaning
 * ("copy into this directory").
 */
export function normalizePath(parent: string, p: string, keepSlash: boolean): string {
  const orig = p;
  let out = posix.normalize(p === "" ? "." : p);
  if (!posix.isAbsolute(out)) out = posix.join("/", parent || "/", out);
  out = stripTrailingSlash(out);
  if (keepSlash) {
    if (orig.endsWith("/") && !out.endsWith("/")) out += "/";
    else if (orig.endsWith("/.")) {
      if (out !== "/") out += "/";
      out += ".";
    }
  }
  return out;
}

/** Go's path.Clean, which unlike posix.normalize drops a trailing slash and maps "" to ".". */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const out = stripTrailingSlash(posix.normalize(p));
  return out;
}

function stripTrailingSlash(p: string): string {
  return p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p;
}
