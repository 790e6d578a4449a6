/**
 * cachefront against the engine's built-in Dockerfile frontend: the same
 * Dockerfile built both ways must export the same files (content, modes,
 * owners) and the same image config and history. cachefront is selected both
 * by `# syntax=` and by `--build-arg BUILDKIT_SYNTAX=`.
 */
import { afterAll, describe, expect, test } from "vitest";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { buildx, docker, readOciConfig, requireImage, tempDirs, treeOf, treeOfTar, type OciImageConfig, type TreeEntry } from "./harness/index.ts";
import { comparableConfig, todaysHistory } from "./harness/compare.ts";
import { tarOf } from "./harness/tar.ts";

const FRONTEND = "cachefront:dev";

interface Sample {
  name: string;
  dockerfile: string;
  files?: Record<string, string>;
  binaryFiles?: Record<string, Buffer>;
  args?: string[];
  /** Build args given with --build-arg (also in `args`), for comparing ARG history. */
  buildArgs?: Record<string, string>;
  /** The ports of each EXPOSE of the target, in written order (0.13 prints them sorted). */
  expose?: string[][];
}

const SAMPLES: Sample[] = [
  {
    name: "heredocs, SHELL, HEALTHCHECK, VOLUME, STOPSIGNAL, ADD of a local tar, COPY --link, legacy ENV/LABEL, chown by name",
    files: { "notes.txt": "n\n" },
    binaryFiles: { "bundle.tar": tarOf({ "inside/a.txt": "from the tar\n" }) },
    dockerfile: `FROM busybox AS base
ENV LEGACY value with spaces
LABEL legacy.label the value
ARG WHO=web
RUN echo "$WHO:x:1234:1234::/home/$WHO:/bin/sh" >> /etc/passwd && echo "$WHO:x:1234:" >> /etc/group
RUN <<EOF
set -e
mkdir -p /data
echo "heredoc ran" > /data/run.txt
EOF
RUN <<SCRIPT
#!/bin/sh
echo "shebang script" > /data/script.txt
SCRIPT
COPY <<EOF /data/inline.txt
inline file for \${WHO}
EOF
COPY <<"EOF" /data/raw.txt
not expanded: \${WHO}
EOF
ADD bundle.tar /unpacked/
COPY --link notes.txt /linked/
COPY --chown=web:web notes.txt /owned/
WORKDIR /data/$WHO
SHELL ["/bin/sh", "-e", "-c"]
RUN echo "via shell" > shell.txt
VOLUME /data/vol /data/vol2
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=2s --retries=4 CMD wget -q localhost || exit 1
ENTRYPOINT echo entry
`,
  },
  {
    name: "multi-stage with args, env, workdir, user, copy --chown/--chmod and a cache mount",
    files: { "app.txt": "hello\n", "lib/a.txt": "a\n", "lib/b.txt": "b\n", "ignored.log": "x\n", ".dockerignore": "*.log\n" },
    dockerfile: `ARG BASE=busybox
FROM \${BASE} AS build
ARG VERSION=1.0
ENV APP=demo PATH=/opt/bin:$PATH
WORKDIR /src
COPY lib/ ./lib/
RUN --mount=type=cache,target=/var/cache/demo \\
    echo "$APP-$VERSION" > /src/version \\
 && mkdir -p /opt/bin && printf '#!/bin/sh\\necho hi\\n' > /opt/bin/hi && chmod 755 /opt/bin/hi

FROM busybox
ARG VERSION
COPY --from=build /src /app
COPY --from=build /opt/bin/hi /usr/local/bin/hi
COPY --chown=1000:1000 --chmod=640 app.txt /app/
COPY . /ctx/
WORKDIR /app
RUN echo "v=$VERSION" > /app/args && chown -R 1000:1000 /app/lib
USER 1000:1000
ENV MODE=prod
LABEL org.opencontainers.image.title=demo maintainer="team <t@example.com>"
EXPOSE 8080/tcp 9000
ENTRYPOINT ["/usr/local/bin/hi"]
CMD ["--help"]
`,
    args: ["--build-arg", "VERSION=2.5"],
    buildArgs: { VERSION: "2.5" },
    expose: [["8080/tcp", "9000/tcp"]],
  },
  {
    name: "scratch target, shell-form CMD, numbered --from and a relative WORKDIR",
    files: { "a.txt": "A\n" },
    dockerfile: `FROM busybox AS tools
WORKDIR rel/dir
RUN echo one > one.txt && ln -s one.txt link.txt

FROM scratch
COPY --from=0 /rel/dir/ /data/
COPY a.txt /data/sub/
ENV X=1
CMD echo shell form
`,
  },
  {
    name: "target stage and an image used directly in COPY --from",
    dockerfile: `FROM busybox AS first
RUN mkdir /out && echo first > /out/f

FROM busybox AS second
COPY --from=busybox /bin/busybox /copied/busybox
COPY --from=first /out /out
RUN ls /out > /listing

FROM second AS unused
RUN exit 1
`,
    args: ["--target", "second"],
  },
];

