#!/usr/bin/env bash
# Streams generated participant records through a rate-card contract and reports wall time and
# peak memory for each size. Not part of `cargo test`; see docs/performance.md for results.
# Usage: benches/participants.sh [SIZES...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
sizes=("${@:-100000 1000000}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '%-10s %-12s %-10s %-12s\n' records file-MB seconds peak-RSS-MB
for n in ${sizes[@]}; do
  python3 benches/generate-participants.py "$n" > "$work/participants.csv"
  size=$(( $(stat -c %s "$work/participants.csv") / 1048576 ))
  /usr/bin/time -f '%e %M' -o "$work/time" \
    target/release/obc eval benches/rate-card-stream.obc --data "$work/participants.csv" --format csv > "$work/out.csv"
  read -r seconds kb < <(tail -n 1 "$work/time")
  printf '%-10s %-12s %-10s %-12s\n' "$n" "$size" "$seconds" "$(( kb / 1024 ))"
done
