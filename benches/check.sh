#!/usr/bin/env bash
# Times `obc check` on generated contracts of growing size (the editor case: a check on every
# keystroke). Not part of `cargo test`; see docs/performance.md for results.
# Usage: benches/check.sh [INDICATORS...]   (default: 100 1000 5000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
sizes=("${@:-100 1000 5000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-12s %-10s %-10s %-12s\n' indicators file-KB seconds peak-RSS-MB
for n in ${sizes[@]}; do
  python3 benches/generate-contract.py "$n" > "$work/contract.obc"
  size=$(( $(stat -c %s "$work/contract.obc") / 1024 ))
  /usr/bin/time -f '%e %M' -o "$work/time" target/release/obc check --format concise "$work/contract.obc" > "$work/out.txt" || true
  read -r seconds kb < <(tail -n 1 "$work/time")
  printf '%-12s %-10s %-10s %-12s\n' "$n" "$size" "$seconds" "$(( kb / 1024 ))"
done
