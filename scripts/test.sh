#!/usr/bin/env bash
# Every test: model unit tests, server tests against SQLite and PostgreSQL, then the browser tests
# against a real server. Called by `make test` once the tools are installed.
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=squall

started_pg=
started_kafka=
cleanup() {
    [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true
    [ -z "$started_pg" ] || scripts/pg.sh stop >/dev/null 2>&1 || true
    [ -z "$started_kafka" ] || scripts/kafka.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== the throwaway PostgreSQL script, from a 0700 home"
scripts/test-pg-script.sh

if [ -z "${TEST_DATABASE_URL:-}" ]; then
    TEST_DATABASE_URL=$(scripts/pg.sh start)
    started_pg=1
fi
export TEST_DATABASE_URL
echo "PostgreSQL for the tests: $TEST_DATABASE_URL"

# A one-node Kafka broker from Maven Central's jars, for the generated services (tests/services.rs).
if [ -z "${TEST_KAFKA_BROKERS:-}" ]; then
    TEST_KAFKA_BROKERS=$(scripts/kafka.sh start)
    started_kafka=1
fi
export TEST_KAFKA_BROKERS
echo "Kafka for the tests: $TEST_KAFKA_BROKERS"

# CI builds once from a clean clone: incremental caches (GBs) would never be read again.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi

echo "== unit and integration tests (SQLite and PostgreSQL)"
cargo test -p squall-model -p squall-codegen -p squall-import -p app -p server
# The generated projects and their build (~5 GB) are not needed by the steps below.
if [ -n "${CI:-}" ]; then rm -rf target/codegen-target target/codegen; fi

echo "== fuzz smoke run (docs/fuzzing.md)"
scripts/fuzz.sh smoke

echo "== browser tests"
cargo leptos build --split
rm -rf target/e2e && mkdir -p target/e2e
port=${SQUALL_E2E_PORT:-3999}
export BASE_URL="http://127.0.0.1:$port"
# Another server on the port would be tested instead of this build: refuse to start.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use (an old server?); stop it or set SQUALL_E2E_PORT" >&2
    exit 1
fi
DATABASE_URL="sqlite://target/e2e/squall.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" \
    scripts/serve.sh target/debug/server >target/e2e/server.log 2>&1 &
server_pid=$!
(cd end2end && npm test) || { echo "--- server log"; tail -n 50 target/e2e/server.log; exit 1; }
