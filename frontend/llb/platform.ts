/**
 * OCI platforms as LLB and image configs use them, normalized the way
 * containerd's `platforms.Normalize` does so that `linux/arm64/v8` and
 * `linux/arm64` (or `x86_64` and `amd64`) name the same thing everywhere we
 * compare, key results or write a platform into an op.
 */

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
  osVersion?: string;
  osFeatures?: string[];
}

export class PlatformError extends Error {}

export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase() === "macos" ? "darwin" : p.os.toLowerCase();
  let arch = p.architecture.toLowerCase();
  let variant = p.variant?.toLowerCase() ?? "";
  switch (arch) {
    case "i386":
      arch = "386";
      variant = "";
      break;
    case "x86_64":
    case "x86-64":
    case "amd64":
      arch = "amd64";
      if (variant === "v1") variant = "";
      break;
    case "aarch64":
    case "arm64":
      arch = "arm64";
      if (variant === "8" || variant === "v8") variant = "";
      break;
    case "armhf":
      arch = "arm";
      variant = "v7";
      break;
    case "armel":
      arch = "arm";
      variant = "v6";
      break;
    case "arm":
      if (variant === "" || variant === "7") variant = "v7";
      else if (variant === "5" || variant === "6" || variant === "8") variant = `v${variant}`;
      break;
  }
  const out: Platform = { os, architecture: arch };
  if (variant) out.variant = variant;
  if (p.osVersion) out.osVersion = p.osVersion;
  if (p.osFeatures && p.osFeatures.length > 0) out.osFeatures = [...p.osFeatures];
  return out;
}

/**
 * Parses `os[(osversion)]/arch[/variant]` (or just `arch`, meaning linux),
 * with containerd's `platforms.Parse` checks and messages.
 */
export function parsePlatform(spec: string): Platform {
  const trimmed = spec.trim();
  if (trimmed === "") throw new PlatformError("invalid platform: empty specifier");
  const quoted = JSON.stringify(trimmed);
  if (trimmed.includes("*")) throw new PlatformError(`${quoted}: wildcards not yet supported: invalid argument`);
  // At most four parts, as containerd splits: a fourth means too many.
  const split = trimmed.split("/");
  const parts = split.length > 4 ? [...split.slice(0, 3), split.slice(3).join("/")] : split;
  const os = OS_COMPONENT.exec(parts[0]!);
  if (!os) {
    throw new PlatformError(`${JSON.stringify(parts[0])} is an invalid OS component of ${quoted}: OSAndVersion specifier component must match ${JSON.stringify(OS_COMPONENT.source)}: invalid argument`);
  }
  for (const part of parts.slice(1)) {
    if (!COMPONENT.test(part)) {
      throw new PlatformError(`${JSON.stringify(part)} is an invalid component of ${quoted}: platform specifier component must match ${JSON.stringify(COMPONENT.source)}: invalid argument`);
    }
  }
  const osVersion = os[2] ? decodeOsOption(os[2]) : undefined;
  const osFeatures = os[3] ? os[3].slice(1).split("+").map(decodeOsOption) : undefined;
  let p: Platform;
  if (parts.length === 1) {
    // A bare word is an OS when it is a known one, else an architecture on linux.
    const word = os[1]!.toLowerCase();
    p = KNOWN_OS.has(word) ? { os: word, architecture: defaultArch() } : { os: "linux", architecture: word };
  } else if (parts.length === 2) {
    p = { os: os[1]!, architecture: parts[1]! };
  } else if (parts.length === 3) {
    p = { os: os[1]!, architecture: parts[1]!, variant: parts[2]! };
  } else {
    throw new PlatformError(`${quoted}: cannot parse platform specifier: invalid argument`);
  }
  if (osVersion) p.osVersion = osVersion;
  if (osFeatures) p.osFeatures = osFeatures;
  return normalizePlatform(p);
}

/** OS versions and features may %-escape the characters the syntax uses. */
function decodeOsOption(v: string): string {
  if (!v.includes("%")) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    throw new PlatformError(`invalid URL escape in ${JSON.stringify(v)}`);
  }
}

/** containerd's component patterns: the OS with its optional `(version+features)`, and the others. */
const OS_COMPONENT = /^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$/;
const COMPONENT = /^[A-Za-z0-9_.-]+$/;

const KNOWN_OS = new Set(["linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "android", "ios", "js", "plan9", "wasip1"]);

/** `os/arch[/variant]`, as containerd's `platforms.Format`. */
export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((x): x is string => !!x).join("/");
}

/** `os[(osversion)]/arch[/variant]`, as containerd's `platforms.FormatAll`; used as platform IDs in results. */
export function formatPlatformAll(p: Platform): string {
  const os = p.osVersion ? `${p.os}(${p.osVersion})` : p.os;
  return [os, p.architecture, p.variant].filter((x): x is string => !!x).join("/");
}

export function platformsEqual(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  return x.os === y.os && x.architecture === y.architecture && (x.variant ?? "") === (y.variant ?? "") && (x.osVersion ?? "") === (y.osVersion ?? "");
}

/** The platform this process runs on: the default when the engine names none. */
export function hostPlatform(): Platform {
  return normalizePlatform({ os: process.platform === "win32" ? "windows" : process.platform, architecture: defaultArch() });
}

function defaultArch(): string {
  switch (process.arch) {
    case "x64":
      return "amd64";
    case "ia32":
      return "386";
    case "arm":
      return "arm";
    default:
      return process.arch;
  }
}
