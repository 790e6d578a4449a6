/**
 * cachefront's entrypoint, run by BuildKit's gateway inside the frontend
 * image. The pipeline, in the order data flows:
 *
 *   gateway I/O (opts, stdio gRPC)           gateway/
 *   → read the Dockerfile and context        input/
 *   → parse and build typed instructions     dockerfile/parser, dockerfile/instructions
 *   → expand words                           dockerfile/shell
 *   → convert to LLB, image config           convert/, image/ (+ extensions/)
 *   → solve and Return                       build.ts
 *
 * Whatever happens, we end with exactly one Return (a result or a status
 * error) and exit 0: that is how BuildKit learns the outcome.
 *
 * The same bundle also runs inside build steps as a tool: `cache-copier`
 * seeds and exports cache mounts (extensions/cache-seed/copier).
 */
import { BridgeClient } from "./gateway/bridge-client.ts";
import { readEnvironment } from "./gateway/environment.ts";
import { toStatus } from "./gateway/errors.ts";
import { connect, sendReturn, toPbResult } from "./gateway/session.ts";
import { openStdioBridge } from "./gateway/stdio-transport.ts";

type Tool = (argv: string[]) => Promise<number>;

const TOOLS: Record<string, () => Promise<Tool>> = {
  "cache-copier": async () => (await import("./extensions/cache-seed/copier/cli.ts")).runCopierCli,
};

/** With CACHEFRONT_TRACE set, phase timings (ms since process start) go to stderr, i.e. the daemon log. */
const tracing = !!process.env.CACHEFRONT_TRACE;
const trace = tracing ? (what: string) => console.error(`cachefront: ${performance.now().toFixed(1)} ms ${what}`) : () => {};

const tool = TOOLS[process.argv[2] ?? ""];
if (tool) runTool(tool);
else runGateway();

function runTool(load: () => Promise<Tool>): void {
  load()
    .then((run) => run(process.argv.slice(3)))
    .then(
      (code) => process.exit(code),
      (err: unknown) => {
        console.error(`cachefront ${process.argv[2]}: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
}

function runGateway(): void {
  // stdout carries HTTP/2 frames: any stray console output would corrupt them.
  for (const level of ["log", "info", "debug", "warn"] as const) console[level] = console.error;
  // The parser and converter are loaded with a dynamic import started right
  // away: their code compiles while the first gateway round trips are in
  // flight, instead of delaying the first byte we send (esbuild splits them
  // into their own chunk).
  const buildModule = import("./build.ts");
  gateway(buildModule).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(`cachefront: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(0);
    },
  );
}

async function gateway(buildModule: Promise<typeof import("./build.ts")>): Promise<void> {
  trace("loaded");
  const env = readEnvironment();
  if (tracing) trace(`opts: ${[...env.opts.keys()].join(" ")}`);
  const bridge = await openStdioBridge();
  const client = new BridgeClient(bridge.target);
  try {
    let outcome: Parameters<typeof sendReturn>[1];
    try {
      const gw = await connect(client, env);
      // The caps list is only built when someone reads it: this is the start-up path.
      if (tracing) trace(`pinged; llb caps: ${[...gw.caps.llb].sort().join(" ")}; frontend caps: ${[...gw.caps.frontend].sort().join(" ")}`);
      const { build } = await buildModule;
      const result = await build(gw, trace);
      outcome = { result: toPbResult(result) };
    } catch (err) {
      if (process.env.CACHEFRONT_DEBUG) console.error(err);
      const { errorSourceOf } = await buildModule.catch(() => ({ errorSourceOf: () => undefined }));
      outcome = { error: toStatus(err, errorSourceOf(err)) };
    }
    await sendReturn(client, outcome);
    trace("returned");
  } catch (err) {
    // Return itself failed: nothing more we can tell BuildKit.
    console.error(`cachefront: could not return the result: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    client.close();
    bridge.close();
  }
}
