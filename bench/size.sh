#!/usr/bin/env bash
# Prints the raw and brotli sizes of the wasm, js and css the site serves (built by
# `make build`, which writes the .br files the server sends),
# and fails when the wasm and js a page loads exceed the budget (BUDGET bytes of brotli,
# 250 kB by default: the self-check's promise of a fast first answer on a phone).
set -euo pipefail
dir=${1:-target/site/pkg}
budget=${BUDGET:-250000}
total_raw=0; total_br=0; script_br=0
printf '%-44s %12s %12s\n' file raw brotli
for ext in wasm js css; do
  # The newest of each kind: older hashed builds may still lie beside it.
  f=$(ls -t "$dir"/*."$ext" 2>/dev/null | head -n1 || true)
  [ -n "$f" ] && [ -e "$f" ] || continue
  raw=$(stat -c %s "$f")
  if [ -e "$f.br" ]; then br=$(stat -c %s "$f.br"); else br=n/a; fi
  printf '%-44s %12s %12s\n' "$(basename "$f")" "$raw" "$br"
  total_raw=$((total_raw + raw))
  if [ "$br" != n/a ]; then
    total_br=$((total_br + br))
    case "$f" in *.wasm|*.js) script_br=$((script_br + br)) ;; esac
  fi
done
printf '%-44s %12s %12s\n' total "$total_raw" "$total_br"
if [ "$script_br" -eq 0 ]; then
  echo "no precompressed wasm or js in $dir: build with make build" >&2
  exit 1
fi
if [ "$script_br" -gt "$budget" ]; then
  echo "wasm + js: $script_br bytes brotli, over the budget of $budget" >&2
  exit 1
fi
echo "wasm + js: $script_br bytes brotli, within the budget of $budget"
