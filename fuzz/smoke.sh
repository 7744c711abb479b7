#!/usr/bin/env bash
# A short pass of every fuzz target, for CI (.ci/run): each runs for SECONDS (default 12) from a
# sample of its seed corpus (every tenth file seed.sh copies), so a change that crashes on the
# project's own inputs or a near mutation of them is caught. docs/fuzzing.md says more.
# Needs the nightly toolchain and cargo-fuzz; installs cargo-fuzz when it is missing.
# Usage: fuzz/smoke.sh [SECONDS]
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
cd "$fuzz"
seconds="${1:-12}"
if ! command -v cargo-fuzz >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --version 0.13.2 --quiet
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
./seed.sh >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
targets=(parse_check eval_data emit_all fmt_roundtrip lsp_edits)
cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  find "corpus/$target" -type f | sort | awk 'NR % 10 == 1' | xargs -r cp -t "$work/$target"
  dict=obc.dict
  [ "$target" = eval_data ] && dict=data.dict
  if ! cargo +nightly fuzz run -O "$target" "$work/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -dict="$dict" \
    -artifact_prefix="$work/" -print_final_stats=1 >"$work/$target.log" 2>&1; then
    echo "fuzz smoke: $target failed (the input is in the base64 line below):" >&2
    grep -v '^    ' "$work/$target.log" | tail -n 40 >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$target.log" | grep -o '[0-9]*$')
  echo "fuzz smoke: $target ran ${runs:-?} inputs in ${seconds} s from $(find "$work/$target" -maxdepth 1 -type f | wc -l) seeds"
done
