#!/usr/bin/env bash
# The fuzz targets of fuzz/ (docs/fuzzing.md) on stable Rust: cargo-fuzz passes a few unstable
# flags, which RUSTC_BOOTSTRAP allows; no sanitizer (the fuzzed crates have no unsafe code), so
# libFuzzer finds panics, failed assertions, hangs and runaway memory.
#   scripts/fuzz.sh smoke         each target for 20 s (make test)
#   scripts/fuzz.sh long [secs]   each target for secs (default 600), by hand
# New inputs go to a temporary corpus; fuzz/corpus/<target> keeps only the seeds. A crash leaves
# its input in fuzz/artifacts/<target>/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1
mode=${1:-smoke}
case "$mode" in
    smoke) secs=20 ;;
    long) secs=${2:-600} ;;
    *) echo "usage: scripts/fuzz.sh smoke | long [seconds]" >&2; exit 2 ;;
esac
cargo fuzz build -s none -O
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for target in protocol documents identifiers; do
    mkdir -p "$work/$target"
    echo "== fuzz $target for ${secs} s"
    cargo fuzz run -s none -O "$target" "$work/$target" "corpus/$target" -- \
        -max_total_time="$secs" -max_len=32768 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 2>&1 \
        | grep -E "^Done|stat::number_of_executed_units|panicked|SUMMARY|Test unit written|^thread" \
        || true
    # cargo fuzz exits non-zero on a finding; grep's status hides it, so look for the artifact.
    if compgen -G "artifacts/$target/*" >/dev/null; then
        echo "fuzz target $target found a failing input: fuzz/artifacts/$target/" >&2
        exit 1
    fi
done
