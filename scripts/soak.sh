#!/usr/bin/env bash
# Soak benchmark (BENCHMARKS.md, "Soak"): the release server as its own process on a fresh SQLite
# file, N WebSocket clients on one board (sync-bench) for a long time; prints the server's
# resident memory every minute, at the start and at the end, its errors and sync-bench's
# latencies.   scripts/soak.sh [clients=200] [rate per client=5] [seconds=600]
# Needs `cargo build --release -p server --bin server --bin sync-bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-200}
rate=${2:-5}
secs=${3:-600}
port=${SQUALL_SOAK_PORT:-3997}
dir=$(mktemp -d)
# The benchmark measures the server, not the limits a public server keeps against one address.
SQUALL_CONNECTIONS_PER_ADDRESS=100000 SQUALL_CONNECTIONS_PER_BOARD=100000 \
    DATABASE_URL="sqlite://$dir/soak.db" SQUALL_ADDR="127.0.0.1:$port" \
    LEPTOS_OUTPUT_NAME=squall LEPTOS_SITE_ROOT=target/site RUST_LOG=warn \
    target/release/server >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done
rss() { awk '/VmRSS/ {print $2 " KiB"}' "/proc/$pid/status"; }
echo "server RSS at start (idle): $(rss)"
(
    for minute in $(seq $((secs / 60))); do
        sleep 60
        echo "server RSS after ${minute} min: $(rss)"
    done
) &
ticker=$!
target/release/sync-bench --url "http://127.0.0.1:$port" --clients "$clients" --rate "$rate" \
    --duration "$secs"
kill $ticker 2>/dev/null || true
echo "server RSS at the end: $(rss)"
sleep 35
echo "server RSS after the board closed (idle 30 s): $(rss)"
echo "server log lines at WARN or ERROR: $(grep -cE 'WARN|ERROR' "$dir/server.log" || true)"
grep -E 'WARN|ERROR' "$dir/server.log" | head -5 || true
