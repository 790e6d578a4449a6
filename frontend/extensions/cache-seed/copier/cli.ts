/**
 * `cachefront cache-copier seed <src> <cache>` / `export <cache> <out>`: the
 * process cachefront runs inside its own image around the main build. Its
 * stdout lands in the build log, so it says one plain line per run; errors
 * are one line on stderr (stack only with CACHEFRONT_DEBUG) and exit 1.
 */
import type { CopyStats } from "./copy-tree.ts";
import { exportCache } from "./export.ts";
import { seedCache, SEED_MARKER } from "./seed.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

// process.stdout.write, not console.log: cachefront's entrypoint reroutes console output to stderr.
const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

export const COPIER_USAGE = `usage: cache-copier seed <src> <cache>
       cache-copier export <cache> <out>

  seed    merge directory <src> into cache directory <cache>, unless <cache>
          already holds this exact seed (per ${SEED_MARKER}); a missing <src>
          is an empty seed
  export  copy the contents of <cache> (minus ${SEED_MARKER}) into <out>,
          creating it if needed

Both preserve modes, owners, times, symlinks and hardlinks; existing entries
of the destination that the source lacks are kept.
`;

class UsageError extends Error {}

export async function runCopierCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    if (argv.includes("--help") || argv.includes("-h") || argv[0] === "help") {
      io.stdout(COPIER_USAGE);
      return 0;
    }
    const option = argv.find((a) => a.startsWith("-") && a !== "-");
    if (option !== undefined) throw new UsageError(`unknown option ${option}`);
    const [command, ...args] = argv;
    if (command === undefined) throw new UsageError("missing command (seed or export)");
    if (command !== "seed" && command !== "export") throw new UsageError(`unknown command ${JSON.stringify(command)} (expected seed or export)`);
    if (args.length !== 2 || args.some((a) => a === "")) throw new UsageError(`${command} takes exactly two directories, got ${args.length}`);
    const [from, to] = args as [string, string];

    if (command === "seed") {
      const r = await seedCache(from, to, { lock: { onWait: () => io.stdout("another build is seeding this cache; waiting for it to finish\n") } });
      const took = seconds(r.durationMs);
      if (r.skipped) io.stdout(`seed unchanged (fingerprint ${r.fingerprint.slice(0, 12)}…), skipped in ${took}\n`);
      else if (r.sourceMissing) io.stdout(`seed source ${from} does not exist: empty seed recorded in ${took}\n`);
      else io.stdout(`seeded ${summary(r.stats)} into the cache in ${took}${skippedNote(r.stats)}\n`);
    } else {
      const started = performance.now();
      const stats = await exportCache(from, to);
      io.stdout(`exported ${summary(stats)} from the cache in ${seconds(performance.now() - started)}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`cache-copier: ${err.message}\n${COPIER_USAGE}`);
      return 1;
    }
    const command = argv[0] ?? "";
    io.stderr(`cache-copier ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.CACHEFRONT_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return 1;
  }
}

function summary(s: CopyStats): string {
  const parts = [`${plural(s.filesCopied, "file")} (${formatBytes(s.bytes)})`];
  if (s.hardlinks > 0) parts.push(plural(s.hardlinks, "hardlink"));
  if (s.symlinks > 0) parts.push(plural(s.symlinks, "symlink"));
  return parts.join(", ");
}

function skippedNote(s: CopyStats): string {
  const notes: string[] = [];
  if (s.filesSkipped > 0) notes.push(`${plural(s.filesSkipped, "unchanged file")} kept`);
  if (s.specialSkipped > 0) notes.push(`${plural(s.specialSkipped, "special file")} (fifo/socket/device) not copied`);
  return notes.length > 0 ? `; ${notes.join(", ")}` : "";
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}
