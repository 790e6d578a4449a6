/**
 * BuildKit speaks cleartext HTTP/2 gRPC over the frontend container's stdin and
 * stdout. grpc-js can only dial addresses, so we open a private unix socket in
 * this process and splice its single connection to stdin/stdout; grpc-js then
 * dials `unix://<socket>` and never knows the difference.
 *
 * Nothing else may write to stdout: any stray byte corrupts the HTTP/2 stream.
 */
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";

export interface StdioBridge {
  /** The grpc-js target to dial. */
  readonly target: string;
  /** Stops accepting, ends the spliced connection and removes the socket. */
  close(): void;
}

export async function openStdioBridge(
  input: Readable = process.stdin,
  output: Writable = process.stdout,
): Promise<StdioBridge> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachefront-"));
  const socketPath = path.join(dir, "bridge.sock");
  let active: net.Socket | undefined;

  const server = net.createServer((conn) => {
    if (active) {
      // stdio is one byte stream; a second connection could only interleave
      // frames with the first one. Refuse it rather than corrupt the session.
      conn.destroy();
      return;
    }
    active = conn;
    input.pipe(conn);
    conn.on("data", (chunk: Buffer) => {
      output.write(chunk);
    });
    conn.on("error", () => conn.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });

  return {
    target: `unix://${socketPath}`,
    close() {
      server.close();
      if (active) {
        input.unpipe(active);
        active.destroy();
      }
      input.pause();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
