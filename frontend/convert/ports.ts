/**
 * EXPOSE port specs: `[ip:][hostPort:]containerPort[-end][/proto]` to a list
 * of `port/proto`, in the order given (ranges expanded), as upstream does;
 * the EXPOSE parser has already sorted the arguments as text.
 */
import { isIP } from "node:net";

export function parsePortSpecs(specs: readonly string[]): string[] {
  return specs.flatMap(parsePortSpec);
}

function parsePortSpec(raw: string): string[] {
  const parts = raw.split(":");
  let ip = "";
  let hostPort = "";
  let containerPort: string;
  if (parts.length === 1) containerPort = parts[0]!;
  else if (parts.length === 2) [hostPort, containerPort] = [parts[0]!, parts[1]!];
  else {
    const n = parts.length;
    ip = parts.slice(0, n - 2).join(":");
    hostPort = parts[n - 2]!;
    containerPort = parts[n - 1]!;
  }
  const slash = containerPort.indexOf("/");
  const port = slash < 0 ? containerPort : containerPort.slice(0, slash);
  // As upstream: without a port there is no protocol either, so `/udp` and
  // an empty spec fail as an (empty) invalid protocol, checked first.
  const proto = port === "" ? "" : (slash < 0 ? "" : containerPort.slice(slash + 1).toLowerCase()) || "tcp";
  if (!["tcp", "udp", "sctp"].includes(proto)) throw new Error(`invalid proto: ${proto}`);
  if (ip.startsWith("[")) ip = ip.replace(/^\[|\]$/g, "");
  if (ip !== "" && (isIP(ip) === 0 || ip.includes("%"))) throw new Error(`invalid IP address: ${ip}`);
  const range = parseRange(port);
  if (!range) throw new Error(`invalid containerPort: ${port}`);
  if (hostPort !== "") {
    const host = parseRange(hostPort);
    if (!host) throw new Error(`invalid hostPort: ${hostPort}`);
    if (range[1] - range[0] !== host[1] - host[0] && range[1] !== range[0]) {
      throw new Error(`invalid ranges specified for container and host Ports: ${port} and ${hostPort}`);
    }
  }
  const out: string[] = [];
  for (let p = range[0]; p <= range[1]; p++) out.push(`${p}/${proto}`);
  return out;
}

function parseRange(s: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start > 65535 || end > 65535 || end < start) return undefined;
  return [start, end];
}
