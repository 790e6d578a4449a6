/**
 * Errors as BuildKit expects them in `ReturnRequest.error`: a google.rpc.Status
 * whose details are JSON-encoded `Any`s. A `LocatedError` becomes an
 * `errdefs.Source+json` detail so buildx prints the Dockerfile snippet with
 * `>>>` markers; a failed bridge call is passed on unchanged so the daemon's
 * own details (solve info, vertex sources) survive.
 */
import { create } from "@bufbuild/protobuf";
import { status as GrpcCode } from "@grpc/grpc-js";
import { StatusSchema, type Status } from "../gen/google/rpc/status_pb.ts";
import { BridgeError } from "./bridge-client.ts";

const SOURCE_DETAIL = "github.com/moby/buildkit/errdefs.Source+json";
const SUBREQUEST_DETAIL = "github.com/moby/buildkit/errdefs.Subrequest+json";
const FRONTEND_CAP_DETAIL = "github.com/moby/buildkit/errdefs.FrontendCap+json";

export interface ErrorSource {
  filename: string;
  data: Uint8Array;
  language: string;
}

/** An error that concerns specific lines of an input file (the Dockerfile). */
export class LocatedError extends Error {
  constructor(
    message: string,
    readonly ranges: readonly { start: number; end: number }[],
    readonly code: number = GrpcCode.UNKNOWN,
  ) {
    super(message);
    this.name = "LocatedError";
  }
}

/**
 * An error BuildKit knows by type: a gRPC code plus `errdefs.*+json` details
 * (JSON values), which clients decode into typed errors (buildx checks them).
 */
export class TypedError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly details: readonly { typeUrl: string; json: unknown }[],
  ) {
    super(message);
    this.name = "TypedError";
  }
}

/** Upstream's UnsupportedSubrequestError: an unknown `requestid`. */
export function unsupportedSubrequest(name: string): TypedError {
  return new TypedError(`unsupported request ${name}`, GrpcCode.UNKNOWN, [{ typeUrl: SUBREQUEST_DETAIL, json: { name } }]);
}

/** Upstream's UnsupportedFrontendCapError: a `frontend.caps` entry the frontend lacks. */
export function unsupportedFrontendCap(name: string): TypedError {
  return new TypedError(`unsupported frontend capability ${name}`, GrpcCode.UNIMPLEMENTED, [{ typeUrl: FRONTEND_CAP_DETAIL, json: { name } }]);
}

/** The human message of anything thrown: a bridge call's status message, an Error's message, or the value. */
export function messageOf(err: unknown): string {
  if (err instanceof BridgeError) return err.status.message;
  return err instanceof Error ? err.message : String(err);
}

/** Converts anything thrown during a build into the Status sent with Return. */
export function toStatus(err: unknown, source?: ErrorSource): Status {
  if (err instanceof BridgeError) return err.status;
  if (err instanceof TypedError) {
    const details = err.details.map((d) => ({ typeUrl: d.typeUrl, value: new TextEncoder().encode(JSON.stringify(d.json)) }));
    return create(StatusSchema, { code: err.code, message: err.message, details });
  }
  if (err instanceof LocatedError) {
    const details = [];
    if (source && err.ranges.length > 0) {
      const detail = {
        info: { filename: source.filename, data: Buffer.from(source.data).toString("base64"), language: source.language },
        ranges: err.ranges.map((r) => ({ start: { line: r.start }, end: { line: r.end } })),
      };
      details.push({ typeUrl: SOURCE_DETAIL, value: new TextEncoder().encode(JSON.stringify(detail)) });
    }
    // Not every client prints the snippet, so the message itself names the line.
    const first = err.ranges[0];
    const named = !first || /\bline \d+/.test(err.message);
    const message = named ? err.message : `${source?.filename ?? "Dockerfile"}:${first.start}: ${err.message}`;
    return create(StatusSchema, { code: err.code, message, details });
  }
  const message = err instanceof Error ? err.message : String(err);
  return create(StatusSchema, { code: GrpcCode.UNKNOWN, message });
}
