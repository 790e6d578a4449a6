/**
 * Dockerfile word expansion: our TypeScript counterpart of BuildKit's
 * frontend/dockerfile/shell package (checked against BuildKit v0.24.0's own
 * test vectors, see conformance.test.ts).
 *
 * API
 * ---
 *   new ShellLex(escapeToken = "\\", options?: ShellLexOptions)
 *     .processWord(word, env): { result, matched, unmatched }
 *         one word, quotes/escapes removed, whitespace kept. `matched` /
 *         `unmatched` are the variable names looked up and found / not
 *         found (feed UndefinedVar and friends).
 *     .processWords(word, env): string[]
 *         the same expansion split into fields on unquoted whitespace.
 *     .withOptions(options): ShellLex   a reconfigured copy.
 *   Both throw ShellExpansionError (message `failed to process "<word>":
 *   <reason>`, plus .word, .reason, .matched, .unmatched).
 *
 *   EnvGetter { get(name): string | undefined; keys(): Iterable<string> }
 *     (a Map<string, string> fits). envFromList(["K=v"], opts),
 *     envFromMap(map | record | pairs, opts) and emptyEnv build one;
 *     `{ caseInsensitive: true }` gives Windows semantics ($pwd finds PWD),
 *     the default is Linux (case-sensitive). normalizeEnvKey/equalEnvKeys
 *     expose the same rule to code that merges ENV/ARG lists.
 *
 * Syntax
 * ------
 *   $a ${a} ${a:-w} ${a-w} ${a:+w} ${a+w} ${a:?w} ${a?w}
 *   ${a#p} ${a##p} ${a%p} ${a%%p} ${a/p/r} ${a//p/r}
 *   `w` is expanded itself; `p` is a pattern with `*` and `?` only (see
 *   pattern.ts: like upstream, `[...]` is literal, not a bracket expression).
 *   $1..$N and $@ $* $# $? $- $$ $! $0 are looked up like any name and,
 *   never being set, expand to "". A `$` with no name after it is literal.
 *   '...' is literal; "..." expands `$` and lets the escape token escape
 *   `"`, `$` and itself only. Outside quotes the escape token makes the next
 *   character literal (and is dropped at the very end of the word).
 *
 * Options (ShellLexOptions), and where the official frontend sets them
 * -------------------------------------------------------------------
 *   none           the dispatch lexer, `NewLex(escapeToken from # escape=)`:
 *                  FROM base names/--platform and global ARG values
 *                  (ProcessWordWithMatches, unmatched -> lint), and every
 *                  instruction's Expand (ENV, ARG, LABEL, WORKDIR, USER,
 *                  EXPOSE, VOLUME, STOPSIGNAL, COPY/ADD paths and flags,
 *                  RUN --mount options, ...; unmatched -> UndefinedVar).
 *                  EXPOSE additionally runs each port through
 *                  processWords, so `EXPOSE $PORTS` can yield several.
 *   skipProcessQuotes  ExpandRaw for COPY/ADD heredoc bodies (quotes are
 *                  part of the file content); upstream builds that lexer
 *                  with a fixed "\\" escape token, whatever # escape= says.
 *   rawQuotes + skipUnsetEnv  a copy of the dispatch lexer used only to
 *                  render a RUN step's progress name (errors are ignored
 *                  and the unexpanded text shown).
 *   rawQuotes + rawEscapes + skipUnsetEnv  the parser splitting a
 *                  RUN/COPY/ADD line into words to find `<<EOF` markers
 *                  (processWords, emptyEnv, "\\" escape).
 *   skipUnsetEnv, then rawQuotes on/off  the parser reading one heredoc
 *                  marker twice: it is quoted (body not expanded) when
 *                  the two spellings differ in their number of quotes.
 *
 * Deliberate differences from upstream
 * ------------------------------------
 *   processWords keeps the text before a nested `${X:-...}` in its field;
 *   upstream's shared field buffer loses it (see lex.ts). Everything else,
 *   including odd corners (`${X//a/b}` written back as `${X/a/b}` under
 *   skipUnsetEnv, "unsupported modifier (\uFFFD)" for `${X` at the end),
 *   follows upstream.
 */
export { ShellLex } from "./lex.ts";
export type { ExpandResult, ShellLexOptions } from "./lex.ts";
export { ShellExpansionError } from "./errors.ts";
export { emptyEnv, envFromList, envFromMap, equalEnvKeys, normalizeEnvKey } from "./env.ts";
export type { EnvGetter, EnvOptions } from "./env.ts";
