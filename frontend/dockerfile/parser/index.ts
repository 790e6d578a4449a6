// Public surface of the parser layer.
export {
  DockerfileParseError,
  type DirectiveValue,
  type Directives,
  type Heredoc,
  type InstructionNode,
  type ParseResult,
  type ParseWarning,
} from "./nodes.ts";
export { parseDockerfile, parseDockerfileDetailed, emptyContinuationRule, emptyContinuationURL } from "./parser.ts";
export { detectDirective, type DetectedDirective } from "./directives.ts";
export { dumpNode, dumpResult } from "./dump.ts";
export { chompHeredocContent, parseHeredocWord, tryParseHeredocWord } from "./heredoc.ts";
export { parseWords } from "./line-parsers.ts";
