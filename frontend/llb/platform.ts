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

/** Parses `os/arch[/variant]` (or just `arch`, meaning linux). */
export function parsePlatform(spec: string): Platform {
  const trimmed = spec.trim();
  if (trimmed === "") throw new PlatformError("invalid platform: empty specifier");
  let osVersion: string | undefined;
  let body = trimmed;
  const paren = /^([^(]*)\(([^)]*)\)(.*)$/.exec(trimmed);
  if (paren) {
    body = `${paren[1]}${paren[3]}`;
    osVersion = paren[2];
  }
  const parts = body.split("/");
  if (parts.some((x) => !/^[A-Za-z0-9_.-]+$/.test(x))) {
    throw new PlatformError(`invalid platform: "${spec}" is an invalid component`);
  }
  let p: Platform;
  if (parts.length === 1) {
    // A bare word is an OS when it is a known one, else an architecture on linux.
    const word = parts[0]!.toLowerCase();
    p = KNOWN_OS.has(word) ? { os: word, architecture: defaultArch() } : { os: "linux", architecture: word };
  } else if (parts.length === 2) {
    p = { os: parts[0]!, architecture: parts[1]! };
  } else if (parts.length === 3) {
    p = { os: parts[0]!, architecture: parts[1]!, variant: parts[2]! };
  } else {
    throw new PlatformError(`invalid platform: cannot parse "${spec}"`);
  }
  if (osVersion) p.osVersion = osVersion;
  return normalizePlatform(p);
}

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
