/**
 * `source=` of a seeded cache mount: a path inside the build context. It may
 * be written relative or absolute (both mean "from the context's root"), but
 * must not climb out of the context: `..` past the root is an error.
 */
export function seedSourcePath(source: string): string {
  let depth = 0;
  const parts: string[] = [];
  for (const part of source.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      depth--;
      if (depth < 0) throw new Error(`source=${source} escapes the build context`);
      parts.pop();
      continue;
    }
    depth++;
    parts.push(part);
  }
  return `/${parts.join("/")}`;
}
