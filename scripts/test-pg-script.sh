#!/usr/bin/env bash
# Tests scripts/pg.sh the way a new user meets it: a checkout inside a 0700 home directory, run by
# its owner (root, and an ordinary user when we are root). Each run starts a cluster, asks it a
# question through the URL it printed, stops it and checks that nothing is left running.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD/scripts

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# $1: the user to run as ("" for ourselves), $2: the port
check() {
    local user=$1 port=$2 home run=()
    home=$(mktemp -d "${TMPDIR:-/tmp}/squall-home.XXXXXX")
    mkdir -p "$home/squall"
    cp -r "$src" "$home/squall/scripts"
    chmod 0700 "$home"
    if [ -n "$user" ]; then
        chown -R "$user" "$home"
        run=(runuser -u "$user" --)
    fi
    local url
    url=$("${run[@]}" env SQUALL_TEST_PG_PORT="$port" "$home/squall/scripts/pg.sh" start)
    local answer
    answer=$(psql "$url" -XAtc "select 6 * 7")
    "${run[@]}" "$home/squall/scripts/pg.sh" stop
    [ "$answer" = 42 ] || { echo "pg.sh as ${user:-$(id -un)}: expected 42, got '$answer'" >&2; exit 1; }
    if psql "$url" -XAtc "select 1" >/dev/null 2>&1; then
        echo "pg.sh as ${user:-$(id -un)}: the cluster still answers after stop" >&2
        exit 1
    fi
    [ ! -e "$home/squall/target/pg/cluster" ] || { echo "pg.sh stop left its state file" >&2; exit 1; }
    rm -rf "$home"
    echo "pg.sh from a 0700 home as ${user:-$(id -un)}: ok"
}

[ -n "$(pg_bin)" ] || scripts/apt-install.sh postgresql
check "" 55441
if [ "$(id -u)" -eq 0 ]; then
    check nobody 55442
fi
