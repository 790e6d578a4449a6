# The cachefront gateway image: what BuildKit runs for `# syntax=cachefront:dev`.
# Built by scripts/image.sh (`npm run image`) from the working tree.
#
# No `# syntax=` line on purpose: the engine's built-in Dockerfile frontend
# builds this, so no frontend image has to be pulled (CI has no registry).
#
# CACHEFRONT_BASE_IMAGE: any image with `node` (>= 20) on PATH. Docker Hub's
# node:20-alpine by default; the tests use cachefront/node-runtime:local, made
# from the host's node by integration/engine/base-images.sh.
ARG CACHEFRONT_BASE_IMAGE=node:20-alpine

# Bundle on the build platform: the bundle is plain JS, and the esbuild binary
# in node_modules is the host's (the context's node_modules come from the host).
# Exec-form RUN: the base image needs no shell.
FROM --platform=$BUILDPLATFORM ${CACHEFRONT_BASE_IMAGE} AS bundle
WORKDIR /src
COPY package.json tsconfig.json ./
COPY node_modules/ node_modules/
COPY scripts/bundle.mjs scripts/
COPY scripts/stubs/ scripts/stubs/
COPY frontend/ frontend/
RUN ["node", "scripts/bundle.mjs"]

FROM ${CACHEFRONT_BASE_IMAGE}
# Capabilities the frontend implements, and only those: the gateway refuses,
# before starting the container, any build that requests a cap missing from
# this label. frontend/gateway/frontend-caps.ts lists the same caps.
ARG CACHEFRONT_CAPS=moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts,moby.buildkit.frontend.gitquerystring
# The frontend itself needs no network: image metadata and sources reach it
# through the gateway API, as with the official frontend.
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="${CACHEFRONT_CAPS}"
# The entry and its chunks (dist/chunks/) the entry imports dynamically.
COPY --from=bundle /src/dist/ /cachefront/
ENTRYPOINT ["node", "/cachefront/cachefront.mjs"]
# The gateway ignores CMD; clear the base image's (node's `CMD ["node"]`) so
# `docker run cachefront:dev` does not pass it as an argument either.
CMD []
