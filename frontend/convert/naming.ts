/**
 * Progress names in the official frontend's format:
 * `[<platform>[-><target>] <stage> <i>/<n>] <INSTRUCTION text>`.
 * Users read these in `docker buildx build` output, so they match upstream
 * exactly, including the right-aligned step counter.
 */
import { formatPlatformAll, normalizePlatform, parsePlatform, type Platform } from "../llb/platform.ts";
import type { EnvList } from "../llb/env-list.ts";

export interface StepCounter {
  /** "" when the Dockerfile has a single stage. */
  stageName: string;
  cmdTotal: number;
  cmdIndex: number;
  /** Set while dispatching ONBUILD triggers. */
  cmdIsOnBuild: boolean;
}

/** Prefixes `text` with the next step number of `stage` (and bumps the counter). */
export function prefixCommand(stage: StepCounter, text: string, prefixPlatform: boolean, platform: Platform | undefined, env?: EnvList): string {
  if (stage.cmdTotal === 0) return text;
  let out = "[";
  if (prefixPlatform && platform) out += formatPlatformAll(platform) + formatTargetPlatform(platform, env ? platformFromEnv(env) : undefined) + " ";
  if (stage.stageName) out += `${stage.stageName} `;
  stage.cmdIndex++;
  const width = String(stage.cmdTotal).length;
  out += `${String(stage.cmdIndex).padStart(width, " ")}/${stage.cmdTotal}] `;
  if (stage.cmdIsOnBuild) out += "ONBUILD ";
  return out + text;
}

/** Upper-cases the first word (the instruction keyword), as upstream's uppercaseCmd. */
export function uppercaseCmd(text: string): string {
  const i = text.indexOf(" ");
  return i < 0 ? text.toUpperCase() : text.slice(0, i).toUpperCase() + text.slice(i);
}

/** `->arch` when a stage cross-compiles (TARGET* differs from the stage's platform). */
function formatTargetPlatform(base: Platform, target: Partial<Platform> | undefined): string {
  if (!target) return "";
  const p = normalizePlatform({ os: target.os || base.os, architecture: target.architecture || base.architecture, variant: target.variant });
  if (p.os === base.os && p.architecture !== base.architecture) return `->${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
  if (p.os !== base.os) return `->${formatPlatformAll(p)}`;
  return "";
}

function platformFromEnv(env: EnvList): Partial<Platform> | undefined {
  const p: Partial<Platform> = {};
  let set = false;
  for (const key of env.keys()) {
    const v = env.get(key) ?? "";
    switch (key) {
      case "TARGETPLATFORM":
        try {
          return parsePlatform(v);
        } catch {
          continue;
        }
      case "TARGETOS":
        p.os = v;
        set = true;
        break;
      case "TARGETARCH":
        p.architecture = v;
        set = true;
        break;
      case "TARGETVARIANT":
        p.variant = v;
        set = true;
        break;
    }
  }
  return set ? p : undefined;
}

/** First line of a heredoc, with `...` when there are more (RUN progress names). */
export function summarizeHeredoc(doc: string): string {
  const lines = doc.trim().replace(/\r\n/g, "\n").split("\n");
  return lines.length > 1 ? `${lines[0]}...` : lines[0]!;
}