describe("parity with the built-in Dockerfile frontend", () => {
  const temps = tempDirs();
  afterAll(() => temps.cleanup());
  const tmp = temps.dir;

  async function buildBoth(s: Sample, how: "directive" | "build-arg") {
    const ctx = { dir: await temps.context({ ...(s.files ?? {}), ...(s.binaryFiles ?? {}), Dockerfile: s.dockerfile, "cachefront.Dockerfile": `# syntax=${FRONTEND}\n${s.dockerfile}` }) };
    const out = await tmp();
    const results: Record<string, { tar: string; oci: string; local: string }> = {};
    for (const side of ["builtin", "cachefront"] as const) {
      const args = [...(s.args ?? [])];
      if (side === "cachefront") {
        if (how === "directive") args.push("-f", path.join(ctx.dir, "cachefront.Dockerfile"));
        else args.push("--build-arg", `BUILDKIT_SYNTAX=${FRONTEND}`);
      }
      const tar = path.join(out, `${side}.tar`);
      const oci = path.join(out, `${side}.oci.tar`);
      const local = path.join(out, `${side}.local`);
      for (const output of [`type=tar,dest=${tar}`, `type=oci,dest=${oci}`, `type=local,dest=${local}`]) {
        const r = await buildx([...args, "--output", output, ctx.dir]);
        expect(r.code, `${side} build failed:\n${r.stderr}`).toBe(0);
        if (side === "cachefront") expect(r.stderr).toMatch(/load metadata for docker\.io\/library\/cachefront:dev|resolve image config for docker-image:\/\/docker\.io\/library\/cachefront:dev/);
      }
      results[side] = { tar, oci, local };
    }
    type Outputs = { tar: string; oci: string; local: string };
    return results as { builtin: Outputs; cachefront: Outputs };
  }

  /** Builds `sample` both ways and expects the same files (with owners) and the same image config. */
  async function expectSameImage(sample: Sample, how: "directive" | "build-arg"): Promise<void> {
    const r = await buildBoth(sample, how);
    expect(await treeOfTar(r.cachefront.tar)).toEqual(await treeOfTar(r.builtin.tar));
    // type=local writes files as the user running buildx: compare all but owners.
    const noOwners = (entries: TreeEntry[]) => entries.map(({ uid: _u, gid: _g, ...rest }) => rest);
    expect(noOwners(await treeOf(r.cachefront.local))).toEqual(noOwners(await treeOf(r.builtin.local)));
    const [ours, theirs]: OciImageConfig[] = [await readOciConfig(r.cachefront.oci), await readOciConfig(r.builtin.oci)];
    expect(comparableConfig(ours)).toEqual(comparableConfig(todaysHistory(theirs, sample.buildArgs ?? {}, sample.expose ?? [])));
    expect(ours.rootfs.diff_ids).toHaveLength(theirs.rootfs.diff_ids.length);
  }

  for (const sample of SAMPLES) {
    test.for(["directive", "build-arg"] as const)(`${sample.name} (# syntax via %s)`, async (how, t) => {
      requireImage(t);
      await expectSameImage(sample, how);
    });
  }

  test.for(["directive", "build-arg"] as const)("ONBUILD triggers of a base image (# syntax via %s)", async (how, t) => {
    requireImage(t);
    const base = `cachefront-test/onbuild:${randomUUID()}`;
    const made = await buildx(["-t", base, await temps.context({ Dockerfile: "FROM busybox\nONBUILD RUN echo triggered > /triggered\nONBUILD COPY seed.txt /seed/\n" })]);
    expect(made.code, made.stderr).toBe(0);
    try {
      await expectSameImage({ name: "onbuild", files: { "seed.txt": "s\n" }, dockerfile: `FROM ${base}\nRUN cat /triggered /seed/seed.txt > /both\n` }, how);
    } finally {
      await docker(["image", "rm", "-f", base]);
    }
  });
});
