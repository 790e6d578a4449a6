/**
 * Build warnings, sent through the gateway's Warn API the way the official
 * frontend sends its build-check warnings: attached to the Dockerfile-loading
 * vertex, `short` as "<Rule>: <message> (line N)", the rule's description as
 * the detail and its documentation URL, with the Dockerfile source and ranges
 * so buildx can show the snippet. Collected during conversion and flushed
 * before Return.
 */
import { create } from "@bufbuild/protobuf";
import { SourceInfoSchema } from "./gen/moby/buildkit/solver/ops_pb.ts";
import type { Gateway } from "./gateway/session.ts";
import type { DockerfileSource } from "./input/dockerfile-source.ts";
import type { RuleInfo } from "./checks/index.ts";

interface Pending {
  rule: RuleInfo;
  message: string;
  lines: { start: number; end: number }[];
}

export class Warnings {
  private readonly pending: Pending[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly gw: Gateway,
    private readonly dockerfile: DockerfileSource,
  ) {}

  add(rule: RuleInfo, message: string, lines: readonly { start: number; end: number }[]): void {
    const key = `${rule.name}\0${message}\0${lines.map((l) => `${l.start}-${l.end}`).join(",")}`;
    // A check that fires twice at the same place is reported once.
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.pending.push({ rule, message, lines: [...lines] });
  }

  async flush(): Promise<void> {
    const info = create(SourceInfoSchema, {
      filename: this.dockerfile.filename,
      data: this.dockerfile.data,
      language: "Dockerfile",
      definition: this.dockerfile.definition,
    });
    // One after another, in the order reported (upstream sends each as its check fires).
    for (const w of this.pending.splice(0)) {
      await this.gw
        .warn({
          digest: this.dockerfile.loaderDigest,
          level: 1,
          short: this.short(w),
          detail: [w.rule.description],
          url: w.rule.url,
          info,
          ranges: w.lines,
        })
        .catch((e: unknown) => console.error(`cachefront: could not send warning: ${(e as Error).message}`));
    }
  }

  private short(w: Pending): string {
    const line = w.lines[0] ? ` (line ${w.lines[0].start})` : "";
    return `${w.rule.name}: ${w.message}${line}`;
  }
}
