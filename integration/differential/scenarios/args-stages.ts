// ARG, ENV and stages: global ARGs and their scope, build args, word
// expansion in every instruction that expands, the predefined platform args,
// and multi-stage builds (targets, stage references, stages not built).
import { renameHistory, type Scenario } from "../scenario.ts";

// 0.13 prints a stage's `ARG K` without a default as written; today's
// frontend adds the value it inherits from the global scope (docs/compatibility.md).
const inherited = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`ARG ${k}`, `ARG ${k}=${v}`]));

export const ARGS_STAGES: Scenario[] = [
  {
    name: "a global ARG is seen by FROM, and in a stage only once redeclared",
    dockerfile:
      'ARG IMG=busybox\nARG V=global\nFROM ${IMG}\nRUN echo "[$V]" > /before\nARG V\nRUN echo "[$V]" > /redeclared\nARG V=stage\nRUN echo "[$V]" > /new-default\nENV FROM_IMG=$IMG\n',
    // 0.13 lists V twice in the RUN after its redeclaration; today once, with its last value.
    adjust: renameHistory({
      ...inherited({ V: "global" }),
      'RUN |2 V=stage V=stage /bin/sh -c echo "[$V]" > /new-default # buildkit': 'RUN |1 V=stage /bin/sh -c echo "[$V]" > /new-default # buildkit',
    }),
  },
  {
    name: "build args override defaults; an ARG without a value stays unset",
    args: ["--build-arg", "GIVEN=cli", "--build-arg", "DEFAULTED=cli-too", "--build-arg", "UNDECLARED=never"],
    buildArgs: { GIVEN: "cli", DEFAULTED: "cli-too" },
    dockerfile:
      'ARG GLOBAL_GIVEN\nFROM busybox\nARG GIVEN\nARG DEFAULTED=dflt\nARG NOVALUE\nRUN echo "$GIVEN|$DEFAULTED|${NOVALUE-unset}|${UNDECLARED-undeclared}" > /args\nENV SEEN="$GIVEN $DEFAULTED $NOVALUE"\n',
  },
  {
    name: "an ARG default refers to earlier ARGs and ENV, and ENV wins over ARG",
    args: ["--build-arg", "B=cli"],
    buildArgs: { B: "cli" },
    adjust: renameHistory({
      ...inherited({ A: "one" }),
      'RUN |4 A=one B=cli D=env-cli B=cli /bin/sh -c echo "$B" > /env-wins # buildkit': 'RUN |3 A=one B=cli D=env-cli /bin/sh -c echo "$B" > /env-wins # buildkit',
    }),
    dockerfile:
      'ARG A=one\nFROM busybox\nARG A\nARG B=${A}-two\nENV C=env\nARG D=${C}-${B}\nENV B=from-env\nRUN echo "$A $B $C $D" > /values\nARG B\nRUN echo "$B" > /env-wins\n',
  },
  {
    name: "each stage redeclares what it uses from the global scope",
    args: ["--build-arg", "V=cli"],
    buildArgs: { V: "cli" },
    dockerfile:
      'ARG V=global\nFROM busybox AS one\nARG V\nRUN echo "$V" > /v\n\nFROM busybox AS two\nRUN echo "[$V]" > /v\n\nFROM busybox\nCOPY --from=one /v /one\nCOPY --from=two /v /two\nARG V=final\nRUN echo "$V" > /final\n',
  },
  {
    // Today each default sees the ARGs before it in the same instruction;
    // 0.13 expanded them all first (B=2). Its side spells out the value.
    name: "several ARGs in one instruction, one defaulting to another",
    args: ["--build-arg", "C=given"],
    buildArgs: { C: "given" },
    dockerfile: 'FROM busybox\nARG A=1 B=${A}2 C D\nRUN echo "$A $B $C [${D-unset}]" > /abcd\n',
    builtinDockerfile: 'FROM busybox\nARG A=1 B=12 C D\nRUN echo "$A $B $C [${D-unset}]" > /abcd\n',
  },
  {
    name: "names are case-sensitive, stage targets are not",
    args: ["--target", "APP"],
    dockerfile: 'FROM busybox AS app\nENV foo=lower FOO=upper\nARG bar=arg\nRUN echo "$foo $FOO $bar [$BAR]" > /case\nENV Mixed=${FOO}${foo}\n\nFROM app\nRUN true\n',
  },
  {
    name: "positional and special parameters expand to nothing",
    dockerfile: "FROM busybox\nENV a=x$1y b=${1:-dflt} c=[$@] d=[$*] e=[$#] f=[$?] g=[$$]\nLABEL h=[$9]\n",
  },
  {
    name: "default value forms: :- - :+ + on set, empty and unset variables",
    dockerfile:
      'FROM busybox\nENV SET=value EMPTY=""\nENV a1=${SET:-w} a2=${EMPTY:-w} a3=${UNSET:-w} b1=${SET-w} b2=${EMPTY-w} b3=${UNSET-w}\nENV c1=${SET:+w} c2=${EMPTY:+w} c3=${UNSET:+w} d1=${SET+w} d2=${EMPTY+w} d3=${UNSET+w}\nENV n1=${UNSET:-${SET}-nested} n2=${SET:+[$SET]}\n',
  },
  {
    name: "prefix, suffix and replacement forms",
    dockerfile:
      'FROM busybox\nARG F=prefix-middle-suffix.tar.gz\nENV p1=${F#*-} p2=${F##*-} s1=${F%.*} s2=${F%%.*} r1=${F/-/_} r2=${F//-/_} r3=${F/nomatch/x} r4=${F//[a-e]/?}\nENV g1=${F#p?e} g2=${F%.t*} r5=${F/suffix/} e1=${UNSET#x} e2=${UNSET//a/b}\n',
  },
  {
    name: "escapes and quotes in ENV and LABEL",
    dockerfile:
      "FROM busybox\nENV V=val\nENV e1=\\$V e2='$V' e3=\"$V\" e4=\"\\$V\" e5=a\\ b e6=\"it's\" e7='say \"hi\"' e8=a\\b e9=\"a\\b\" e10=${V}x$V\nLABEL l1=\"$V\" l2='$V' l3=\\$V \"l 4\"=\"spaced $V\" l5=a\\\\b\n",
  },
  {
    name: "expansion in WORKDIR, COPY, USER, EXPOSE and LABEL",
    files: { "src/app.txt": "app\n" },
    args: ["--build-arg", "PORT=8080"],
    buildArgs: { PORT: "8080" },
    expose: [["8080/tcp", "9000/udp"]],
    dockerfile:
      'FROM busybox\nARG DIR=/srv\nARG PORT\nARG WHO\nENV SRC=src APP=app\nWORKDIR ${DIR}/${APP:-x}\nCOPY --chown=${WHO:-app}:nobody ${SRC}/${APP}.txt ./${APP%.*}-copy.txt\nUSER ${WHO:-app}:${GROUP:-nobody}\nEXPOSE ${PORT} ${UDP:-9000}/udp\nLABEL dir=$DIR port=${PORT:?} who=${WHO:-app}\n',
  },
  {
    name: "USER as name:group and uid:gid from variables; RUN runs as each",
    args: ["--build-arg", "UID=1000"],
    buildArgs: { UID: "1000" },
    dockerfile:
      "FROM busybox\nARG UID\nARG GID=65534\nUSER app:nogroup\nRUN id > /tmp/by-name\nUSER ${UID}:${GID}\nRUN id > /tmp/by-id\nUSER root\nRUN cp -p /tmp/by-name /tmp/by-id /\nUSER $UID\n",
  },
  {
    name: "ENV in the legacy and key=value forms",
    dockerfile:
      'FROM busybox\nENV LEGACY a value with spaces\nENV ONE=1 TWO="two words" THREE=three\\ words\nENV MULTI=first \\\n    SECOND=second\nENV EMPTY=\nENV LEGACY2 "quoted legacy"\n',
  },
  {
    name: "ENV referring to a variable set in the same instruction uses the old value",
    dockerfile:
      'FROM busybox\nENV A=old\nENV A=new B=$A C=${A}-c\nENV PATH=$PATH:/extra D=$PATH\nRUN echo "$A $B $C" > /values && echo "$PATH" > /path\n',
  },
  {
    name: "predefined platform args in RUN after redeclaring them",
    dockerfile:
      'FROM busybox\nARG TARGETPLATFORM\nARG TARGETOS\nARG TARGETARCH\nARG TARGETVARIANT\nARG BUILDPLATFORM\nARG BUILDOS\nARG BUILDARCH\nRUN echo "$TARGETPLATFORM $TARGETOS $TARGETARCH [$TARGETVARIANT] $BUILDPLATFORM $BUILDOS $BUILDARCH" > /platform\nRUN echo "[$BUILDVARIANT]" > /undeclared\n',
    adjust: renameHistory(
      inherited({ TARGETPLATFORM: "linux/amd64", TARGETOS: "linux", TARGETARCH: "amd64", TARGETVARIANT: "", BUILDPLATFORM: "linux/amd64", BUILDOS: "linux", BUILDARCH: "amd64" }),
    ),
  },
  {
    // TARGETSTAGE is newer than 0.13; its side declares the value today's frontend provides.
    name: "TARGETSTAGE names the stage being built",
    args: ["--target", "app"],
    dockerfile: 'FROM busybox AS app\nARG TARGETSTAGE\nRUN echo "$TARGETSTAGE" > /stage\n\nFROM app AS other\n',
    builtinDockerfile: 'FROM busybox AS app\nARG TARGETSTAGE=app\nRUN echo "$TARGETSTAGE" > /stage\n\nFROM app AS other\n',
  },
  {
    // A global ARG without a value does not hide the automatic value from
    // stages (0.13 lost it); the 0.13 side leaves that line out.
    name: "FROM --platform=$BUILDPLATFORM and platform args in the global scope",
    builtinDockerfile:
      'FROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETARCH\nRUN echo "$TARGETARCH" > /arch\n\nFROM --platform=${TARGETPLATFORM} busybox\nCOPY --from=build /arch /arch\nLABEL arch=$TARGETARCH\n',
    adjust: renameHistory(inherited({ TARGETARCH: "amd64" })),
    dockerfile:
      'ARG TARGETARCH\nFROM --platform=$BUILDPLATFORM busybox AS build\nARG TARGETARCH\nRUN echo "$TARGETARCH" > /arch\n\nFROM --platform=${TARGETPLATFORM} busybox\nCOPY --from=build /arch /arch\nLABEL arch=$TARGETARCH\n',
  },
  {
    name: "--target builds a stage in the middle and what it needs",
    args: ["--target", "middle"],
    dockerfile:
      "FROM busybox AS base\nRUN echo base > /base\n\nFROM base AS middle\nRUN echo middle > /middle\nLABEL stage=middle\n\nFROM middle AS last\nRUN echo last > /last\nLABEL stage=last\n",
  },
  {
    name: "stages referenced by index, FROM a stage and COPY --from in any case",
    dockerfile:
      "FROM busybox AS Build\nRUN echo built > /built\n\nFROM scratch AS files\nCOPY --from=0 /built /from-index\n\nFROM build AS next\nCOPY --from=files /from-index /copied\nCOPY --from=build /built /by-lowercase\nRUN --mount=from=files,target=/f cat /f/from-index > /mounted\n",
  },
  {
    // Stage names are lowercased, and FROM matches them exactly: `FROM Build` is an image.
    name: "FROM with a stage name in another case names an image",
    dockerfile: "FROM busybox AS Build\nRUN true\n\nFROM Build\nRUN true\n",
    fails: { line: 4, message: 'failed to parse stage name "Build"' },
  },
  {
    name: "stages the target does not need are not built",
    dockerfile:
      "FROM busybox AS broken\nRUN exit 1\n\nFROM busybox AS unused\nCOPY --from=broken / /\n\nFROM busybox\nRUN echo ok > /ok\n",
  },
  {
    name: "FROM through a global ARG naming an image or a stage",
    args: ["--build-arg", "FROM_STAGE=second"],
    dockerfile:
      'ARG BASE=busybox\nARG FROM_STAGE=first\nFROM ${BASE} AS first\nRUN echo first > /which\n\nFROM $BASE AS second\nRUN echo second > /which\n\nFROM ${FROM_STAGE}\nRUN cat /which > /picked\n',
  },
  {
    name: "ONBUILD triggers are recorded in order, unexpanded, and not run in their own stage",
    dockerfile:
      'FROM busybox\nARG V=x\nONBUILD RUN echo "$V" > /triggered\nONBUILD COPY . /app/\nONBUILD ENV AT=${V:-build}\nRUN test ! -e /triggered && echo none > /here\n',
  },
  {
    name: "a stage built on a stage with ONBUILD triggers",
    dockerfile:
      "FROM busybox AS base\nONBUILD RUN echo triggered > /triggered\nONBUILD LABEL from=onbuild\nRUN echo base > /base\n\nFROM base\nRUN ls / | grep -E '^(base|triggered)$' > /seen\n",
  },
  {
    name: "SOURCE_DATE_EPOCH as a build arg: visible to RUN once declared",
    args: ["--build-arg", "SOURCE_DATE_EPOCH=1700000000"],
    buildArgs: { SOURCE_DATE_EPOCH: "1700000000" },
    dockerfile: 'FROM busybox\nRUN echo "[$SOURCE_DATE_EPOCH]" > /before\nARG SOURCE_DATE_EPOCH\nRUN echo "$SOURCE_DATE_EPOCH" > /epoch\nWORKDIR /w\nENV T=1\n',
    compareCreated: true,
  },
  {
    name: "--label options override Dockerfile and base stage labels",
    args: ["--label", "k=from-cli", "--label", "only=cli", "--target", "app"],
    dockerfile: 'FROM busybox AS base\nLABEL k=base inherited=yes\n\nFROM base AS app\nLABEL k=dockerfile own="yes"\n\nFROM app AS other\nLABEL other=1\n',
  },
  {
    name: "--no-cache rebuilds and gives the same result",
    args: ["--no-cache"],
    dockerfile: 'FROM busybox AS a\nRUN echo a > /a\n\nFROM busybox\nCOPY --from=a /a /a\nRUN cat /a > /b\nENV X=1\n',
  },
  {
    name: "an undefined variable as the whole FROM fails on its line",
    dockerfile: "ARG DEFINED=busybox\nFROM $DEFINED AS ok\nRUN true\n\nFROM ${UNDEFINED}\nRUN true\n",
    fails: { line: 5, message: /base name|UNDEFINED/ },
  },
  {
    name: "a missing build arg in FROM --platform fails",
    dockerfile: "FROM busybox\nRUN true\nFROM --platform=$NOPE busybox\nRUN true\n",
    fails: { line: 3, message: /platform|NOPE/ },
  },
];
