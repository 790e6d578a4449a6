/**
 * Subrequests: a build whose `requestid` opt names one answers a question
 * about the Dockerfile instead of building it. buildx 0.13 sends them for
 * `--print=outline|targets|subrequests.describe` (with BUILDX_EXPERIMENTAL=1),
 * newer buildx for `--call=outline|targets|check`. As upstream (dockerui's
 * HandleSubrequest), they are handled after the Dockerfile is read and before
 * any conversion for a build, and the answer is metadata only, no ref:
 * `result.json`, `result.txt`, `version` (and `result.statuscode` where the
 * request has one, e.g. lint). An unknown request fails with upstream's
 * `unsupported request <name>` and its `errdefs.Subrequest+json` detail.
 *
 * SUBREQUESTS is the registry, name -> definition (what describe lists) and
 * handler, in the order upstream's describe lists them.
 */
import { unsupportedSubrequest } from "../gateway/errors.ts";
import type { BuildResult, Gateway } from "../gateway/session.ts";
import type { BuildOptions } from "../convert/build-options.ts";
import type { ConvertExtension } from "../convert/extension.ts";
import type { DockerfileSource } from "../input/dockerfile-source.ts";
import type { SourceMap } from "../llb/source-map.ts";
import type { ParseResult } from "../dockerfile/parser/index.ts";
import { goJson, table, type JsonValue } from "./format.ts";
import { outlineRequest } from "./outline.ts";
import { targetsRequest } from "./targets.ts";
import { lintRequest } from "./lint.ts";

export const REQUEST_ID_OPT = "requestid";
export const DESCRIBE = "frontend.subrequests.describe";

export interface Named {
  name: string;
  description: string;
}

/** Everything a handler may use: the request's opts, the Dockerfile as read, the extensions. */
export interface SubrequestContext {
  readonly gw: Gateway;
  readonly options: BuildOptions;
  readonly dockerfile: DockerfileSource;
  readonly sourceMap: SourceMap;
  readonly extensions: readonly ConvertExtension[];
  /** The Dockerfile parsed (once); fails as a build would on an empty or unparsable one. */
  parsed(): ParseResult;
}

export interface SubrequestAnswer {
  json: JsonValue;
  text: string;
  /** Overrides the request's version for this answer (see outline.ts). */
  version?: string;
  /** `result.statuscode`, for requests that have one (lint). */
  statusCode?: number;
}

export interface Subrequest {
  /** `frontend.<name>`. */
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** Opts the request reads; null where upstream's definition has none (describe). */
  readonly opts: readonly Named[] | null;
  /** Metadata keys of the answer. */
  readonly metadata: readonly string[];
  handle(ctx: SubrequestContext): Promise<SubrequestAnswer>;
}

const describeRequest: Subrequest = {
  name: DESCRIBE,
  version: "1.0.0",
  description: "List available subrequest types",
  opts: null,
  metadata: ["result.json", "result.txt"],
  handle: async () => describe(),
};

/** The registry, in the order upstream's describe lists the requests (lint: lint.ts, checks in frontend/checks/). */
export const SUBREQUESTS: ReadonlyMap<string, Subrequest> = new Map(
  [outlineRequest, targetsRequest, lintRequest, describeRequest].map((r) => [r.name, r] as const),
);

/** Answers the request named by `requestid`; the result carries metadata only. */
export async function handleSubrequest(requestId: string, ctx: SubrequestContext): Promise<BuildResult> {
  const request = SUBREQUESTS.get(requestId);
  if (!request) throw unsupportedSubrequest(requestId);
  const answer = await request.handle(ctx);
  const enc = new TextEncoder();
  const metadata: Record<string, Uint8Array> = {
    "result.json": enc.encode(goJson(answer.json)),
    "result.txt": enc.encode(answer.text),
    version: enc.encode(answer.version ?? request.version),
  };
  if (answer.statusCode !== undefined) metadata["result.statuscode"] = enc.encode(String(answer.statusCode));
  return { metadata };
}

/** `frontend.subrequests.describe`: upstream's request descriptors, and its NAME/VERSION/DESCRIPTION table. */
export function describe(): SubrequestAnswer {
  const all = [...SUBREQUESTS.values()];
  const named = (list: readonly Named[]) => list.map((n) => ({ name: n.name, description: n.description }));
  const json = all.map((r) => ({
    name: r.name,
    version: r.version,
    type: "rpc",
    description: r.description,
    opts: r.opts && named(r.opts),
    inputs: null,
    metadata: r.metadata.map((name) => ({ name, description: "" })),
    refs: null,
  }));
  const text = table([["NAME", "VERSION", "DESCRIPTION"], ...all.map((r) => [r.name.replace(/^frontend\./, ""), r.version, r.description])], 1);
  return { json, text };
}
