/**
 * cachefront's extensions to the Dockerfile language, plugged into
 * conversion and solving through the ConvertExtension hooks. Each lives in
 * its own folder; this is the one place that lists them.
 */
import type { BuildOptions } from "../convert/build-options.ts";
import type { ConvertExtension } from "../convert/extension.ts";
import type { Caps } from "../gateway/session.ts";
import { CacheExportExtension } from "./cache-export/extension.ts";
import { CacheSeedExtension } from "./cache-seed/extension.ts";
import { CacheTtlExtension } from "./cache-ttl/extension.ts";

export function createExtensions(options: BuildOptions, caps: Caps): ConvertExtension[] {
  return [new CacheTtlExtension(options, caps), new CacheSeedExtension(), CacheExportExtension.fromBuildArgs(options.buildArgs)];
}
