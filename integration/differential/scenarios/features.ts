// Features that depend on the engine or on newer syntax: --exclude and
// --parents (labs-only in 0.13, so the built-in side builds the same result
// spelled out), RUN --security and --device, and multi-platform builds with
// cross-compilation patterns (no emulation: the RUN steps run on the build
// platform and the target images are assembled from scratch).
import { renameHistory, type Scenario } from "../scenario.ts";
import type { OciImageConfig } from "../../harness/index.ts";

const tree = {
  "src/a.go": "package a\n",
  "src/a_test.go": "package a\n",
  "src/README.md": "readme\n",
  "src/sub/b.go": "package b\n",
  "src/sub/b_test.go": "package b\n",
  "web/x/index.html": "<p>x</p>\n",
  "web/y/index.html": "<p>y</p>\n",
  "web/y/style.css": "p{}\n",
};

const crossCompile = `FROM --platform=$BUILDPLATFORM busybox AS build
ARG TARGETPLATFORM TARGETOS TARGETARCH BUILDPLATFORM
RUN mkdir /out && echo "built on $BUILDPLATFORM for $TARGETPLATFORM ($TARGETOS/$TARGETARCH)" > /out/info

FROM scratch
ARG TARGETARCH
COPY --from=build /out/info /info-$TARGETARCH
ENV ARCH=$TARGETARCH
`;

/** An `adjust` for a built-in side that needs two layer steps (the first one named) where cachefront has one. */
function mergeSteps(first: string, into: string): (c: OciImageConfig) => OciImageConfig {
  return (c) => {
    const history = [...(c.history ?? [])];
    const at = history.findIndex((h) => h.created_by === first);
    history.splice(at, 2, { ...history[at]!, created_by: into });
    return { ...c, history, rootfs: { ...c.rootfs, diff_ids: c.rootfs.diff_ids.slice(0, -1) } };
  };
}

export const FEATURES: Scenario[] = [
  {
    name: "COPY --exclude",
    files: tree,
    // Patterns match paths relative to the source, so `**/` reaches into subdirectories.
    dockerfile: "FROM busybox\nCOPY --exclude=**/*_test.go --exclude=*.md src /src/\n",
    builtinDockerfile: "FROM busybox\nCOPY src/a.go /src/\nCOPY src/sub/b.go /src/sub/\n",
    // The built-in side needs two steps for what --exclude does in one.
    adjust: mergeSteps("COPY src/a.go /src/ # buildkit", "COPY src /src/ # buildkit"),
  },
  {
    name: "COPY --parents keeps the matched paths' parents",
    files: tree,
    dockerfile: "FROM busybox\nCOPY --parents web/*/index.html /site/\n",
    builtinDockerfile: "FROM busybox\nCOPY web/x/index.html /site/web/x/\nCOPY web/y/index.html /site/web/y/\n",
    adjust: mergeSteps("COPY web/x/index.html /site/web/x/ # buildkit", "COPY --parents web/*/index.html /site/ # buildkit"),
  },
  {
    name: "COPY --parents with a /./ pivot",
    files: tree,
    dockerfile: "FROM busybox\nCOPY --parents src/./sub/*.go /app/\n",
    builtinDockerfile: "FROM busybox\nCOPY src/sub/*.go /app/sub/\n",
    adjust: renameHistory({ "COPY src/sub/*.go /app/sub/ # buildkit": "COPY --parents src/./sub/*.go /app/ # buildkit" }),
  },
  {
    // 0.13 has --security only in labs: its side writes what the privileged step should see.
    name: "RUN --security=insecure with the entitlement",
    dockerfile: "FROM busybox\nRUN --security=insecure sh -c 'mkdir /m && mount -t tmpfs none /m && echo privileged > /ok || echo sandboxed > /ok'\n",
    builtinDockerfile: "FROM busybox\nRUN echo privileged > /ok && mkdir /m\n",
    adjust: renameHistory({
      "RUN /bin/sh -c echo privileged > /ok && mkdir /m # buildkit":
        "RUN /bin/sh -c sh -c 'mkdir /m && mount -t tmpfs none /m && echo privileged > /ok || echo sandboxed > /ok' # buildkit",
    }),
    args: ["--allow", "security.insecure"],
    expectFiles: { ok: "privileged\n" },
  },
  {
    name: "RUN --security=insecure without the entitlement fails",
    dockerfile: "FROM busybox\nRUN --security=insecure true\n",
    fails: { line: 2, message: "security.insecure is not allowed", engineRejects: true },
  },
  {
    // 0.13 has no --device (labs after 0.13) and its engine no CDI: both refuse, cachefront naming the capability.
    name: "RUN --device on an engine without CDI fails on its line",
    dockerfile: "FROM busybox\nRUN --device=vendor.com/gpu=all true\n",
    fails: { line: 2, message: 'RUN --device is not supported by this BuildKit engine (it lacks the LLB capability "exec.meta.cdi")' },
  },
  {
    name: "multi-platform build from the build platform",
    platforms: ["linux/amd64", "linux/arm64"],
    dockerfile: crossCompile,
    adjust: (c, p) => renameHistory({ "ARG TARGETARCH": `ARG TARGETARCH=${p!.split("/")[1]}` })(c),
  },
  {
    name: "multi-platform build with platform-specific variants",
    platforms: ["linux/amd64", "linux/arm/v7"],
    dockerfile: crossCompile.replace("ARG TARGETARCH\n", "ARG TARGETARCH TARGETVARIANT\n").replace("ENV ARCH=$TARGETARCH\n", "ENV ARCH=$TARGETARCH VARIANT=$TARGETVARIANT\n"),
    // Today's ARG history shows the automatic values (docs/compatibility.md).
    adjust: (c, p) => renameHistory({ "ARG TARGETARCH TARGETVARIANT": `ARG TARGETARCH=${p!.split("/")[1]} TARGETVARIANT=${p!.split("/")[2] ?? ""}` })(c),
  },
  {
    name: "--shm-size, --ulimit and --add-host reach RUN",
    dockerfile: "FROM busybox\nRUN grep ' /dev/shm ' /proc/mounts | cut -d' ' -f4 > /shm && ulimit -n > /nofile && grep cache.example /etc/hosts > /hosts\n",
    args: ["--shm-size", "128m", "--ulimit", "nofile=1024:2048", "--add-host", "cache.example:10.1.2.3"],
    expectFiles: { shm: "rw,nosuid,relatime,size=131072k\n", nofile: "1024\n", hosts: "10.1.2.3\tcache.example\n" },
  },
  {
    name: "--no-cache-filter and --no-cache build the same image",
    dockerfile: "FROM busybox AS a\nRUN echo a > /a\n\nFROM busybox\nCOPY --from=a /a /a\nRUN echo b > /b\n",
    args: ["--no-cache-filter", "a"],
  },
];
