#!/usr/bin/env bash
# Runs a built server binary the way cargo-leptos would: site files from target/site, SQLite under
# ./data unless DATABASE_URL says otherwise, on LEPTOS_SITE_ADDR (default 127.0.0.1:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
export LEPTOS_OUTPUT_NAME=squall
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
# cargo-leptos names the files squall.<hash>.*; the server reads the names from hash.txt beside it.
export LEPTOS_HASH_FILES=true
export LEPTOS_ENV=${LEPTOS_ENV:-PROD}
export LEPTOS_SITE_ADDR=${LEPTOS_SITE_ADDR:-127.0.0.1:3000}
mkdir -p data
exec "$1"
