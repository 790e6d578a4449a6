/** Portable cache mounts: the copier that seeds a cache mount from a directory and exports it back. */
export { copyTree, emptyStats, type CopyOptions, type CopyStats } from "./copy-tree.ts";
export { fingerprintTree, emptyFingerprint, type FingerprintOptions } from "./fingerprint.ts";
export {
  seedCache,
  readSeedMarker,
  removeSeedMarker,
  isSeedMarker,
  SEED_MARKER,
  SEED_MARKER_VERSION,
  type SeedMarker,
  type SeedOptions,
  type SeedReport,
} from "./seed.ts";
export { exportCache, type ExportOptions } from "./export.ts";
export { runCopierCli, COPIER_USAGE, formatBytes, type CliIo } from "./cli.ts";
