/**
 * `frontend.outline` (`--print=outline`, `--call=outline`): the parameters
 * the build of a target takes, as upstream's outline: the target's name and
 * description, the build args it uses (with their values and the `# NAME
 * text` descriptions above the ARGs), the secrets and ssh sockets its RUNs
 * mount and whether they are required, its cache mounts, and the Dockerfile.
 *
 * The target is converted (base images resolved, as upstream does) but not
 * solved; what conversion captured (convert/outline-capture.ts) is collected
 * from the target, then its base and the stages it reads from, and sorted by
 * line. An ARG counts as used when a stage declares it or a FROM line expands
 * it (and a used global ARG uses the global ARGs its default refers to).
 *
 * cachefront's extensions add their part through their `outline` hook: in
 * result.json under `cachefront` (buildx ignores fields it does not know), in
 * result.txt as more tables. An answer with such a part says version 1.1.0
 * instead of upstream's 1.0.0: buildx prints a result's own result.txt only
 * when its version is newer than the one it knows, and its own rendering of
 * result.json (without cachefront's tables) otherwise.
 */
import { convertOnly } from "./convert-only.ts";
import type { OutlineContribution } from "../convert/extension.ts";
import type { CapturedArg, CapturedCache, CapturedMount, Lines, OutlineCapture } from "../convert/outline-capture.ts";
import type { StageState } from "../convert/stage-state.ts";
import { goBase64, location, table, type JsonValue } from "./format.ts";
import type { Subrequest, SubrequestAnswer, SubrequestContext } from "./index.ts";

export const OUTLINE_VERSION = "1.0.0";
/** The version of an answer that carries cachefront's part (see above). */
export const EXTENDED_OUTLINE_VERSION = "1.1.0";

export interface Outline {
  name?: string;
  description?: string;
  args: CapturedArg[];
  secrets: (CapturedMount & { id: string })[];
  ssh: (CapturedMount & { id: string })[];
  cache: (CapturedCache & { id: string })[];
  extensions: OutlineContribution[];
}

export const outlineRequest: Subrequest = {
  name: "frontend.outline",
  version: OUTLINE_VERSION,
  description: "List all parameters current build target supports",
  opts: [{ name: "target", description: "Target build stage" }],
  metadata: ["result.json", "result.txt"],
  handle: async (ctx) => outlineAnswer(await collectOutline(ctx), ctx.dockerfile.data),
};

/** Converts the target (first platform) and collects what its outline shows. */
export async function collectOutline(ctx: SubrequestContext): Promise<Outline> {
  const converted = await convertOnly(ctx);
  const { globals, globalNames } = converted.outline;
  const order = dependencyOrder(converted.target);

  const args: CapturedArg[] = [];
  const seenArgs = new Set<string>();
  for (const s of order) {
    const all = argsVisibleIn(s.outline, globals, globalNames);
    for (const key of usedArgs(s.outline, all)) {
      const a = all.get(key);
      if (a && !seenArgs.has(key)) {
        seenArgs.add(key);
        args.push(a);
      }
    }
  }
  const stages = order.filter((s) => !s.unregistered);
  const stage = converted.target.stage;
  return {
    name: stage?.name,
    description: stage?.comment,
    args: byLine(args),
    secrets: firstById(order, (c) => c.secrets),
    ssh: firstById(order, (c) => c.ssh),
    cache: firstById(order, (c) => c.cache),
    extensions: ctx.extensions.flatMap((e) => e.outline?.({ stages }) ?? []),
  };
}

/** The target, then (depth first) its base and the stages it reads from, as upstream walks them. */
function dependencyOrder(target: StageState): StageState[] {
  const out: StageState[] = [];
  const visit = (s: StageState) => {
    if (out.includes(s)) return;
    out.push(s);
    if (s.base) visit(s.base);
    for (const d of s.deps.keys()) visit(d);
  };
  visit(target);
  return out;
}

