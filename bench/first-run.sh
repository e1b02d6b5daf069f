#!/usr/bin/env bash
# Times a first build as on a fresh machine: a fresh clone of this repository (empty target/),
# the wasm-bindgen CLI installed into an empty root of its own (as into an empty ~/.cargo/bin),
# npm's packages, then `make build`. Rustup's toolchain and the cargo and npm download caches are
# whatever this machine has (a new machine also downloads them). Prints seconds per step.
# Usage: bench/first-run.sh [work dir]   (default: a new temporary directory, removed afterwards)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$repo/Cargo.lock")
git clone -q "$repo" "$work/clone"
cd "$work/clone"
export PATH="$work/bin/bin:$PATH"
t0=$(date +%s)
cargo install --root "$work/bin" wasm-bindgen-cli --version "$version" > "$work/wasm-bindgen.log" 2>&1
t1=$(date +%s)
npm install --no-audit --no-fund > "$work/npm.log" 2>&1 && touch node_modules/.installed
t2=$(date +%s)
make build > "$work/build.log" 2>&1
t3=$(date +%s)
echo "wasm-bindgen-cli $version: $((t1 - t0)) s"
echo "npm install: $((t2 - t1)) s"
echo "make build (server, wasm, site): $((t3 - t2)) s"
echo "total: $((t3 - t0)) s"
[ -n "${1:-}" ] || rm -rf "$work"
