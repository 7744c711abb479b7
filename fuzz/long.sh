#!/usr/bin/env bash
# One long fuzzing run of a target on its growing corpus, logged to fuzz/logs/TARGET.log, with
# the figures docs/fuzzing.md records (runs, coverage, corpus, time) at its end.
# Usage: fuzz/long.sh TARGET [SECONDS]   (default 3600; run ./seed.sh first)
set -uo pipefail
cd "$(dirname "$0")"
target="$1"
seconds="${2:-3600}"
dict=obc.dict
[ "$target" = eval_data ] && dict=data.dict
mkdir -p "corpus/$target" "artifacts/$target" logs
start=$(date +%s)
cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -dict="$dict" \
  -print_final_stats=1 -artifact_prefix="artifacts/$target/" >"logs/$target.log" 2>&1
status=$?
echo "exit $status after $(( $(date +%s) - start )) s" >>"logs/$target.log"
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "logs/$target.log"
grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' "logs/$target.log" | tail -n 1
exit $status
