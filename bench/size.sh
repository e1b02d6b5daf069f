#!/usr/bin/env bash
# Prints the raw and brotli sizes of the wasm, js and css the site serves (built by
# `cargo leptos build --release --precompress`, which writes the .br files the server sends).
set -euo pipefail
dir=${1:-target/site/pkg}
total_raw=0; total_br=0
printf '%-44s %12s %12s\n' file raw brotli
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  if [ -e "$f.br" ]; then br=$(stat -c %s "$f.br"); else br=$(python3 -c 'import sys;print("n/a")'); fi
  printf '%-44s %12s %12s\n' "$(basename "$f")" "$raw" "$br"
  total_raw=$((total_raw + raw)); [ "$br" != n/a ] && total_br=$((total_br + br))
done
printf '%-44s %12s %12s\n' total "$total_raw" "$total_br"
