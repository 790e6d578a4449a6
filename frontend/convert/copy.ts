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
import { State } from "../llb/state.ts";
import { posix } from "node:path";
import { locationOf, type DispatchContext } from "./context.ts";
import { envGetter, expandWord } from "./expand.ts";
import { ShellLex } from "../dockerfile/shell/index.ts";
import { displayName, lines } from "./image-commands.ts";
import { prefixCommand } from "./naming.ts";
import { userOwner } from "./owner.ts";
import type { StageState } from "./stage-state.ts";

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
    ...parseChmod(chmod),
  };

  let message = cfg.isAdd ? "ADD" : "COPY";
  if (parents) message += " --parents";
  if (chown) message += ` --chown=${chown}`;
  if (chmod) message += ` --chmod=${chmod}`;

  const name = displayName(ctx, d, c.node.original.trim());
  const stepName = prefixCommand(d, name, ctx.prefixPlatform, d.platform, d.state.env);

  const actions: FileAction[] = [];
  for (const src of sources) {
    message += ` ${src}`;
    if (/^https?:\/\//.test(src)) {
      if (!cfg.isAdd) throw new Error("source can't be a URL for COPY");
      actions.push(addFromUrl(src, dest, base, stepName, c));
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

function addFromUrl(src: string, dest: string, base: CopyOptions, stepName: string, c: I.CopyInstruction | I.AddInstruction): FileAction {
  let filename = "__unnamed__";
  try {
    const b = posix.basename(new URL(src).pathname);
    if (b && b !== "." && b !== "/") filename = b;
  } catch {
    // An unparsable URL keeps the placeholder name, as upstream.
  }
  const checksum = c.kind === "add" ? c.checksum : undefined;
  const st = http(src, { filename, checksum, constraints: { customName: stepName, description: { "com.docker.dockerfile.v1.command": c.node.original.trim() } } });
  return copy(st, filename, dest, { ...base, createDestPath: true, attemptUnpack: c.kind === "add" ? (c.unpack ?? false) : false });
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
