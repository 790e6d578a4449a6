// RUN: shell and exec forms, SHELL, heredocs, mounts of every type that works
// offline, network modes, the environment a command sees, and failures.
//
// Whatever a RUN writes into the image is derived from its inputs (or from
// what a mount holds), so both builds produce the same files. Cache mounts
// use ids of their own (`cf-diff-...`): the engine shares a cache between
// both sides and between test runs, so every step writes what it then reads.
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renameHistory, type Scenario } from "../scenario.ts";

// `--secret src=` needs a file outside the (temporary) build context: a
// fixed directory under the OS temp dir, written when this module loads.
const secretDir = path.join(tmpdir(), "cachefront-differential-secrets");
mkdirSync(secretDir, { recursive: true });
const secret = (name: string, content: string): string => {
  const file = path.join(secretDir, name);
  writeFileSync(file, content);
  return file;
};
const TOKEN = secret("token", "s3cr3t-token\n");
const NPMRC = secret("npmrc", "registry=http://npm.example/\n");
const BARE = secret("bare", "no-newline");
// buildx serves `--ssh id=<key file>` through an agent of its own.
const SSH_KEY = secret("id_rsa", generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString());

export const RUN: Scenario[] = [
  {
    name: "shell and exec forms",
    dockerfile:
      'FROM busybox\nRUN echo shell > /shell\nRUN ["/bin/sh", "-c", "echo exec $HOME > /exec"]\nRUN ["touch", "/touched"]\nRUN echo one \\\n  two > /continued\n',
  },
  {
    name: "exec form does not expand variables, the shell form does",
    dockerfile: 'FROM busybox\nENV WHO=env\nRUN ["sh", "-c", "echo \\"$WHO\\" > /by-shell"]\nRUN ["/bin/mkdir", "-p", "/$WHO"]\nRUN mkdir -p /x$WHO\n',
  },
  {
    name: "comment and empty lines inside a continued RUN",
    dockerfile: "FROM busybox\nRUN echo one \\\n# a comment inside\n  two \\\n\n  three > /words\n",
  },
  {
    name: "SHELL changes the shell of later shell-form RUNs and is recorded",
    dockerfile:
      'FROM busybox\nSHELL ["/bin/sh", "-ec"]\nRUN echo "$0 $-" > /flags\nSHELL ["/bin/ash", "-c"]\nRUN echo "$0" > /shell\nRUN ["sh", "-c", "echo exec > /exec"]\n',
  },
  {
    name: "SHELL of one stage does not apply to another",
    dockerfile: 'FROM busybox AS a\nSHELL ["/bin/ash", "-xc"]\nRUN echo a > /a\n\nFROM busybox\nCOPY --from=a /a /a\nRUN echo "$0" > /shell\n',
  },
  {
    name: "a heredoc runs as a shell script",
    dockerfile: "FROM busybox\nRUN <<EOF\nmkdir -p /h\necho first > /h/1\necho second > /h/2\nEOF\n",
  },
  {
    name: "<<- strips leading tabs",
    dockerfile: "FROM busybox\nRUN <<-EOF\n\tmkdir -p /h\n\t\techo tabbed > /h/t\n\tEOF\nRUN cat <<-EOT > /h/doc\n\tline one\n\t\tline two\n\tEOT\n",
  },
  {
    name: "a heredoc with a shebang runs as a script file",
    dockerfile: 'FROM busybox\nRUN <<EOF\n#!/bin/sh\necho "script $0" > /script\nEOF\nRUN <<PY\n#!/bin/ash\necho ash > /ash\nPY\n',
  },
  {
    name: "a quoted delimiter keeps the body unexpanded",
    dockerfile: "FROM busybox\nENV WHO=env\nRUN cat <<'EOF' > /raw\n$WHO ${WHO} \\$x\nEOF\nRUN cat <<EOF > /expanded\n$WHO ${WHO}\nEOF\nRUN <<\"EOF\"\necho \"$WHO\" > /quoted-script\nEOF\n",
  },
  {
    name: "several heredocs in one RUN",
    dockerfile: "FROM busybox\nRUN cat <<A > /a && cat <<B > /b\nfirst\nA\nsecond\nB\nRUN <<ONE sh && <<TWO sh\necho 1 > /one\nONE\necho 2 > /two\nTWO\n",
  },
  {
    name: "a heredoc sees ARG and ENV",
    dockerfile: "FROM busybox\nARG NAME=arg\nENV GREETING=hi\nRUN <<EOF\necho \"$GREETING $NAME\" > /greeting\nEOF\n",
  },
  {
    name: "bind mounts from the context, a stage and a source path",
    files: { "src/a.txt": "a\n", "src/sub/b.txt": "b\n" },
    dockerfile:
      "FROM busybox AS data\nRUN mkdir -p /out/d && echo staged > /out/d/f\n\nFROM busybox\nRUN --mount=type=bind,target=/ctx cat /ctx/src/a.txt > /from-ctx\nRUN --mount=type=bind,source=src/sub,target=/sub cat /sub/b.txt > /from-source\nRUN --mount=type=bind,from=data,source=/out/d,target=/d cat /d/f > /from-stage\nRUN --mount=from=data,src=/out,dst=/o ls -R /o > /listing\n",
  },
  {
    name: "variables in mount options",
    files: { "sub/f": "from sub\n" },
    dockerfile:
      "FROM busybox\nARG CACHE_ID=cf-diff-argid\nARG SRC=sub\nENV DST=/mnt/s\nRUN --mount=type=cache,id=$CACHE_ID,target=/c --mount=type=bind,source=${SRC},target=${DST} cat /mnt/s/f > /f && echo x > /c/x && cat /c/x >> /f\n",
  },
  {
    name: "a read-write bind mount discards writes, a read-only one refuses them",
    files: { "a.txt": "a\n" },
    dockerfile:
      "FROM busybox\nRUN --mount=type=bind,target=/ctx,rw echo changed > /ctx/a.txt && cat /ctx/a.txt > /seen\nRUN --mount=type=bind,target=/ctx cat /ctx/a.txt > /after && (touch /ctx/new 2>/dev/null && echo writable || echo read-only) > /ro\n",
  },
  {
    name: "cache mounts with an id are shared between targets",
    dockerfile:
      "FROM busybox\nRUN --mount=type=cache,id=cf-diff-shared,target=/a --mount=type=cache,id=cf-diff-shared,target=/b echo v > /a/f && cat /b/f > /seen\nRUN --mount=type=cache,target=/var/cache/cf-diff echo x > /var/cache/cf-diff/f && cat /var/cache/cf-diff/f > /by-target\n",
  },
  {
    name: "cache mount sharing modes, owner and mode",
    dockerfile:
      "FROM busybox\nRUN --mount=type=cache,id=cf-diff-private,target=/c,sharing=private echo p > /c/f && cat /c/f > /private\nRUN --mount=type=cache,id=cf-diff-locked,target=/c,sharing=locked echo l > /c/f && cat /c/f > /locked\nRUN --mount=type=cache,id=cf-diff-owned,target=/c,uid=1000,gid=65534,mode=0750 stat -c '%a %u %g' /c > /owned\nWORKDIR /w\nRUN --mount=type=cache,id=cf-diff-rel,target=rel echo r > /w/rel/f && cat rel/f > /relative\n",
  },
  {
    name: "a cache mount seeded from a stage",
    dockerfile:
      "FROM busybox AS seed\nRUN mkdir -p /data && echo seeded > /data/f\n\nFROM busybox\nRUN --mount=type=cache,id=cf-diff-from,target=/c,from=seed,source=/data,ro cat /c/f > /seeded\n",
  },
  {
    name: "tmpfs mounts, with a size",
    dockerfile:
      "FROM busybox\nRUN --mount=type=tmpfs,target=/t touch /t/x && ls /t > /listing && mkdir -p /t-left\nRUN --mount=type=tmpfs,target=/s,size=1m df -k /s | awk 'NR==2{print $1, $2}' > /size\n",
  },
  {
    name: "secrets at their default target, at target= and with mode, uid and gid",
    args: ["--secret", `id=token,src=${TOKEN}`, "--secret", `id=npmrc,src=${NPMRC}`],
    dockerfile:
      "FROM busybox\nRUN --mount=type=secret,id=token cat /run/secrets/token > /token && stat -c '%a %u %g' /run/secrets/token > /token.stat\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc,mode=0440,uid=1000,gid=65534 cat /root/.npmrc > /npmrc && stat -c '%a %u %g' /root/.npmrc > /npmrc.stat\nRUN --mount=type=secret,id=token,required=true test -s /run/secrets/token && ls /run/secrets > /listed\n",
  },
  {
    name: "a missing secret: skipped unless required",
    dockerfile: "FROM busybox\nRUN --mount=type=secret,id=absent (test -e /run/secrets/absent && echo present || echo absent) > /absent\n",
  },
  {
    name: "a required secret that is missing fails on its line",
    dockerfile: "FROM busybox\nRUN true\nRUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent\n",
    fails: { line: 3, message: "absent" },
  },
  {
    // `env=` is newer than 0.13's frontend; its side reads the same secret from a file.
    name: "a secret as an environment variable, with and without a file",
    args: ["--secret", `id=bare,src=${BARE}`],
    dockerfile:
      "FROM busybox\nRUN --mount=type=secret,id=bare,env=BARE_TOKEN echo \"$BARE_TOKEN\" > /env && (test -e /run/secrets/bare && echo file || echo no-file) > /file\nRUN --mount=type=secret,id=bare,env=ALSO,target=/etc/bare cat /etc/bare > /target && echo \"$ALSO\" > /also\n",
    builtinDockerfile:
      "FROM busybox\nRUN --mount=type=secret,id=bare,target=/tmp/bare BARE_TOKEN=$(cat /tmp/bare) && echo \"$BARE_TOKEN\" > /env && (test -e /run/secrets/bare && echo file || echo no-file) > /file\nRUN --mount=type=secret,id=bare,target=/etc/bare ALSO=$(cat /etc/bare) && cat /etc/bare > /target && echo \"$ALSO\" > /also\n",
    adjust: renameHistory({
      'RUN /bin/sh -c BARE_TOKEN=$(cat /tmp/bare) && echo "$BARE_TOKEN" > /env && (test -e /run/secrets/bare && echo file || echo no-file) > /file # buildkit':
        'RUN /bin/sh -c echo "$BARE_TOKEN" > /env && (test -e /run/secrets/bare && echo file || echo no-file) > /file # buildkit',
      'RUN /bin/sh -c ALSO=$(cat /etc/bare) && cat /etc/bare > /target && echo "$ALSO" > /also # buildkit': 'RUN /bin/sh -c cat /etc/bare > /target && echo "$ALSO" > /also # buildkit',
    }),
  },
  {
    name: "ssh mounts from an agent: default socket, id, target, mode and uid",
    args: ["--ssh", `deploy=${SSH_KEY}`, "--ssh", `default=${SSH_KEY}`],
    dockerfile:
      "FROM busybox\nRUN --mount=type=ssh,required=true test -S \"$SSH_AUTH_SOCK\" && echo \"$SSH_AUTH_SOCK\" > /default\nRUN --mount=type=ssh,id=deploy,target=/agent.sock,mode=0660,uid=1000,gid=65534 stat -c '%F %a %u %g' /agent.sock > /agent && echo \"$SSH_AUTH_SOCK\" > /sock\n",
  },
  {
    name: "an ssh mount that is not required, without an agent",
    dockerfile: "FROM busybox\nRUN --mount=type=ssh (test -S \"$SSH_AUTH_SOCK\" && echo socket || echo none) > /ssh && echo \"$SSH_AUTH_SOCK\" > /sock\n",
  },
  {
    name: "--network=none and --network=default",
    dockerfile:
      "FROM busybox\nRUN --network=none ip -o link | cut -d: -f2 | cut -d@ -f1 | sort > /none\nRUN --network=default ip -o link | cut -d: -f2 | cut -d@ -f1 | sort > /default\nRUN ip -o link | cut -d: -f2 | cut -d@ -f1 | sort > /unset\n",
  },
  {
    // The engine rejects the whole definition before solving, with no line,
    // whichever frontend wrote it (docs/compatibility.md).
    name: "--network=host without the entitlement fails for both",
    dockerfile: "FROM busybox\nRUN true\nRUN --network=host true\n",
    fails: { line: 3, message: "network.host is not allowed", engineRejects: true },
  },
  {
    name: "--network=host with the entitlement",
    args: ["--allow", "network.host"],
    dockerfile: "FROM busybox\nRUN --network=host ip -o link | grep -c ': lo:' > /host-lo\n",
  },
  {
    name: "ENV and ARG in the environment of RUN, and in its history",
    args: ["--build-arg", "GIVEN=from-cli"],
    buildArgs: { GIVEN: "from-cli" },
    dockerfile:
      "FROM busybox\nARG DEFAULTED=dflt\nARG GIVEN\nARG UNSET\nENV E1=env1 E2=\"two words\"\nRUN env | grep -E '^(DEFAULTED|GIVEN|UNSET|E1|E2)=' | sort > /env\nENV DEFAULTED=overridden\nRUN echo \"$DEFAULTED\" > /shadowed\n",
  },
  {
    name: "proxy build args reach RUN but not the history or config",
    args: ["--build-arg", "HTTP_PROXY=http://proxy.example:3128", "--build-arg", "no_proxy=localhost", "--build-arg", "OTHER=x"],
    dockerfile: "FROM busybox\nRUN echo \"$HTTP_PROXY|$no_proxy|$OTHER\" > /proxy\n",
  },
  {
    name: "BUILDKIT_SANDBOX_HOSTNAME and --add-host",
    args: ["--build-arg", "BUILDKIT_SANDBOX_HOSTNAME=diffhost", "--add-host", "db.internal:10.1.2.3"],
    dockerfile: "FROM busybox\nRUN hostname > /hostname && grep -E 'db.internal|diffhost' /etc/hosts | sort > /hosts\n",
  },
  {
    name: "BUILDKIT_CACHE_MOUNT_NS namespaces cache ids",
    args: ["--build-arg", "BUILDKIT_CACHE_MOUNT_NS=cf-diff-ns"],
    dockerfile: "FROM busybox\nRUN --mount=type=cache,id=cf-diff-nsid,target=/c echo ns > /c/f && cat /c/f > /ns\n",
  },
  {
    name: "a failing RUN fails on its line",
    dockerfile: "FROM busybox\nRUN echo ok > /ok\n\nRUN echo failing && exit 3\nRUN echo never\n",
    fails: { line: 4, message: "exit code: 3" },
  },
];

