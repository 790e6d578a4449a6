/**
 * cachefront's own image, for the helper steps extensions run (the cache
 * copier ships in our bundle, so no other image is ever pulled). BuildKit
 * tells the frontend its image reference in the `source` opt; we pin it by
 * digest so a tag moving mid-build cannot swap the tool under us.
 */
import type { FrontendImage } from "../convert/extension.ts";
import { messageOf } from "../gateway/errors.ts";
import type { Gateway } from "../gateway/session.ts";
import { imagePlatform, parseImageConfig } from "../image/config.ts";
import { normalizeReference, withDigest } from "../image/reference.ts";
import { image } from "../llb/source.ts";
import { EnvList } from "../llb/env-list.ts";

export async function resolveFrontendImage(gw: Gateway): Promise<FrontendImage> {
  const source = gw.env.opts.get("source");
  if (!source) {
    throw new Error("cachefront's own image is unknown (no `source` frontend opt): run cachefront through `# syntax=`, BUILDKIT_SYNTAX or `buildctl --opt source=`");
  }
  const ref = normalizeReference(source);
  let res;
  try {
    res = await gw.resolveImageConfig(ref, { logName: `[internal] load metadata for cachefront image ${source}` });
  } catch (e) {
    throw new Error(`resolving cachefront's own image ${source}: ${messageOf(e)}`);
  }
  const img = parseImageConfig(res.config);
  const pinned = res.digest ? withDigest(ref, res.digest) : ref;
  const state = image(pinned, { platform: imagePlatform(img), recordType: "internal" }).withEnv(EnvList.fromStrings(img.config.Env ?? []));
  return { state, entrypoint: img.config.Entrypoint ?? ["node", "/cachefront/cachefront.mjs"] };
}
