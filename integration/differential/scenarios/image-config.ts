// The image config: CMD, ENTRYPOINT, SHELL, USER, WORKDIR, LABEL, ENV,
// EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, MAINTAINER, ONBUILD, what a stage
// inherits from its base stage, and SOURCE_DATE_EPOCH.
import type { Scenario } from "../scenario.ts";

export const IMAGE_CONFIG: Scenario[] = [
  {
    name: "CMD in shell and exec form, the last one wins",
    dockerfile: 'FROM busybox AS shell\nCMD echo "one  two" $HOME\n\nFROM busybox\nCMD echo first\nCMD ["echo", "second", "$HOME"]\n',
  },
  {
    name: "CMD in shell form as the target's last",
    dockerfile: 'FROM busybox\nCMD ["echo", "first"]\nCMD   echo  "one  two" \\\n  $HOME\n',
  },
  {
    name: "ENTRYPOINT resets the CMD inherited from the base image",
    dockerfile: "FROM busybox\nENTRYPOINT /bin/echo hello\n",
  },
  {
    name: "ENTRYPOINT resets the CMD inherited from a base stage, keeps one set in the same stage",
    dockerfile:
      'FROM busybox AS base\nCMD ["base-cmd"]\n\nFROM base AS reset\nENTRYPOINT ["/bin/echo"]\n\nFROM reset\nCMD ["kept"]\nENTRYPOINT ["/bin/printf", "%s\\n"]\n',
  },
  {
    name: "CMD set before ENTRYPOINT in the same stage is kept",
    dockerfile: 'FROM busybox\nCMD ["arg1", "arg2"]\nENTRYPOINT ["/bin/echo"]\n',
  },
  {
    name: "CMD [] and ENTRYPOINT [] clear the values",
    dockerfile: 'FROM busybox AS base\nENTRYPOINT ["/bin/echo"]\nCMD ["x"]\n\nFROM base\nENTRYPOINT []\nCMD []\n',
  },
  {
    name: "SHELL changes shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK, not exec forms",
    dockerfile:
      'FROM busybox\nSHELL ["/bin/sh", "-ec"]\nRUN echo $0 > /shell-was\nSHELL ["/bin/busybox", "sh", "-c"]\nRUN echo "$@" > /args\nCMD echo from cmd\nENTRYPOINT exec /bin/echo\nHEALTHCHECK CMD echo healthy\nRUN ["/bin/sh", "-c", "echo exec > /exec"]\n',
  },
  {
    name: "USER by name, uid, name:group, uid:gid and variable; RUN sees each",
    dockerfile:
      "FROM busybox\nUSER app\nRUN id > /tmp/by-name\nUSER 1000:65534\nRUN id > /tmp/by-ids\nUSER app:nogroup\nRUN id > /tmp/by-names\nUSER 65534\nRUN id > /tmp/by-uid\nARG WHO=app\nUSER ${WHO}:root\nRUN id > /tmp/by-var\nUSER root\nRUN cp /tmp/by-* / && chmod 644 /by-*\nUSER $WHO\n",
  },
  {
    name: "WORKDIR absolute, relative chains, dots, trailing slashes and variables",
    dockerfile:
      "FROM busybox\nWORKDIR /a\nWORKDIR b/c\nWORKDIR ../d/\nWORKDIR ./e/./f\nENV BASE=/srv\nWORKDIR $BASE/app\nARG SUB=data\nWORKDIR ${SUB}/x\nRUN pwd > /pwd\n",
  },
  {
    name: "WORKDIR creates directories owned by the current USER, keeps existing ones",
    dockerfile: "FROM busybox\nWORKDIR /tmp\nUSER app\nWORKDIR /home/app/work/deep\nUSER 1000:65534\nWORKDIR /owned-ids\nWORKDIR /etc\nRUN touch /home/app/work/deep/f\n",
  },
  {
    name: "WORKDIR in scratch and an inherited WORKDIR in a derived stage",
    dockerfile: "FROM scratch AS empty\nWORKDIR /app/data\n\nFROM busybox AS base\nWORKDIR /base/dir\n\nFROM base\nWORKDIR sub\nCOPY --from=empty / /from-empty/\n",
  },
  {
    name: "LABEL: several per line, quoted keys and values, continuations, overrides",
    dockerfile:
      'FROM busybox AS base\nLABEL org.base=keep overridden=base "with space"=x\n\nFROM base\nLABEL a=1 b="two words" "c.key"="3" d=with\\ escape e=\'single $quoted\'\nLABEL multi.one="1" \\\n      multi.two="2" \\\n      overridden="by derived"\nARG VERSION=1.2.3\nLABEL version=$VERSION empty=""\n',
  },
  {
    name: "LABEL in the legacy form and --label build options",
    dockerfile: "FROM busybox\nLABEL legacy this value has spaces\nLABEL fromfile=file overridden=file\n",
    args: ["--label", "cli.one=1", "--label", "overridden=cli"],
  },
  {
    name: "ENV in both forms, overriding and referencing earlier values",
    dockerfile:
      'FROM busybox\nENV A=1 B="two words" C=$PATH\nENV legacy value with  spaces\nENV A=override B=${A}-seen-old\nENV PATH=/opt/bin:$PATH\nENV Q=\'$A literal\' E=escaped\\ space\nRUN echo "$A|$B|$legacy|$Q|$E" > /env\n',
  },
  {
    // Each EXPOSE lists its arguments sorted as written text (before expansion).
    name: "EXPOSE single, several, ranges, protocols and variables",
    dockerfile:
      "FROM busybox\nEXPOSE 80\nEXPOSE 9000/TCP 53/udp 443/tcp\nEXPOSE 8000-8002\nEXPOSE 7000-7001/udp\nARG PORT=3000\nENV PROTO=udp\nEXPOSE $PORT ${PORT}/$PROTO 80\n",
    expose: [["80/tcp"], ["443/tcp", "53/udp", "9000/tcp"], ["8000/tcp", "8001/tcp", "8002/tcp"], ["7000/udp", "7001/udp"], ["3000/tcp", "3000/udp", "80/tcp"]],
  },
  {
    name: "EXPOSE with host ports and addresses keeps only the container port",
    dockerfile: "FROM busybox\nEXPOSE 127.0.0.1:8080:80 [::1]:9090:90/udp 3000-3001:4000-4001 :5000 8080:6000/SCTP\n",
    // Today's frontend sorts the arguments as written text, then expands them.
    expose: [["80/tcp", "4000/tcp", "4001/tcp", "6000/sctp", "5000/tcp", "90/udp"]],
  },
  {
    name: "VOLUME in JSON and plain forms, several, with variables",
    dockerfile: 'FROM busybox\nVOLUME /data\nVOLUME ["/json", "/json two"]\nVOLUME /a /b\nARG V=/var/lib/thing\nVOLUME $V ["x"]\nVOLUME ["${V}/cache"]\n',
  },
  {
    name: "STOPSIGNAL by name, number and variable",
    dockerfile: "FROM busybox AS named\nSTOPSIGNAL SIGQUIT\n\nFROM named AS numbered\nSTOPSIGNAL 9\n\nFROM numbered\nARG SIG=SIGUSR1\nSTOPSIGNAL $SIG\n",
  },
  {
    name: "HEALTHCHECK in shell form with every option",
    dockerfile: "FROM busybox\nHEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=2s --retries=5 \\\n  CMD wget -q -O- http://localhost/ || exit 1\n",
  },
  {
    name: "HEALTHCHECK in exec form with some options",
    dockerfile: 'FROM busybox\nHEALTHCHECK --timeout=10s --retries=0 CMD ["/bin/true", "--flag"]\n',
  },
  {
    name: "HEALTHCHECK NONE and overriding a base stage's check",
    dockerfile:
      "FROM busybox AS base\nHEALTHCHECK --interval=1m CMD /bin/true\n\nFROM base AS off\nHEALTHCHECK NONE\n\nFROM base AS other\nHEALTHCHECK --retries=2 CMD /bin/false\n\nFROM other\nRUN true\n",
  },
  {
    name: "MAINTAINER sets the author",
    dockerfile: "FROM busybox\nMAINTAINER Jane Doe <jane@example.com>\nLABEL after=maintainer\n",
  },
  {
    name: "a stage inherits the whole config of its base stage",
    dockerfile:
      'FROM busybox AS base\nENV APP_HOME=/app MODE=prod\nUSER app\nWORKDIR $APP_HOME\nLABEL base=1\nEXPOSE 8080\nVOLUME /app/data\nSTOPSIGNAL SIGINT\nSHELL ["/bin/sh", "-xc"]\nHEALTHCHECK CMD true\nENTRYPOINT ["/bin/echo"]\nCMD ["from", "base"]\nONBUILD RUN echo triggered\n\nFROM base\nRUN echo "$MODE $(id -u) $(pwd)" > out\nENV MODE=dev\n',
    expose: [["8080/tcp"]],
  },
  {
    name: "ONBUILD triggers are recorded in the config",
    dockerfile: "FROM busybox\nONBUILD RUN echo one\nONBUILD COPY . /src\nonbuild  env  X=1\n",
  },
  {
    name: "SOURCE_DATE_EPOCH stamps created times",
    dockerfile: "FROM busybox\nARG SOURCE_DATE_EPOCH\nENV A=1\nWORKDIR /w\nRUN echo $SOURCE_DATE_EPOCH > /epoch\nCOPY <<f.txt /w/\nhi\nf.txt\n",
    args: ["--build-arg", "SOURCE_DATE_EPOCH=1700000000"],
    buildArgs: { SOURCE_DATE_EPOCH: "1700000000" },
    compareCreated: true,
  },
];
