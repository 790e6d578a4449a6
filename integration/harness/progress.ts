// Reading `--progress=plain` output: which vertices ran and which came from
// the cache. Each vertex is `#N <name>` once, then lines like `#N CACHED` or
// `#N DONE 0.2s`; a vertex whose result was not needed does not appear.
export interface VertexStatus {
  name: string;
  cached: boolean;
}

/** Every named vertex (first name seen per `#N`) and whether it ended CACHED. */
export function vertices(progress: string): VertexStatus[] {
  const names = new Map<string, string>();
  const cached = new Set<string>();
  for (const line of progress.split("\n")) {
    const named = /^#(\d+) (\[.*)$/.exec(line);
    if (named && !names.has(named[1]!)) names.set(named[1]!, named[2]!);
    const c = /^#(\d+) CACHED$/.exec(line);
    if (c) cached.add(c[1]!);
  }
  return [...names].map(([id, name]) => ({ name, cached: cached.has(id) }));
}

/** Build steps (`[stage i/n] ...`), for comparing two builds' step lists. */
export function steps(progress: string): VertexStatus[] {
  return vertices(progress).filter((v) => /^\[[^\]]*\d+\/\d+\] /.test(v.name));
}

/**
 * Whether a vertex whose name contains `fragment` executed. One whose result
 * was not needed (a later step came from the cache) does not show at all:
 * that counts as not executed, like CACHED.
 */
export function stepRan(progress: string, fragment: string): boolean {
  const hits = vertices(progress).filter((v) => v.name.includes(fragment));
  if (hits.length > 1) throw new Error(`expected at most one step matching ${fragment}, found ${hits.length}:\n${progress}`);
  return hits.length === 1 && !hits[0]!.cached;
}

/** A vertex as `--progress=rawjson` reports it, its updates merged. */
export interface RawVertex {
  digest: string;
  name: string;
  cached: boolean;
  /** Set on vertices shown together as one step (COPY --link: the copy and its merge). */
  progressGroup?: { id: string; name: string; weak?: boolean };
}

/**
 * The vertices of a `--progress=rawjson` log (buildx >= 0.12), in the order
 * they first appear. buildx writes one indented JSON object per status
 * update (`{"vertexes": [...], "statuses": [...], "logs": [...]}`) to stderr,
 * each starting with a `{` line and ending with a `}` line; other lines
 * (`ERROR: ...`) are skipped. Updates of one vertex share its digest.
 */
export function rawVertices(progress: string): RawVertex[] {
  const byDigest = new Map<string, RawVertex>();
  let object: string[] | undefined;
  for (const line of progress.split("\n")) {
    if (object === undefined) {
      if (line === "{") object = [line];
      continue;
    }
    object.push(line);
    if (line !== "}") continue;
    const update = JSON.parse(object.join("\n")) as { vertexes?: { digest: string; name?: string; cached?: boolean; progressGroup?: RawVertex["progressGroup"] }[] };
    object = undefined;
    for (const v of update.vertexes ?? []) {
      const seen = byDigest.get(v.digest);
      byDigest.set(v.digest, {
        digest: v.digest,
        name: v.name ?? seen?.name ?? "",
        cached: !!v.cached || !!seen?.cached,
        progressGroup: v.progressGroup ?? seen?.progressGroup,
      });
    }
  }
  if (object !== undefined) throw new Error(`rawjson progress ends inside an update:\n${object.join("\n").slice(0, 2000)}`);
  return [...byDigest.values()];
}
