# The whole app (web UI + GraphQL API in one server) in two stages. The build stage runs the
# same script as the README's run command (web/scripts/bundle.sh: installs wasm-bindgen,
# wasm-opt and esbuild when missing, then builds the release bundle).

FROM rust:1-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
# An image is built once and serves for long: every crate at opt-level 3, not only those the
# first run's profile lists (Cargo.toml, profile server-release).
ENV CARGO_PROFILE_SERVER_RELEASE_OPT_LEVEL=3
RUN web/scripts/bundle.sh /app/dist

# Runtime: the server binary with its browser bundle beside it (dist/server, dist/public).
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /data --shell /usr/sbin/nologin crm \
    && mkdir -p /data \
    && chown crm:crm /data
COPY --from=builder /app/dist /opt/crm
ENV CRM_DATA_DIR=/data \
    CRM_LISTEN=0.0.0.0:8080
VOLUME ["/data"]
USER crm
WORKDIR /data
EXPOSE 8080
# /ready runs a query on the database: unhealthy when the database cannot be reached.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/ready || exit 1
CMD ["/opt/crm/server"]
