// dockerfile-ast as the segmentation base.
//
// dockerfile-ast splits the text into instructions (continuations with the
// escape character, comments and blank lines inside continuations, heredoc
// bodies). Upstream BuildKit differs from it in a handful of corners — an
// escaped escape at the end of a line (`foo\\`) is not a continuation, `3<<EOF`
// and several heredocs per line open heredocs, a JSON-form RUN never has
// heredocs, an unknown directive ends the directive block — so the parser
// re-reads every instruction with upstream's rules (parser.ts) and asks this
// class where dockerfile-ast put it. When the two disagree, upstream's reading
// wins and dockerfile-ast re-parses the rest of the file from the first line
// whose segmentation is in doubt, so one divergence does not cascade.

import { DockerfileParser } from "dockerfile-ast";
import { isComment } from "./continuation.ts";
import { trimNewline } from "./text.ts";

export interface AstSegment {
  /** 0-based first and last line of the instruction, as dockerfile-ast sees it. */
  start: number;
  end: number;
  /** Upper-cased instruction word. */
  keyword: string;
}

export interface Divergence {
  /** 0-based line where upstream's and dockerfile-ast's readings differ. */
  line: number;
  reason: "missing-start" | "different-end";
  astEnd?: number;
  end?: number;
}

export class AstSegmenter {
  private byStart = new Map<number, AstSegment>();
  private parsedFrom = 0;
  /** Where dockerfile-ast needed correcting; useful in tests and debugging. */
  readonly divergences: Divergence[] = [];

  constructor(
    private readonly lines: readonly string[],
    private readonly escapeToken: string,
  ) {
    this.parseFrom(0);
  }

  /**
   * dockerfile-ast's instruction starting at 0-based `line`. When the current
   * parse has none there (an earlier divergence shifted things), the rest of
   * the file is re-parsed from `line` once.
   */
  at(line: number): AstSegment | undefined {
    let seg = this.byStart.get(line);
    if (!seg && this.parsedFrom !== line) {
      this.parseFrom(line);
      seg = this.byStart.get(line);
    }
    if (!seg) this.divergences.push({ line, reason: "missing-start" });
    return seg;
  }

  /** Records upstream's end for an instruction and flags a disagreement. */
  reconcile(seg: AstSegment | undefined, end: number): void {
    if (seg && seg.end !== end) {
      this.divergences.push({ line: seg.start, reason: "different-end", astEnd: seg.end, end });
    }
  }

  private parseFrom(from: number): void {
    this.parsedFrom = from;
    const out: string[] = new Array(this.lines.length);
    // The leading comment block holds the directives. It is replaced by one
    // directive carrying the escape character upstream settled on, so that
    // dockerfile-ast cannot pick up a directive upstream ignores (and vice
    // versa). Lines already consumed become blank. Line numbers never move.
    let headerEnd = from;
    if (from === 0) {
      while (headerEnd < this.lines.length && isComment(this.lines[headerEnd]!)) headerEnd++;
    }
    for (let n = 0; n < this.lines.length; n++) {
      if (n < headerEnd) {
        out[n] = n === 0 && this.escapeToken !== "\\" ? `# escape=${this.escapeToken}` : "";
      } else {
        // dockerfile-ast also breaks lines at a lone CR, upstream does not;
        // blanking it keeps the line numbering identical.
        out[n] = trimNewline(this.lines[n]!).replace(/\r/g, " ");
      }
    }
    this.byStart.clear();
    const df = DockerfileParser.parse(out.join("\n"));
    for (const ins of df.getInstructions()) {
      const r = ins.getRange();
      if (r.start.line < from) continue;
      this.byStart.set(r.start.line, { start: r.start.line, end: r.end.line, keyword: ins.getKeyword() });
    }
  }
}
