#!/usr/bin/env bash
# Starts the release server on a fresh SQLite database and runs the canvas benchmark against it.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf target/bench && mkdir -p target/bench
port=${SQUALL_BENCH_PORT:-3998}
export BASE_URL="http://127.0.0.1:$port"
DATABASE_URL="sqlite://target/bench/squall.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    scripts/serve.sh target/release/server >target/bench/server.log 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true' EXIT
(cd end2end && npm run --silent bench)
