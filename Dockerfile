# syntax=docker/dockerfile:1
# OmniTrackIQ's image: one executable (serve, worker, migrate, ...) and the web app's static files.
# The build stage runs `make build`, the same steps as a developer machine and CI; the runtime
# stage is Debian 12 slim with only the packages in deploy/runtime-packages.txt. docs/deploy.md
# has the compose quick start and says what of this was not run where it was written.
#
#   docker build -t omnitrackiq .
#   docker run --env-file .env omnitrackiq migrate
#   docker run --env-file .env -p 8080:8080 omnitrackiq            (serve)
#   docker run --env-file .env omnitrackiq worker

# Next.js 16 needs Node.js >= 20.9 and Debian 12's own is 18, so the build stage starts from the
# Node.js project's Debian 12 image; scripts/install-deps.sh accepts a Node.js >= 20 it finds.
ARG BUILD_IMAGE=node:22-bookworm-slim
ARG RUNTIME_IMAGE=debian:12-slim

FROM ${BUILD_IMAGE} AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV DEBIAN_FRONTEND=noninteractive NEXT_TELEMETRY_DISABLED=1
WORKDIR /src
# Layered so that a source change reuses the installed packages: first what `make deps` runs...
COPY scripts/install-deps.sh scripts/
RUN scripts/install-deps.sh
COPY scripts/frontend-deps.sh scripts/
COPY frontend/package.json frontend/package-lock.json frontend/
RUN scripts/frontend-deps.sh
# ...then `make build` itself (its deps step finds everything installed): backend, then frontend.
COPY . .
RUN make build
# The runtime stage installs deploy/runtime-packages.txt; fail here if the binary needs more.
RUN scripts/check-runtime-packages.sh bin/omnitrackiq

FROM ${RUNTIME_IMAGE} AS runtime
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG DEBIAN_FRONTEND=noninteractive
COPY deploy/runtime-packages.txt /tmp/runtime-packages.txt
RUN apt-get update -qq \
 && sed 's/#.*//' /tmp/runtime-packages.txt | xargs apt-get install -y -qq --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages.txt
RUN useradd --system --uid 10001 --user-group --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin omnitrackiq
COPY --from=build /src/bin/omnitrackiq /usr/local/bin/omnitrackiq
COPY --from=build /src/frontend/out /opt/omnitrackiq/frontend/out
# Every library resolves and the binary starts.
RUN ! ldd /usr/local/bin/omnitrackiq | grep 'not found' && omnitrackiq --version

# The relative STATIC_DIR of .env.example (frontend/out) also resolves from here.
WORKDIR /opt/omnitrackiq
ENV HOST=0.0.0.0 PORT=8080 STATIC_DIR=/opt/omnitrackiq/frontend/out
USER 10001:10001
EXPOSE 8080
# serve and worker stop cleanly on SIGTERM (docs/deploy.md, "Stopping and rolling").
STOPSIGNAL SIGTERM
# Liveness of `serve` (never touches the database). A worker has no HTTP port of its own: give
# its container a check on the admin listener's /health (deploy/docker-compose.yml does), and
# turn this one off for one-shot commands such as migrate.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/api/v1/health" || exit 1
ENTRYPOINT ["omnitrackiq"]
CMD ["serve"]

LABEL org.opencontainers.image.title="omnitrackiq" \
      org.opencontainers.image.description="OmniTrackIQ: marketing analytics server, worker and web app"
