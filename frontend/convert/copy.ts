/**
 * COPY and ADD: sources from the build context, another stage, an image or
 * heredocs, chained as copy actions in one file op (or merged onto the stage
 * with `--link` when the engine has MergeOp). Flags and history follow the
 * official frontend.
 */
import type * as I from "../dockerfile/instructions/index.ts";
import { commitHistory } from "../image/config.ts";
import { copy, file, mkfile, type CopyOptions, type FileAction } from "../llb/file.ts";
import { merge } from "../llb/merge.ts";
import { normalizePath } from "../llb/paths.ts";
import { http } from "../llb/source.ts";
import { parseGitRef, type GitRef } from "../input/git-ref.ts";
import { gitSource } from "./git-source.ts";
import { State } from "../llb/state.ts";
import { posix } from "node:path";
import { locationOf, type DispatchContext } from "./context.ts";
import { envGetter, expandWord } from "./expand.ts";
import { ShellLex } from "../dockerfile/shell/index.ts";
import { displayName, lines } from "./image-commands.ts";
import { prefixCommand } from "./naming.ts";
import { userOwner } from "./owner.ts";
import type { StageState } from "./stage-state.ts";
import { FEATURES, hasFeature, requireFeature } from "./engine-features.ts";

export interface CopyConfig {
  instruction: I.CopyInstruction | I.AddInstruction;
  /** Where local paths are read from: the build context or another stage. */
  source: State;
  fromContext: boolean;
  isAdd: boolean;
}

/** Destination relative to WORKDIR; "." and "" mean the directory itself. */
export function destPath(dir: string, p: string): string {
  if (posix.isAbsolute(p)) return normalizePath("/", p, true);
  return normalizePath(dir, p === "." || p === "" ? "./" : p, true);
}

