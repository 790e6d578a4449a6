// Shapes produced by the parser layer. They follow BuildKit's parser.Node
// closely so that later layers (instructions, conversion, lint) can be
// written against upstream's semantics without translating concepts.

/** A here-document attached to RUN/COPY/ADD (or an ONBUILD wrapping one). */
export interface Heredoc {
  /** Delimiter word with quotes removed (`<<"EOF"` → `EOF`). */
  name: string;
  /** Body lines exactly as read, each with its line ending; not chomped. */
  content: string;
  /** False when any part of the delimiter was quoted: the body is literal. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from body lines and the terminator. */
  chomp: boolean;
  /** `3<<EOF` → 3; 0 when absent (upstream's default). */
  fileDescriptor: number;
}

export interface InstructionNode {
  /** Lower-cased instruction word, as used by upstream's dispatch ("run"). */
  keyword: string;
  /** The instruction word as written ("Run"), for casing checks and messages. */
  rawKeyword: string;
  /**
   * Upstream's Next-chain values. For ONBUILD this is the trigger keyword
   * followed by the trigger's args (upstream's nodeArgs flattening); the
   * trigger itself is in `child`.
   */
  args: string[];
  /** Raw `--name=value` strings, quotes already removed (Node.Flags). */
  flags: string[];
  /** Exec/JSON form (Node.Attributes["json"]). */
  json: boolean;
  /** Node.Original: the logical line with continuations joined. */
  original: string;
  heredocs: Heredoc[];
  /** 1-based, inclusive; endLine includes continuation and heredoc lines. */
  startLine: number;
  endLine: number;
  /** Comment lines directly above (Node.PrevComment), without "#". */
  comments: string[];
  /** ONBUILD's parsed trigger (same lines as the parent). */
  child?: InstructionNode;
}

export interface DirectiveValue {
  value: string;
  /** 1-based line of the directive. */
  line: number;
}

export interface Directives {
  syntax?: DirectiveValue;
  escape?: DirectiveValue;
  check?: DirectiveValue;
}

export interface ParseWarning {
  message: string;
  /** 1-based line the warning points at. */
  line: number;
  /** Build-check rule name, when the warning corresponds to one. */
  rule?: string;
  url?: string;
  detail?: string;
}

export interface ParseResult {
  nodes: InstructionNode[];
  /** "\\" or "`". */
  escapeToken: string;
  directives: Directives;
  warnings: ParseWarning[];
}

/**
 * A syntax error found while turning text into nodes. `message` is upstream's
 * message (e.g. "unterminated heredoc"); the location travels separately so
 * callers can attach it as a source range like upstream's ErrorLocation.
 */
export class DockerfileParseError extends Error {
  readonly startLine: number;
  readonly endLine: number;

  constructor(message: string, startLine: number, endLine: number = startLine) {
    super(message);
    this.name = "DockerfileParseError";
    this.startLine = startLine;
    this.endLine = Math.max(endLine, startLine);
  }
}
