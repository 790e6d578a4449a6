/**
 * Source maps tie ops to the Dockerfile lines they came from. BuildKit looks
 * the failing vertex up in `Definition.Source` and prints the `>>>` snippet.
 */

export interface SourceMap {
  readonly filename: string;
  readonly language: string;
  readonly data: Uint8Array;
  /** The Definition that loaded the file, when known (shown by some clients). */
  readonly definition?: import("./proto.ts").Definition;
}

/** 1-based inclusive line ranges; `character` is 0 as BuildKit's parser emits. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export interface SourceLocation {
  readonly sourceMap: SourceMap;
  readonly ranges: readonly LineRange[];
}
