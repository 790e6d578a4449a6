/**
 * Seed Dockerfiles for the mutation test: the real-world corpus in
 * ../shared/corpus when it is there, plus a few built-in files that use most
 * of the language (so the test has material on a machine without ../shared,
 * and so every category finds heredocs, mounts, JSON forms and flags to break).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { CORPUS_DIR, corpusFiles } from "../corpus.ts";

export interface Seed {
  name: string;
  text: string;
}

export { CORPUS_DIR };

const BUILTIN: Seed[] = [
  {
    name: "builtin/simple",
    text: `FROM busybox
WORKDIR /app
COPY . .
RUN echo hi > /hi
CMD ["sh"]
`,
  },
  {
    name: "builtin/multi-stage",
    text: `# syntax=docker/dockerfile:1
ARG BASE=alpine:3.20
ARG VERSION=1.2.3

FROM --platform=$BUILDPLATFORM \${BASE} AS build
ARG VERSION
ARG TARGETOS TARGETARCH
ENV GOOS=\${TARGETOS} GOARCH=\${TARGETARCH} CGO_ENABLED=0
WORKDIR /src
RUN --mount=type=cache,target=/root/.cache/go-build \\
    --mount=type=bind,source=.,target=/src \\
    go build -ldflags "-X main.version=\${VERSION}" -o /out/app ./cmd/app
RUN --cache-ttl=12h apk add --no-cache ca-certificates

FROM scratch AS release
LABEL org.opencontainers.image.title="app" \\
      org.opencontainers.image.version="\${VERSION}"
COPY --from=build --chmod=0755 /out/app /usr/local/bin/app
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
USER 65534:65534
EXPOSE 8080/tcp 9090
VOLUME ["/data"]
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/usr/local/bin/app", "health"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve", "--port", "8080"]
`,
  },
  {
    name: "builtin/heredocs",
    text: `FROM busybox AS base
RUN <<EOF
set -e
echo one > /one
EOF
RUN <<-EOT bash
	echo tabs stripped
	EOT
COPY <<EOF /etc/app.conf
name=\${NAME:-default}
EOF
COPY <<'EOF' <<"CONF" /etc/
literal $HOME
EOF
quoted
CONF
RUN python3 <<PY
print("hi")
PY

FROM base
SHELL ["/bin/sh", "-eu", "-c"]
ONBUILD RUN echo triggered
ONBUILD COPY . /app
RUN --mount=type=secret,id=token,required=false \\
    --mount=type=ssh \\
    --mount=type=tmpfs,target=/tmp,size=64m \\
    --network=none \\
    cat /run/secrets/token || true
ADD --chown=1000:1000 --link https://example.com/file.tgz /opt/
COPY --parents --exclude=*.md ./src/ /dst/
`,
  },
  {
    name: "builtin/legacy",
    text: `FROM debian:bookworm
MAINTAINER someone <someone@example.com>
ENV PATH /usr/local/bin:$PATH
ENV A=1 B="two words" C='single'
LABEL version 1.0
ARG USER=app
RUN useradd -m \${USER} && \\
    mkdir -p /home/\${USER}/data
USER \${USER}
WORKDIR /home/\${USER}
ADD ./archive.tar.gz /home/\${USER}/
EXPOSE 80 443/udp 5000-5010
CMD echo "\${USER:-nobody}" && exec sleep infinity
`,
  },
  {
    name: "builtin/escape",
    text: `# escape=\`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
ENV APP_HOME=C:\\app
WORKDIR C:\\app
COPY app.ps1 C:\\app\\
RUN Write-Host hello; \`
    Write-Host world
ENTRYPOINT ["powershell", "-File", "C:\\\\app\\\\app.ps1"]
`,
  },
];

export interface Seeds {
  seeds: Seed[];
  /** False when ../shared/corpus was not found: only the built-in seeds are used. */
  corpusFound: boolean;
}

/** Built-in seeds first, then the corpus files in sorted order (the order is part of the generator's determinism). */
export function loadSeeds(corpusDir: string = CORPUS_DIR): Seeds {
  const files = corpusFiles(corpusDir);
  const corpus = files.map((f) => ({ name: `corpus/${f}`, text: readFileSync(path.join(corpusDir, f), "utf8") }));
  return { seeds: [...BUILTIN, ...corpus], corpusFound: files.length > 0 };
}

export const BUILTIN_SEEDS: readonly Seed[] = BUILTIN;
