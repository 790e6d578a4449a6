// Text → instruction nodes (upstream parser.Parse).
//
// dockerfile-ast proposes where each instruction lies (segments.ts); every
// instruction is then re-read here with upstream's exact line rules
// (continuation.ts) so that Node.Original, line numbers, comments, warnings
// and heredoc bodies match BuildKit byte for byte.

import { continuationMatcher, isComment, isEmptyContinuationLine, processLine } from "./continuation.ts";
import { scanDirectives } from "./directives.ts";
import { heredocsFromLine } from "./heredoc.ts";
import { newNodeFromLine } from "./line-parsers.ts";
import { DockerfileParseError, type InstructionNode, type ParseResult, type ParseWarning } from "./nodes.ts";
import { AstSegmenter, type Divergence } from "./segments.ts";
import { splitRawLines, trimNewline, trimSpace } from "./text.ts";

/** Instructions whose shell-form lines may open heredocs. */
const heredocKeywords = new Set(["add", "copy", "run"]);

// bufio.Scanner's default limit; upstream reports longer lines as an error.
const maxLineBytes = 64 * 1024;

export const emptyContinuationRule = "NoEmptyContinuation";
export const emptyContinuationURL = "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/";

function canContainHeredoc(node: InstructionNode): boolean {
  const n = node.keyword === "onbuild" && node.child ? node.child : node;
  return heredocKeywords.has(n.keyword) && !n.json;
}

function setLines(node: InstructionNode, start: number, end: number): void {
  node.startLine = start;
  node.endLine = end;
  if (node.child) setLines(node.child, start, end);
}

/** Index of the first line the Go scanner would refuse, or -1. */
function firstTooLongLine(lines: readonly string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.length * 3 < maxLineBytes) continue; // a UTF-16 unit is at most 3 UTF-8 bytes
    const bytes = Buffer.byteLength(l, "utf8");
    // The scanner's buffer holds 64 KiB: a longer line fails, and so does a
    // final line that fills it without a newline.
    if (bytes > maxLineBytes || (bytes === maxLineBytes && !l.endsWith("\n"))) return i;
  }
  return -1;
}

export function parseDockerfile(text: string): ParseResult {
  return parseDockerfileDetailed(text).result;
}

/**
 * parseDockerfile plus the places where dockerfile-ast's segmentation had to
 * be corrected to upstream's (tests and debugging).
 */
export function parseDockerfileDetailed(text: string): { result: ParseResult; divergences: Divergence[] } {
  const src = text.startsWith("\ufeff") ? text.slice(1) : text;
  let lines = splitRawLines(src);
  // Upstream stops reading at an over-long line and reports it after the
  // instructions before it were parsed (errors among those come first).
  const tooLong = firstTooLongLine(lines);
  if (tooLong >= 0) lines = lines.slice(0, tooLong);

  const { escapeToken, directives, count: directiveLines } = scanDirectives(lines);
  const continuation = continuationMatcher(escapeToken);
  const segmenter = new AstSegmenter(lines, escapeToken);

  const nodes: InstructionNode[] = [];
  const warnings: ParseWarning[] = [];
  let comments: string[] = [];
  let i = 0;

  while (i < lines.length) {
    const raw = lines[i]!;
    if (isComment(raw)) {
      // Upstream drops the first character of the raw line (the `#` unless
      // the comment is indented) and trims; an empty comment resets the block.
      const c = trimSpace(raw.slice(1));
      if (c === "") comments = [];
      else comments.push(c);
    }
    if (i < directiveLines) {
      // Directives are not descriptions of the first instruction.
      comments.pop();
      i++;
      continue;
    }
    const first = processLine(raw, true);
    i++;
    const startLine = i;
    let { text: line, endOfLine } = continuation(first);
    if (endOfLine && line === "") continue;

    const seg = segmenter.at(startLine - 1);

    let hasEmptyContinuationLine = false;
    while (!endOfLine && i < lines.length) {
      const next = lines[i]!;
      const processed = processLine(next, false);
      i++;
      if (isComment(next)) continue; // comments may sit inside a continuation
      if (isEmptyContinuationLine(processed)) {
        hasEmptyContinuationLine = true;
        continue;
      }
      const c = continuation(processed);
      line += c.text;
      endOfLine = c.endOfLine;
    }

    if (hasEmptyContinuationLine) {
      warnings.push({
        message: "Empty continuation line found in: " + line,
        line: i,
        rule: emptyContinuationRule,
        url: emptyContinuationURL,
        detail: "Empty continuation lines will become errors in a future release",
      });
    }

    let node: InstructionNode;
    try {
      node = newNodeFromLine(line, escapeToken, comments.slice());
    } catch (e) {
      throw new DockerfileParseError((e as Error).message, startLine, i);
    }

    if (canContainHeredoc(node) && line.includes("<<")) {
      let openers;
      try {
        openers = heredocsFromLine(line);
      } catch (e) {
        throw new DockerfileParseError((e as Error).message, startLine, i);
      }
      // Bodies follow the instruction line one after another, in the order
      // their openers appear.
      for (const opener of openers) {
        let content = "";
        let terminated = false;
        while (i < lines.length) {
          const bodyLine = lines[i]!;
          i++;
          let candidate = trimNewline(bodyLine);
          if (opener.chomp) candidate = candidate.replace(/^\t+/, "");
          if (candidate === opener.name) {
            terminated = true;
            break;
          }
          content += bodyLine;
        }
        if (!terminated) throw new DockerfileParseError("unterminated heredoc", startLine, i);
        node.heredocs.push({ ...opener, content });
      }
      // The trigger of an ONBUILD owns the same bodies (upstream keeps them
      // on the ONBUILD node only; copying saves consumers a special case).
      if (node.child) node.child.heredocs = node.heredocs.map((h) => ({ ...h }));
    }

    setLines(node, startLine, i);
    segmenter.reconcile(seg, i - 1);
    nodes.push(node);
    comments = [];
  }

  if (tooLong >= 0) {
    // Point at the over-long line itself (`lines` stops before it).
    throw new DockerfileParseError(`dockerfile line greater than max allowed size of ${maxLineBytes - 1}`, tooLong + 1);
  }
  if (nodes.length === 0) {
    throw new DockerfileParseError("file with no instructions", Math.max(lines.length, 1));
  }
  return { result: { nodes, escapeToken, directives, warnings }, divergences: segmenter.divergences };
}
