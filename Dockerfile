# syntax=docker/dockerfile:1
# The carvrooom binary in a small Debian image, for docker-compose.yml.
# Build: docker build -t carvrooom .

# --- build: Rust 1.95 on Debian 12, with the native build dependencies of
# librdkafka (rdkafka's cmake build) and HiGHS (bindgen needs libclang).
FROM rust:1.95-bookworm AS builder
RUN apt-get update \
    && apt-get install -y --no-install-recommends cmake libcurl4-openssl-dev libclang-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked -p pipeline --bin carvrooom \
    && install -D -m 0755 target/release/carvrooom /out/carvrooom

# --- runtime: the binary, the DBC files it decodes CAN frames with, and
# /data for the Parquet archive.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --no-create-home carvrooom \
    && mkdir -p /data && chown carvrooom /data
COPY --from=builder /out/carvrooom /usr/local/bin/carvrooom
COPY dbc/ /app/dbc/
WORKDIR /app
USER carvrooom
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["carvrooom"]
CMD ["--help"]
