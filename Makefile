# Two commands for a fresh Debian machine with Rust, Node and apt:
#   make run    install what is missing, build, serve http://127.0.0.1:3000 on SQLite
#   make test   install what is missing, run every test (unit, SQLite, PostgreSQL, browser)
# Every install step is skipped when already done. Nothing is fetched from outside crates.io,
# npm's registry and Debian's apt.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# leptos_config reads this at compile time: every cargo command must see the value cargo-leptos
# uses, or each step rebuilds the leptos crates.
export LEPTOS_OUTPUT_NAME := squall
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION = $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)

.PHONY: run test bench tools wasm-target cargo-leptos wasm-bindgen node-deps chromium validators fuzz-tool

# --precompress: brotli and gzip copies of the wasm, JS and CSS, served as they are.
run: tools
	cargo leptos build --release --precompress --split
	scripts/serve.sh target/release/server

test: tools chromium validators fuzz-tool
	scripts/test.sh

tools: wasm-target cargo-leptos wasm-bindgen node-deps

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
		|| rustup target add wasm32-unknown-unknown

# no_downloads: cargo-leptos must find its tools on PATH instead of fetching them from GitHub.
cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$" \
		|| cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked --features no_downloads

# Must match the wasm-bindgen in Cargo.lock exactly; --locked would pin a crate this registry lacks.
wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)"
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" \
		|| cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

# playwright-core (never a browser download) and binaryen's wasm-opt (Debian's breaks hydration).
node-deps: end2end/node_modules/.package-lock.json

end2end/node_modules/.package-lock.json: end2end/package.json end2end/package-lock.json
	cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $@

# A Korean font too: the Korean UI's browser tests and screenshots (docs/*.ko.png) need glyphs.
chromium:
	@command -v chromium >/dev/null || scripts/apt-install.sh chromium
	@fc-list :lang=ko 2>/dev/null | grep -q . || scripts/apt-install.sh fonts-nanum

# cargo-fuzz, for the fuzz smoke run of `make test` (docs/fuzzing.md); from crates.io.
fuzz-tool:
	@cargo fuzz --version 2>/dev/null | grep -q " 0.13.2$$" \
		|| cargo install cargo-fuzz --version 0.13.2 --locked

# The ecosystems' own validators for generated code (Kubernetes, OpenAPI, Dockerfiles, CI and
# compose files), from PyPI into .venv; Debian's python3 needs python3-venv for that.
validators: .venv/.installed

.venv/.installed: scripts/validators.txt
	@command -v python3 >/dev/null || scripts/apt-install.sh python3
	python3 -m venv .venv 2>/dev/null || { rm -rf .venv; scripts/apt-install.sh python3-venv; python3 -m venv .venv; }
	.venv/bin/pip install --quiet --disable-pip-version-check -r scripts/validators.txt
	@touch $@

# Canvas benchmark (5,000 stickies, headless Chromium) against the release build, then the live-sync
# load benchmark and the code export benchmark; see BENCHMARKS.md.
bench: tools chromium
	cargo leptos build --release --precompress --split
	scripts/bench.sh
	cargo build --release -p server --bin sync-bench
	for n in 10 50 200; do target/release/sync-bench --clients $$n --rate 20 --duration 10 | tail -n 1; done
	target/release/sync-bench --sweep --duration 5
	cargo run --release -p server --bin export-bench
