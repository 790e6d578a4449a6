// Parsing: directives, line continuations, comments, JSON and shell forms,
// instruction case, heredocs; and bad input both frontends must reject, with
// cachefront naming the line. (A `# syntax=` directive would make both sides
// switch frontends, so none is used as a directive here.)
import type { Scenario } from "../scenario.ts";

const files = { "a.txt": "a\n", "b.txt": "b\n" };

export const PARSING: Scenario[] = [
  {
    name: "the escape directive: backtick continuations and Windows-like paths",
    files,
    dockerfile:
      '# escape=`\nFROM busybox\nENV WIN="C:\\Program Files\\app" `\n    DIR=C:\\data `\n    LIT=`$HOME\nRUN echo one `\n    two \\n > /out && `\n    echo "$WIN" "$LIT" > /literal\nWORKDIR C:\\app\\sub\nCOPY a.txt .\\copied.txt\nLABEL path=c:\\windows\\system32 quoted="a`"b"\n',
  },
  {
    name: "directive names and values are case-insensitive and may have spaces",
    dockerfile: "#  ESCAPE = `\nFROM busybox\nRUN echo a \\ `\n    b > /out\n",
  },
  {
    name: "a directive after a comment is just a comment",
    dockerfile: "# a comment first\n# escape=`\nFROM busybox\nRUN echo a \\\n    b > /out\n",
  },
  {
    name: "a directive after a blank line or an instruction is just a comment",
    dockerfile: "\n# escape=`\nFROM busybox\n# escape=`\nRUN echo a \\\n    b > /out\n",
  },
  {
    name: "a syntax line that is not a directive is ignored",
    dockerfile: "# first a plain comment\n# syntax=example.invalid/no-such-frontend:1\nFROM busybox\nRUN echo ok > /ok\n",
  },
  {
    name: "continuations with comments, blank lines and trailing whitespace",
    dockerfile:
      "FROM busybox\nRUN echo a \\\n# a comment inside the continuation\n    b \\\n\n    c \\   \n  d\\\t\n  e > /out\nLABEL one=1 \\\n  # indented comment\n  two=2\n",
  },
  {
    name: "JSON forms with escapes and unicode",
    dockerfile:
      'FROM busybox\nRUN ["/bin/sh", "-c", "printf \'%s|%s|%s\\\\n\' \\"tab\\there\\" \\"\\u00e9\\u4e2d\\" \'back\\\\\\\\slash\' > /json"]\nCMD ["echo", "quote\\"d", "\\u00e9", "slash\\/ok", "nl\\nx"]\nENTRYPOINT [ "/bin/echo" ,"spaced"  ]\n',
  },
  {
    name: "invalid JSON falls back to the shell form",
    dockerfile: "FROM busybox AS cmd\nCMD [\"a\" 'b']\n\nFROM cmd AS entry\nENTRYPOINT [not, json\n\nFROM entry\nRUN [\"echo\", bad] > /fallback || echo ran > /ran\n",
  },
  {
    name: "instruction names in any case, AS too",
    files,
    dockerfile: "from busybox aS Base\nrun echo lower > /lower\n\nFrOm base\nCoPy a.txt /a.txt\nWorkDir /w\nEnV X=1\nlabel l=1\ncmd [\"sh\"]\n",
  },
  {
    name: "comments between instructions and indented instructions",
    files,
    dockerfile: "# header comment\nFROM busybox\n\n   # indented comment\n\tRUN echo tabbed > /tabbed\n    COPY a.txt /\n#RUN false\n  RUN echo kept # for the shell, a comment > /not-written\n  ENV A=1 B=#not-a-comment\n",
  },
  {
    name: "RUN heredocs: plain, with tabs stripped, quoted delimiters",
    dockerfile:
      'FROM busybox\nARG WHO=arg\nRUN <<EOF\necho "one $WHO" > /plain\necho two >> /plain\nEOF\nRUN <<-EOT\n\techo stripped > /stripped\n\t\techo "$WHO" >> /stripped\n\tEOT\nRUN <<\'EOF\'\necho \'$WHO\' > /single\nEOF\nRUN <<"EOF" sh\necho "$WHO" > /double\nEOF\n',
  },
  {
    name: "two heredocs on one RUN line",
    dockerfile: "FROM busybox\nRUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2\nI am\nfirst\nFILE1\nI am\nsecond\nFILE2\n",
  },
  {
    name: "heredoc with a command, a shebang and an inner here-string",
    dockerfile: "FROM busybox\nRUN cat <<EOF > /cat-out\nfrom cat\nEOF\nRUN <<EOF\n#!/bin/sh -e\necho script > /script-out\nEOF\nRUN <<OUTER sh\ncat > /inner <<INNER\nnested\nINNER\nOUTER\n",
  },
  {
    name: "COPY heredocs with variables in the destination and the body",
    dockerfile:
      "FROM busybox\nARG DEST=/etc/app\nENV NAME=world\nCOPY <<EOF ${DEST}/greeting\nhello $NAME ${DEST}\nEOF\nCOPY <<'EOF' $DEST/raw\nhello $NAME\nEOF\nCOPY <<-EOF /tabs\n\tstripped\n\t\tone tab left\n\tEOF\n",
  },
  // --- bad input: both frontends fail; cachefront names the line ---
  {
    name: "an unknown instruction",
    dockerfile: "FROM busybox\nRUN true\nFOO bar\n",
    fails: { line: 3, message: /unknown instruction: FOO/i },
  },
  {
    name: "an unknown flag",
    files,
    dockerfile: "FROM busybox\n\nCOPY --nope=1 a.txt /\n",
    fails: { line: 3, message: "unknown flag: --nope" },
  },
  {
    name: "no FROM at all",
    dockerfile: "RUN echo no stage\n",
    fails: { line: 1, message: "no build stage in current context" },
  },
  {
    name: "an instruction other than ARG before FROM",
    dockerfile: "ARG V=1\nENV A=1\nFROM busybox\n",
    fails: { line: 2, message: "no build stage in current context" },
  },
  {
    name: "SHELL needs the JSON form",
    dockerfile: "FROM busybox\nSHELL [\"/bin/sh\" '-c']\n",
    fails: { line: 2, message: "SHELL requires the arguments to be in JSON form" },
  },
  {
    name: "an unterminated heredoc",
    dockerfile: "FROM busybox\nRUN true\nRUN <<EOF\necho never ends\n",
    fails: { line: 3, message: "unterminated heredoc" },
  },
  {
    name: "${a:?message} on an unset variable",
    dockerfile: 'FROM busybox\nENV B=1\nLABEL x="${a:?custom message here}"\n',
    fails: { line: 3, message: /a: custom message here/ },
  },
  {
    // 0.13 ignores a --chmod it cannot parse; today's frontend rejects it.
    name: "a bad --chmod",
    files,
    dockerfile: "FROM busybox\nCOPY a.txt /ok\nCOPY --chmod=9z9 a.txt /\n",
    fails: { line: 3, message: "invalid chmod parameter: '9z9'. it should be octal string and between 0 and 07777", builtinBuilds: true },
  },
  {
    name: "a --chmod above 07777",
    files,
    dockerfile: "FROM busybox\nADD --chmod=10000 a.txt /\n",
    fails: { line: 2, message: "invalid chmod parameter: '10000'. it should be octal string and between 0 and 07777", builtinBuilds: true },
  },
  {
    name: "a bad EXPOSE port and protocol",
    dockerfile: "FROM busybox\nEXPOSE 80\nEXPOSE 80/foo\n",
    fails: { line: 3, message: "invalid proto: foo" },
  },
  {
    name: "an EXPOSE without a port",
    dockerfile: "FROM busybox\nEXPOSE /udp\n",
    fails: { line: 2, message: /invalid proto: $/m },
  },
  {
    name: "a bad EXPOSE port number",
    dockerfile: "FROM busybox\nEXPOSE 8o\n",
    fails: { line: 2, message: "invalid containerPort: 8o" },
  },
  {
    name: "a bad --platform",
    dockerfile: "FROM busybox AS ok\n\nFROM --platform=not/a/valid/platform busybox\n",
    fails: { line: 3, message: 'failed to parse platform not/a/valid/platform: "not/a/valid/platform": cannot parse platform specifier: invalid argument' },
  },
  {
    name: "ADD of a missing file",
    files,
    dockerfile: "FROM busybox\nADD a.txt /\nADD missing.txt /\n",
    fails: { line: 3, message: "missing.txt" },
  },
  {
    name: "a --mount of an unknown type",
    dockerfile: "FROM busybox\nRUN --mount=type=nope,target=/x true\n",
    fails: { line: 2, message: 'unsupported mount type "nope"' },
  },
  {
    name: "a failing RUN on a later line",
    dockerfile: "FROM busybox\nRUN echo fine > /fine\n# comment\nRUN echo step && \\\n    exit 3\n",
    fails: { line: 4, message: /exit code: 3/ },
  },
];