/** A stage sees the global ARGs, and its own definitions over them (a bare `ARG NAME` of a global keeps the global). */
function argsVisibleIn(stage: OutlineCapture, globals: OutlineCapture, globalNames: ReadonlySet<string>): Map<string, CapturedArg> {
  const all = new Map(globals.args);
  for (const [key, a] of stage.args) if (!(a.inherits && globalNames.has(key))) all.set(key, a);
  return all;
}

/** The stage's used ARGs and, transitively, the ARGs their defaults refer to. */
function usedArgs(stage: OutlineCapture, all: ReadonlyMap<string, CapturedArg>): Set<string> {
  const used = new Set<string>();
  const mark = (key: string) => {
    if (used.has(key)) return;
    used.add(key);
    for (const dep of all.get(key)?.deps ?? []) mark(dep);
  };
  for (const key of stage.used) mark(key);
  return used;
}

function firstById<T extends { lines: Lines }>(order: readonly StageState[], pick: (c: OutlineCapture) => ReadonlyMap<string, T>): (T & { id: string })[] {
  const seen = new Map<string, T & { id: string }>();
  for (const s of order) for (const [id, v] of pick(s.outline)) if (!seen.has(id)) seen.set(id, { ...v, id });
  return byLine([...seen.values()]);
}

/** Stable: entries of one instruction keep their order. */
function byLine<T extends { lines: Lines }>(list: T[]): T[] {
  return list.sort((a, b) => (a.lines[0]?.start ?? 0) - (b.lines[0]?.start ?? 0));
}

export function outlineAnswer(o: Outline, dockerfile: Uint8Array): SubrequestAnswer {
  const nonEmpty = <T>(list: T[]) => (list.length > 0 ? list : undefined);
  const json = {
    name: o.name || undefined,
    description: o.description || undefined,
    args: nonEmpty(o.args.map((a) => ({ name: a.key, description: a.comment || undefined, value: a.value || undefined, location: location(a.lines) }))),
    secrets: nonEmpty(o.secrets.map((s) => ({ name: s.id, required: s.required || undefined, location: location(s.lines) }))),
    ssh: nonEmpty(o.ssh.map((s) => ({ name: s.id, required: s.required || undefined, location: location(s.lines) }))),
    cache: nonEmpty(o.cache.map((c) => ({ ID: c.id, target: c.target, sharing: c.sharing, location: location(c.lines) }))),
    sources: [goBase64(dockerfile)],
    cachefront: o.extensions.length > 0 ? Object.fromEntries(o.extensions.map((e): [string, JsonValue] => [e.key, e.value])) : undefined,
  };
  return { json, text: outlineText(o), version: o.extensions.length > 0 ? EXTENDED_OUTLINE_VERSION : OUTLINE_VERSION };
}

/** Upstream's text (what buildx prints for a 1.0.0 answer), then the cache mounts and the extensions' tables. */
export function outlineText(o: Outline): string {
  let out = "";
  if (o.name || o.description) {
    const rows = [["TARGET:", o.name || "(default)"]];
    if (o.description) rows.push(["DESCRIPTION:", o.description]);
    out += table(rows, 1) + "\n";
  }
  const section = (rows: string[][]) => {
    if (rows.length > 1) out += table(rows, 3) + "\n";
  };
  const required = (r: boolean) => (r ? "true" : "");
  section([["BUILD ARG", "VALUE", "DESCRIPTION"], ...o.args.map((a) => [a.key, a.value ?? "", a.comment])]);
  section([["SECRET", "REQUIRED"], ...o.secrets.map((s) => [s.id, required(s.required)])]);
  section([["SSH", "REQUIRED"], ...o.ssh.map((s) => [s.id, required(s.required)])]);
  section([["CACHE MOUNT", "TARGET", "SHARING"], ...o.cache.map((c) => [c.id, c.target, c.sharing])]);
  for (const e of o.extensions) section(e.table);
  return out;
}
