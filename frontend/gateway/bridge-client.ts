/**
 * A typed client for BuildKit's `moby.buildkit.v1.frontend.LLBBridge` on top
 * of grpc-js, driven by the protobuf-es service descriptor so method paths
 * and message types cannot drift from our .proto files.
 */
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import { LLBBridge } from "../gen/moby/buildkit/frontend/gateway_pb.ts";
import { StatusSchema, type Status } from "../gen/google/rpc/status_pb.ts";

/** BuildKit's limit for one gRPC message, each way. */
const MAX_MESSAGE_BYTES = 16 << 20;

type Methods = typeof LLBBridge.method;
type UnaryName = { [K in keyof Methods]: Methods[K]["methodKind"] extends "unary" ? K : never }[keyof Methods];
type In<K extends UnaryName> = Methods[K]["input"];
type Out<K extends UnaryName> = Methods[K]["output"];

/** A failed bridge call, keeping the daemon's status (and its typed details) intact. */
export class BridgeError extends Error {
  constructor(
    readonly method: string,
    readonly status: Status,
  ) {
    super(status.message);
    this.name = "BridgeError";
  }
}

export class BridgeClient {
  private readonly client: grpc.Client;

  constructor(target: string) {
    this.client = new grpc.Client(target, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
      "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
      // The "connection" is our stdio splice: it must never be re-dialled.
      "grpc.enable_retries": 0,
      "grpc.initial_reconnect_backoff_ms": 100,
    });
  }

  call<K extends UnaryName>(name: K, request: MessageInitShape<In<K>>): Promise<MessageShape<Out<K>>> {
    const method = LLBBridge.method[name];
    const input = method.input as DescMessage;
    const output = method.output as DescMessage;
    const path = `/${LLBBridge.typeName}/${method.name}`;
    const message = create(input, request as MessageInitShape<DescMessage>);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (m: typeof message) => Buffer.from(toBinary(input, m)),
        (b: Buffer) => fromBinary(output, b),
        message,
        (err, res) => {
          if (err) reject(toBridgeError(method.name, err));
          else resolve(res as MessageShape<Out<K>>);
        },
      );
    });
  }

  close(): void {
    this.client.close();
  }
}

function toBridgeError(method: string, err: grpc.ServiceError): BridgeError {
  const raw = err.metadata?.get("grpc-status-details-bin")?.[0];
  if (raw instanceof Buffer) {
    try {
      return new BridgeError(method, fromBinary(StatusSchema, raw));
    } catch {
      // Fall through to the plain status below.
    }
  }
  return new BridgeError(method, create(StatusSchema, { code: err.code ?? grpc.status.UNKNOWN, message: err.details || err.message }));
}
