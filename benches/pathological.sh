#!/usr/bin/env bash
# Times `obc check` on half-typed contracts that once made parsing exponential or quadratic: a
# payment with unclosed braces (the editor case, typing `{`), braces in strings and comments on
# unreadable lines, and a large contract with one brace never closed. Each should take time in
# proportion to its size. Not part of `cargo test` (tests/robustness.rs counts parser steps
# instead); see docs/performance.md for results.
# Usage: benches/pathological.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
row() { # name file
  /usr/bin/time -f '%e %M' -o "$work/time" target/release/obc check --format concise "$2" > /dev/null 2>&1 || true
  read -r seconds kb < <(tail -n 1 "$work/time")
  printf '%-44s %-10s %-10s %-12s\n' "$1" "$(( $(stat -c %s "$2") / 1024 ))" "$seconds" "$(( kb / 1024 ))"
}
printf '%-44s %-10s %-10s %-12s\n' input file-KB seconds peak-RSS-MB
for n in 8 16 24 31; do
  python3 -c "import sys; n=int(sys.argv[1]); print('payment a \"b\" {' + '{ '*n + 'x')" "$n" > "$work/braces.obc"
  row "payment with $n unclosed braces" "$work/braces.obc"
done
for n in 100000 1000000; do
  python3 -c "import sys; n=int(sys.argv[1]); print('payment p \"p\" {\n  x \"' + '{'*n + '\"\n  y // ' + '{'*n + '\n}')" "$n" > "$work/strings.obc"
  row "${n} braces in a string and a comment" "$work/strings.obc"
done
for n in 1000 5000; do
  python3 benches/generate-contract.py "$n" > "$work/large.obc"
  printf 'payment broken "never closed" {\n  tiers {\n' >> "$work/large.obc"
  python3 benches/generate-contract.py "$n" | sed 's/^contract /cohort /' >> "$work/large.obc"
  row "$n indicators, then a payment never closed" "$work/large.obc"
done
python3 -c "
print('indicator a \"A\" {')
for i in range(20000): print('  bogus setting', i)
print('}')" > "$work/many.obc"
row "20,000 unreadable lines, each a finding" "$work/many.obc"
