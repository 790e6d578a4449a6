/**
 * Resolving base images: every reachable stage that starts from an image
 * gets its config through ResolveImageConfig, all in parallel, and becomes a
 * digest-pinned `docker-image://` source (or scratch, for layerless images).
 */
import { LocatedError, messageOf } from "../gateway/errors.ts";
import type { Gateway } from "../gateway/session.ts";
import { cloneImage, emptyImage, hasNoLayers, imagePlatform, parseImageConfig } from "../image/config.ts";
import { normalizeReference, withDigest, ReferenceError } from "../image/reference.ts";
import { image } from "../llb/source.ts";
import { formatPlatformAll, type Platform } from "../llb/platform.ts";
import { State } from "../llb/state.ts";
import { locationOf, type DispatchContext } from "./context.ts";
import { prefixCommand } from "./naming.ts";
import type { StageState } from "./stage-state.ts";

export const SCRATCH = "scratch";

export async function resolveBaseImages(gw: Gateway, ctx: DispatchContext, all: readonly StageState[], reachable: ReadonlySet<StageState>, implicitTarget: boolean): Promise<void> {
  const pending: Promise<void>[] = [];
  for (const d of all) {
    if (d.base || d.dispatched || d.resolved) continue;
    const isReachable = reachable.has(d);
    d.resolved = isReachable;
    if (d.namedContext) {
      if (isReachable) pending.push(loadStageContext(ctx, d));
      continue;
    }
    if (d.baseName.toLowerCase() === SCRATCH && !ctx.namedContexts.has(SCRATCH)) {
      d.state = State.scratch();
      d.image = emptyImage(ctx.targetPlatform);
      d.platform = ctx.targetPlatform;
      if (d.unregistered) d.dispatched = true;
      continue;
    }
    if (isReachable) pending.push(resolveBaseImage(gw, ctx, d, implicitTarget));
  }
  await Promise.all(pending);
}

/** A stage replaced by a named context: its content is the context, nothing of the stage is dispatched. */
async function loadStageContext(ctx: DispatchContext, d: StageState): Promise<void> {
  const platform = d.platform ?? ctx.targetPlatform;
  const loaded = await loadContext(ctx, d.namedContext!, platform, d.location);
  d.dispatched = true;
  d.state = loaded!.state;
  d.platform = platform;
  d.image = loaded!.image ? { ...loaded!.image } : emptyImage(platform);
  if (loaded!.image?.os && loaded!.image.architecture) d.platform = imagePlatform(loaded!.image);
}

async function loadContext(ctx: DispatchContext, name: string, platform: Platform, where: { start: number; end: number }[]) {
  try {
    return await ctx.namedContexts.load(name, platform);
  } catch (e) {
    throw new LocatedError(messageOf(e), where);
  }
}

async function resolveBaseImage(gw: Gateway, ctx: DispatchContext, d: StageState, implicitTarget: boolean): Promise<void> {
  try {
    await resolveBaseImageOrContext(gw, ctx, d, implicitTarget);
  } catch (e) {
    if (!d.optional) throw e;
    // An optional source (a cache mount's base image): record why and go on empty.
    d.missing = e instanceof Error ? e.message : String(e);
    d.state = State.scratch();
    d.image = emptyImage(ctx.targetPlatform);
    d.platform = ctx.targetPlatform;
    d.dispatched = true;
  }
}

async function resolveBaseImageOrContext(gw: Gateway, ctx: DispatchContext, d: StageState, implicitTarget: boolean): Promise<void> {
  const origName = d.baseName;
  const named = await loadContext(ctx, d.baseName, d.platform ?? ctx.targetPlatform, d.location);
  if (named) {
    const platform = d.platform ?? ctx.targetPlatform;
    d.baseImage = named.image && cloneImage(named.image);
    d.image = named.image ? { ...named.image } : emptyImage(platform);
    d.state = named.state.withPlatform(platform);
    d.platform = platform;
    if (d.unregistered) d.dispatched = true;
    return;
  }
  let ref: string;
  try {
    ref = normalizeReference(d.baseName);
  } catch (e) {
    const why = e instanceof ReferenceError ? e.message : String(e);
    throw new LocatedError(`failed to parse stage name "${origName}": ${why}`, d.location);
  }
  let platform: Platform = d.platform ?? ctx.targetPlatform;
  const prefix = ctx.prefixPlatform ? `[${formatPlatformAll(platform)} internal]` : "[internal]";
  let res;
  try {
    res = await gw.resolveImageConfig(ref, {
      platform,
      resolveMode: ctx.options.imageResolveMode,
      logName: `${prefix} load metadata for ${ref}`,
    });
  } catch (e) {
    throw new LocatedError(`${origName}: ${messageOf(e)}`, d.location);
  }
  if (res.ref && res.ref !== ref) ref = normalizeReference(res.ref);
  let img;
  try {
    img = parseImageConfig(res.config);
  } catch (e) {
    throw new LocatedError(`${origName}: ${messageOf(e)}`, d.location);
  }
  d.baseImage = cloneImage({ ...img });
  if (!d.platform && implicitTarget) platform = autoDetectPlatform(img.os, img.architecture, platform, ctx.buildPlatforms);
  if (res.digest) ref = withDigest(ref, res.digest);
  d.baseName = ref;
  d.image = img;
  if (hasNoLayers(img)) {
    d.state = State.scratch();
  } else {
    ctx.checks.baseImage(origName, platform, img, d.location);
    d.state = image(ref, {
      platform,
      resolveMode: ctx.options.imageResolveMode,
      constraints: {
        customName: prefixCommand(d, `FROM ${ref}`, ctx.prefixPlatform, platform),
        description: { "com.docker.dockerfile.v1.command": d.stage?.from.node.original.trim() ?? "" },
        locations: locationOf(ctx, d.location),
      },
    });
  }
  d.platform = platform;
  // An image named directly by COPY --from or a mount has nothing to dispatch.
  if (d.unregistered) d.dispatched = true;
}

function autoDetectPlatform(os: string, arch: string, target: Platform, supported: readonly Platform[]): Platform {
  if (target.os === os && target.architecture === arch) return target;
  return supported.find((p) => p.os === os && p.architecture === arch) ?? target;
}
