/**
 * The lint result in its two forms:
 *
 * - result.json: upstream's `lint.LintResults` as Go's encoding/json writes
 *   it: `warnings` (null when none), each with `ruleName`, `description`,
 *   `url`, `detail` and a `pb.Location` (`sourceIndex` and `ranges`, zero
 *   values left out as protobuf's Go structs do); `sources`, the Dockerfile as
 *   a `pb.SourceInfo` (filename, base64 data, the definition that loaded it,
 *   language); `buildError` when the conversion failed.
 * - result.txt: for clients that print it as is: "Check complete, ..."
 *   then each warning as newer buildx renders them (`WARNING: Rule - url`,
 *   the message, the Dockerfile snippet, sorted by line), then the error with
 *   its snippet.
 */
import type { CheckWarning } from "../checks/index.ts";
import type { Definition, OpMetadata } from "../gen/moby/buildkit/solver/ops_pb.ts";
import type { DockerfileSource } from "../input/dockerfile-source.ts";
import { goBase64, type JsonValue } from "./format.ts";

type Lines = readonly { start: number; end: number }[];

export interface LintResults {
  warnings: CheckWarning[];
  /** What failed the conversion, if anything. */
  error?: { message: string; lines: Lines };
}

export function lintJson(r: LintResults, dockerfile: DockerfileSource): JsonValue {
  return {
    warnings:
      r.warnings.length === 0
        ? null
        : r.warnings.map((w) => ({
            ruleName: w.rule.name,
            description: w.rule.description || undefined,
            url: w.rule.url || undefined,
            detail: w.message || undefined,
            location: pbLocation(w.lines),
          })),
    sources: [
      {
        filename: dockerfile.filename || undefined,
        data: dockerfile.data.length > 0 ? goBase64(dockerfile.data) : undefined,
        definition: definitionJson(dockerfile.definition),
        language: "Dockerfile",
      },
    ],
    buildError: r.error && { message: r.error.message, location: pbLocation(r.error.lines) },
  };
}

/** A `pb.Location` in source 0 (the Dockerfile): a zero sourceIndex and empty ranges are left out. */
function pbLocation(lines: Lines): JsonValue {
  return { ranges: lines.length === 0 ? undefined : lines.map((l) => ({ start: { line: l.start }, end: { line: l.end } })) };
}

/** A `pb.Definition` as Go's encoding/json writes the generated struct (map keys sorted). */
function definitionJson(def: Definition | undefined): JsonValue {
  if (!def) return undefined;
  const keys = Object.keys(def.metadata).sort();
  return {
    def: def.def.length > 0 ? def.def.map(goBase64) : undefined,
    metadata: keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, opMetadataJson(def.metadata[k]!)])) : undefined,
    // The Dockerfile's loader carries no source map of its own (Definition.Source is left out).
  };
}

function opMetadataJson(m: OpMetadata): JsonValue {
  const sorted = <T extends JsonValue>(o: { [k: string]: T }) => {
    const keys = Object.keys(o).sort();
    return keys.length > 0 ? Object.fromEntries(keys.map((k) => [k, o[k]!])) : undefined;
  };
  return {
    ignore_cache: m.ignoreCache || undefined,
    description: sorted(m.description),
    export_cache: m.exportCache ? { Value: m.exportCache.Value || undefined } : undefined,
    caps: sorted(m.caps),
    progress_group: m.progressGroup ? { id: m.progressGroup.id || undefined, name: m.progressGroup.name || undefined, weak: m.progressGroup.weak || undefined } : undefined,
  };
}

export function lintText(r: LintResults, dockerfile: DockerfileSource): string {
  const source = new TextDecoder().decode(dockerfile.data);
  const n = r.warnings.length;
  let out = "";
  if (n > 0) out += `Check complete, ${n === 1 ? "1 warning has" : `${n} warnings have`} been found!\n`;
  const sorted = r.warnings
    .map((w, i) => ({ w, i }))
    .sort((a, b) => {
      const la = a.w.lines[0]?.start;
      const lb = b.w.lines[0]?.start;
      if (la === undefined || lb === undefined) return la === lb ? a.i - b.i : la === undefined ? -1 : 1;
      return la - lb || a.i - b.i;
    });
  for (const { w } of sorted) {
    out += `\nWARNING: ${w.rule.name}${w.rule.url ? ` - ${w.rule.url}` : ""}\n${w.message}\n`;
    out += snippet(dockerfile.filename, source, w.lines);
  }
  if (r.error) out += `${n > 0 ? "\n" : ""}${r.error.message}\n${snippet(dockerfile.filename, source, r.error.lines)}`;
  if (n === 0 && !r.error) out += "Check complete, no warnings found.\n";
  return out;
}

/**
 * The lines around `ranges` with `>>>` on theirs, as BuildKit's
 * errdefs.Source.Print draws them (4 lines of context around a single line,
 * 2 around a range).
 */
export function snippet(filename: string, data: string, ranges: Lines): string {
  if (ranges.length === 0) return "";
  const lines = data.split("\n");
  let start = Math.min(...ranges.map((r) => r.start));
  let end = Math.max(...ranges.map((r) => Math.max(r.end, r.start)));
  if (start > lines.length || start < 1) return "";
  if (end > lines.length) end = lines.length;
  const pad = end === start ? 4 : 2;
  const first = start;
  for (let p = 0; p < pad; p++) {
    if (start > 1) {
      start--;
      p++;
    }
    if (end !== lines.length) {
      end++;
      p++;
    }
  }
  let out = `${filename}:${first}\n--------------------\n`;
  for (let i = start; i <= end; i++) {
    const marked = ranges.some((r) => r.start <= i && Math.max(r.end, r.start) >= i);
    out += ` ${String(i).padStart(3)} | ${marked ? ">>>" : "   "} ${lines[i - 1]}\n`;
  }
  return out + "--------------------\n";
}
