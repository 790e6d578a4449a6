/**
 * The Dockerfile lines an error is about, whichever layer raised it: the
 * converter's LocatedError, or the parser's and the instruction layer's own
 * errors, which carry their lines.
 */
import { LocatedError } from "./gateway/errors.ts";
import { DockerfileParseError } from "./dockerfile/parser/index.ts";
import { InstructionError } from "./dockerfile/instructions/index.ts";

export function toLocated(err: unknown): LocatedError | undefined {
  if (err instanceof LocatedError) return err;
  if (err instanceof DockerfileParseError || err instanceof InstructionError) {
    return new LocatedError(err.message, [{ start: err.startLine, end: err.endLine }]);
  }
  return undefined;
}
