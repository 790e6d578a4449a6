/**
 * Frontend capabilities: what cachefront implements, and the check of a
 * request's `frontend.caps` opt against it, as the official frontend checks
 * (builder/caps.go). Clients ask for caps they need, e.g. buildx and buildctl
 * send `moby.buildkit.frontend.subrequests` with a subrequest; anything after
 * a `+` is a modifier, not part of the name.
 *
 * The gateway already refuses, before starting the frontend, a request for a
 * cap missing from the image's `moby.buildkit.frontend.caps` label; this
 * check answers the same way when the opt reaches us anyway (another gateway,
 * buildctl --opt, tests). FRONTEND_CAPS and the label in the Dockerfile must
 * list the same caps (a unit test compares them).
 */
import { unsupportedFrontendCap, type TypedError } from "./errors.ts";

export const FRONTEND_CAPS_OPT = "frontend.caps";

/** `gitquerystring`: git URLs may carry ?ref=, ?tag=, ?branch=, ?subdir=, ?checksum=, ?keep-git-dir=, ?submodules= (input/git-ref.ts). */
export const FRONTEND_CAPS: readonly string[] = ["moby.buildkit.frontend.inputs", "moby.buildkit.frontend.subrequests", "moby.buildkit.frontend.contexts", "moby.buildkit.frontend.gitquerystring"];

export interface CapsCheck {
  /** The unsupported cap's error (`errdefs.FrontendCap+json`, code Unimplemented). */
  error?: TypedError;
  /**
   * Every unsupported cap was marked `+forward`: upstream fails only if it
   * does not forward the build to another frontend, which it decides after
   * reading the Dockerfile. cachefront never forwards, so it fails then.
   */
  forward: boolean;
}

export function checkFrontendCaps(requested: string | undefined, supported: readonly string[] = FRONTEND_CAPS): CapsCheck {
  let error: TypedError | undefined;
  let forward = false;
  for (const entry of (requested ?? "").split(",")) {
    if (entry === "") continue;
    const name = entry.split("+")[0]!;
    if (supported.includes(name)) continue;
    error = unsupportedFrontendCap(name);
    if (!entry.includes("+forward")) return { error, forward: false };
    forward = true;
  }
  return { error, forward };
}
