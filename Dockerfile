# Build stage: compile the `crm` binary from the workspace.
FROM rust:1-bookworm AS builder
WORKDIR /app
COPY . .
RUN cargo build --release --locked -p crm-api --bin crm

# Runtime stage: a slim image with only the binary.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --home-dir /data --shell /usr/sbin/nologin crm \
    && mkdir -p /data \
    && chown crm:crm /data
COPY --from=builder /app/target/release/crm /usr/local/bin/crm
ENV CRM_DATA_DIR=/data \
    CRM_LISTEN=0.0.0.0:8080
VOLUME ["/data"]
USER crm
WORKDIR /data
EXPOSE 8080
CMD ["crm"]
