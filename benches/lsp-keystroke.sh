#!/usr/bin/env bash
# Times obc lsp on every keystroke (the editor's case): for the largest example contract and a
# generated contract ten times its size, the time from a change to its diagnostics, over
# KEYSTROKES changes (default 200). Not part of `cargo test`; results in docs/performance.md.
# Usage: benches/lsp-keystroke.sh [KEYSTROKES]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
keystrokes="${1:-200}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
largest=$(ls -S contracts/*.obc | head -n 1)
size=$(stat -c %s "$largest")
# The generator writes about 335 bytes an indicator and payment; the count is the nearest one
# whose equal weights (100% / count) are exact to six places, so the contract checks clean.
count=$(python3 -c "n = $size * 10 // 335
print(min((c for c in range(1, 2 * n) if 10**8 % c == 0), key=lambda c: abs(c - n)))")
python3 benches/generate-contract.py "$count" > "$work/ten-times.obc"
printf '%-34s %8s %9s %9s %10s %8s %8s\n' contract KB findings open-ms median-ms p95-ms max-ms
for file in "$largest" "$work/ten-times.obc"; do
  name=$(basename "$file")
  [ "$file" = "$work/ten-times.obc" ] && name="generated, 10 x $(basename "$largest")"
  printf '%-34s ' "$name"
  python3 benches/lsp-keystroke.py target/release/obc "$file" "$keystrokes"
done
