/**
 * What BuildKit tells a gateway frontend through its process environment.
 *
 * The gateway passes every frontend opt as `BUILDKIT_FRONTEND_OPT_<n>=key=value`
 * (n in Go map order, so arbitrary), plus the session id, the workers and the
 * product name. Values may themselves contain `=`: split at the first one only.
 */

export interface OciPlatform {
  os: string;
  architecture: string;
  variant?: string;
  "os.version"?: string;
  "os.features"?: string[];
}

export interface WorkerInfo {
  id: string;
  labels: Record<string, string>;
  platforms: OciPlatform[];
}

export interface FrontendEnvironment {
  /** Frontend opts (`build-arg:FOO`, `target`, `filename`, `context:x`, ...). */
  opts: ReadonlyMap<string, string>;
  sessionId: string;
  workers: WorkerInfo[];
  product: string;
}

const OPT_PREFIX = "BUILDKIT_FRONTEND_OPT_";

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): FrontendEnvironment {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(OPT_PREFIX) || value === undefined) continue;
    const eq = value.indexOf("=");
    if (eq < 0) entries.push([value, ""]);
    else entries.push([value.slice(0, eq), value.slice(eq + 1)]);
  }
  // Sort so everything derived from opts is independent of Go's map order.
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    opts: new Map(entries),
    sessionId: env.BUILDKIT_SESSION_ID ?? "",
    workers: parseWorkers(env.BUILDKIT_WORKERS),
    product: env.BUILDKIT_EXPORTEDPRODUCT ?? "buildkit",
  };
}

function parseWorkers(raw: string | undefined): WorkerInfo[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    return parsed.map((w: Record<string, unknown>) => ({
      id: String(w.id ?? ""),
      labels: (w.labels as Record<string, string>) ?? {},
      platforms: ((w.platforms as OciPlatform[] | undefined) ?? []).map((p) => ({ ...p })),
    }));
  } catch {
    // A malformed worker list only costs us the default platform guess.
    return [];
  }
}
