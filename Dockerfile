# Squall's image: built with the same tools as `make run` (cargo-leptos without downloads,
# wasm-bindgen-cli, binaryen's wasm-opt from npm), run as a non-root user from a small Debian
# image. docs/operations.md, "Deployment".
#   docker build -t squall .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://... squall

FROM rust:1.94-slim-bookworm AS build
# Debian's stable point releases: pinning them would fail the build at the next security fix.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
    && cargo install cargo-leptos --version 0.3.10 --locked --features no_downloads \
    && cargo install wasm-bindgen-cli --version 0.2.130
WORKDIR /src/end2end
COPY end2end/package.json end2end/package-lock.json ./
RUN PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
WORKDIR /src
COPY . .
ENV LEPTOS_OUTPUT_NAME=squall \
    PATH=/src/end2end/node_modules/.bin:$PATH
RUN cargo leptos build --release --precompress --split

FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home squall \
    && mkdir /data && chown squall /data
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
COPY --from=build /src/target/release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
# Every setting is an environment variable (README, "Configuration"); these fit a container.
ENV LEPTOS_OUTPUT_NAME=squall \
    LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_HASH_FILES=true \
    LEPTOS_ENV=PROD \
    SQUALL_ADDR=0.0.0.0:3000 \
    SQUALL_LOG_FORMAT=json \
    DATABASE_URL=sqlite:///data/squall.db
# SQLite's file when DATABASE_URL names no PostgreSQL (one instance only).
VOLUME /data
USER 10001
EXPOSE 3000
# SIGTERM starts the graceful shutdown (docs/operations.md, "Shutdown").
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/server"]