export function dispatchCopy(d: StageState, cfg: CopyConfig, ctx: DispatchContext): void {
  const c = cfg.instruction;
  const expand = (w: string) => expandWord(ctx.lex, w, d.state.env);
  const rawDest = expand(c.dest);
  const sources = c.sourcePaths.map(expand);
  const chown = c.chown !== undefined ? expand(c.chown) : "";
  const chmod = c.chmod !== undefined ? expand(c.chmod) : "";
  const excludes = c.exclude.map(expand);
  const dest = destPath(d.state.dir, rawDest);
  const parents = c.kind === "copy" && c.parents;

  const base: CopyOptions = {
    owner: chown ? userOwner(chown) : undefined,
    excludePatterns: excludes.length > 0 ? excludes : undefined,
    timestamp: ctx.options.epoch ? BigInt(ctx.options.epoch.getTime()) * 1_000_000n : undefined,
    ...chmodFor(chmod, ctx),
  };
  if (excludes.length > 0 || parents) requireFeature(ctx.caps, FEATURES.copyPatterns);

  let message = cfg.isAdd ? "ADD" : "COPY";
  if (parents) message += " --parents";
  if (chown) message += ` --chown=${chown}`;
  if (chmod) message += ` --chmod=${chmod}`;

  const name = displayName(ctx, d, c.node.original.trim());
  const stepName = prefixCommand(d, name, ctx.prefixPlatform, d.platform, d.state.env);

  // Each source is parsed as a git reference once, for the checksum rule and the copy.
  const gitRefs = sources.map(gitRefOf);
  const checksum = c.kind === "add" && c.checksum !== undefined ? expand(c.checksum) : "";
  if (checksum) {
    if (sources.length !== 1) throw new Error("checksum can't be specified for multiple sources");
    if (!isUrl(sources[0]!) && gitRefs[0] === undefined) throw new Error("checksum requires HTTP(S) or Git sources");
  }

  const actions: FileAction[] = [];
  for (const [i, src] of sources.entries()) {
    message += ` ${src}`;
    const gitRef = gitRefs[i];
    if (gitRef) {
      if (!cfg.isAdd) throw new Error("source can't be a git ref for COPY");
      actions.push(addFromGit(gitRef, dest, base, stepName, c.kind === "add" ? { keepGitDir: c.keepGitDir, checksum } : {}, ctx, lines(c)));
      continue;
    }
    if (isUrl(src)) {
      if (!cfg.isAdd) throw new Error("source can't be a URL for COPY");
      if (checksum) requireFeature(ctx.caps, FEATURES.httpChecksum);
      actions.push(addFromUrl(src, dest, base, stepName, checksum, c, ctx));
      continue;
    }
    let path = src;
    let include: string[] | undefined;
    if (parents) {
      const pivot = src.indexOf("/./");
      const pattern = pivot >= 0 ? src.slice(pivot + 3) : src;
      path = pivot >= 0 ? src.slice(0, pivot) : "/";
      include = [normalizePath("/", pattern, false).replace(/^\//, "")];
    }
    actions.push(
      copy(cfg.source, posix.join("/", path), dest, {
        ...base,
        followSymlinks: true,
        copyDirContentsOnly: true,
        includePatterns: include,
        attemptUnpack: c.kind === "add" ? (c.unpack ?? true) : false,
        createDestPath: true,
        allowWildcard: true,
        allowEmptyWildcard: true,
      }),
    );
    if (cfg.fromContext) d.ctxPaths.add(posix.join("/", src));
  }
  for (const doc of c.sourceContents) {
    message += ` <<${doc.path}`;
    const data = doc.expand ? new ShellLex("\\", { skipProcessQuotes: true }).processWord(doc.data, envGetter(d.state.env)).result : doc.data;
    const inline = file(State.scratch(), [mkfile(doc.path, 0o644, data)], {
      customName: "[internal] preparing inline document",
    });
    actions.push(copy(inline, doc.path, dest, { ...base, createDestPath: true }));
  }
  message += ` ${rawDest}`;
  if (actions.length === 0) throw new Error(`${cfg.isAdd ? "ADD" : "COPY"} requires at least one source`);

  const fileConstraints = { customName: stepName, locations: locationOf(ctx, lines(c)), ignoreCache: d.ignoreCache || undefined };
  const link = c.link && !chmod && ctx.caps.llb.has("mergeop");
  if (link) {
    // --link: copy onto scratch so the layer does not depend on what is below it,
    // then merge. Both vertices show the same step number in one progress group.
    const groupId = `link-${d.stageName || "stage"}-${d.cmdIndex}-${c.node.startLine}`;
    const layer = file(State.scratch().withDir(d.state.dir), actions, { ...fileConstraints, progressGroup: { id: groupId, name: stepName, weak: true } });
    d.cmdIndex--;
    const linkName = prefixCommand(d, `LINK ${name}`, ctx.prefixPlatform, d.platform, d.state.env);
    d.state = merge([d.state, layer], { ...fileConstraints, customName: linkName, progressGroup: { id: groupId, name: stepName, weak: false } }).withMetaOf(d.state);
  } else {
    d.state = file(d.state, actions, fileConstraints);
  }
  commitHistory(d.image, message, true, true, ctx.options.epoch);
}

const isUrl = (src: string) => /^https?:\/\//.test(src);

/** A git reference as an ADD source; the deprecated bare `github.com/...` form stays a local path here, as upstream. */
function gitRefOf(src: string): GitRef | undefined {
  const parsed = parseGitRef(src);
  return parsed.kind === "git" && !parsed.ref.indistinguishableFromLocal ? parsed.ref : undefined;
}

/** ADD <git ref>: the repository's tree (at ref, subdir) copied to dest; flags and URL query must agree. */
function addFromGit(
  ref: GitRef,
  dest: string,
  base: CopyOptions,
  stepName: string,
  flags: { keepGitDir?: boolean; checksum?: string },
  ctx: DispatchContext,
  at: { start: number; end: number }[],
): FileAction {
  if (flags.keepGitDir !== undefined && ref.keepGitDir !== undefined && flags.keepGitDir !== ref.keepGitDir) {
    throw new Error("inconsistent keep-git-dir configuration");
  }
  if (flags.checksum && ref.checksum && flags.checksum !== ref.checksum) {
    throw new Error(`checksum mismatch ${JSON.stringify(flags.checksum)} != ${JSON.stringify(ref.checksum)}`);
  }
  const keepGitDir = ref.keepGitDir ?? flags.keepGitDir ?? false;
  const checksum = ref.checksum || flags.checksum || "";
  // Located, so a failed fetch points at the ADD line (the official frontend leaves it unlocated).
  const st = gitSource(ref, { keepGitDir, checksum, constraints: { customName: stepName, locations: locationOf(ctx, at) } }, ctx.caps);
  return copy(st, "/", dest, { ...base, createDestPath: true });
}

function addFromUrl(src: string, dest: string, base: CopyOptions, stepName: string, checksum: string, c: I.CopyInstruction | I.AddInstruction, ctx: DispatchContext): FileAction {
  let filename = "__unnamed__";
  try {
    const b = posix.basename(new URL(src).pathname);
    if (b && b !== "." && b !== "/") filename = b;
  } catch {
    // An unparsable URL keeps the placeholder name, as upstream.
  }
  const st = http(src, { filename, checksum: checksum || undefined, constraints: { customName: stepName, description: { "com.docker.dockerfile.v1.command": c.node.original.trim() }, locations: locationOf(ctx, lines(c)) } });
  return copy(st, filename, dest, { ...base, createDestPath: true, attemptUnpack: c.kind === "add" ? (c.unpack ?? false) : false });
}

/**
 * The --chmod to send: a symbolic mode goes as a mode string when the engine
 * understands one; for older engines an absolute symbolic mode (every class
 * set with "=") is the same as a number, anything relative fails clearly.
 */
function chmodFor(chmod: string, ctx: DispatchContext): Pick<CopyOptions, "mode" | "modeStr"> {
  const parsed = parseChmod(chmod);
  if (parsed.modeStr === undefined || hasFeature(ctx.caps, FEATURES.copyModeString)) return parsed;
  const absolute = absoluteMode(parsed.modeStr);
  if (absolute !== undefined) return { mode: absolute };
  requireFeature(ctx.caps, FEATURES.copyModeString);
  return parsed;
}

/** The number a symbolic mode stands for when it sets u, g and o outright; undefined when it depends on the file. */
export function absoluteMode(symbolic: string): number | undefined {
  const classes = { u: { shift: 6, special: 0o4000, flag: "s" }, g: { shift: 3, special: 0o2000, flag: "s" }, o: { shift: 0, special: 0o1000, flag: "t" } } as const;
  // A later clause replaces what an earlier one set for the same class, as chmod(1) does.
  const set: Partial<Record<keyof typeof classes, number>> = {};
  for (const clause of symbolic.split(",")) {
    const m = /^([ugoa]+)=([rwxst]*)$/.exec(clause);
    if (!m) return undefined;
    const who = m[1]!.includes("a") ? (["u", "g", "o"] as const) : ([...new Set(m[1]!)] as (keyof typeof classes)[]);
    const perms = m[2]!;
    const rwx = (perms.includes("r") ? 4 : 0) | (perms.includes("w") ? 2 : 0) | (perms.includes("x") ? 1 : 0);
    for (const w of who) {
      const c = classes[w];
      set[w] = (rwx << c.shift) | (perms.includes(c.flag) ? c.special : 0);
    }
  }
  if (set.u === undefined || set.g === undefined || set.o === undefined) return undefined;
  return set.u | set.g | set.o;
}

/** Octal modes go as numbers; anything else as a symbolic mode string for the engine to apply. */
export function parseChmod(chmod: string): Pick<CopyOptions, "mode" | "modeStr"> {
  if (!chmod) return {};
  const invalid = `invalid chmod parameter: '${chmod}'. it should be octal string and between 0 and 07777`;
  if (/^[0-7]+$/.test(chmod)) {
    const mode = parseInt(chmod, 8);
    if (mode > 0o7777) throw new Error(invalid);
    return { mode };
  }
  if (/^\d+$/.test(chmod)) throw new Error(invalid);
  if (!/^([ugoa]*[-+=]([rwxXst]*|[ugo]))(,([ugoa]*[-+=]([rwxXst]*|[ugo])))*$/.test(chmod)) throw new Error(invalid);
  return { modeStr: chmod };
}
