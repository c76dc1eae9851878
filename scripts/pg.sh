#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, with its own port and socket directory.
#   scripts/pg.sh start   installs Debian's postgresql if missing, starts a fresh cluster, prints its URL
#   scripts/pg.sh stop    stops it and removes its files
# The cluster lives in a fresh directory under $TMPDIR (/tmp), not in the checkout: as root the
# server runs as the postgres user, who cannot enter a checkout in a 0700 home, and a socket path
# inside a deep checkout can pass the 107-byte limit. target/pg/cluster records where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
state=$PWD/target/pg/cluster
port=${SQUALL_TEST_PG_PORT:-55439}

pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb refuses root), from /, a
# directory that user may enter (every path given to it is absolute).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

stop() {
    [ -f "$state" ] || return 0
    local dir bin
    dir=$(cat "$state")
    bin=$(pg_bin)
    if [ -n "$bin" ] && [ -d "$dir/data" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir" "$state"
}

case "${1:-}" in
start)
    if [ -z "$(pg_bin)" ]; then
        echo "PostgreSQL is not installed: installing Debian's postgresql" >&2
        scripts/apt-install.sh postgresql >&2
    fi
    bin=$(pg_bin)
    [ -n "$bin" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }
    stop
    mkdir -p "$(dirname "$state")"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/squall-pg.XXXXXX")
    echo "$dir" >"$state"
    mkdir -p "$dir/sock"
    [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$dir"
    as_pg "$bin/initdb" -A trust -U postgres -D "$dir/data" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    stop
    ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
