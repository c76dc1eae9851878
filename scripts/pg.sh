#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, in target/pg with its own port and socket directory.
#   scripts/pg.sh start   installs Debian's postgresql if missing, starts a fresh cluster, prints its URL
#   scripts/pg.sh stop    stops it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/target/pg
port=${SQUALL_TEST_PG_PORT:-55439}

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    if [ -z "$(pg_bin)" ]; then
        echo "PostgreSQL is not installed: installing Debian's postgresql" >&2
        scripts/apt-install.sh postgresql >&2
    fi
    bin=$(pg_bin)
    [ -n "$bin" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }
    "$0" stop >/dev/null 2>&1 || true
    rm -rf "$root"
    mkdir -p "$root/sock"
    [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$root"
    as_pg "$bin/initdb" -A trust -U postgres -D "$root/data" >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 \
        -o "-p $port -k $root/sock -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2 \
        || { cat "$root/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    bin=$(pg_bin)
    [ -n "$bin" ] && [ -d "$root/data" ] && as_pg "$bin/pg_ctl" -D "$root/data" -m fast -w stop
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
