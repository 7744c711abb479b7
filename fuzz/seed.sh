#!/usr/bin/env bash
# Seeds the fuzz corpora from the repository's own inputs:
#   parse_check, emit_all, fmt_roundtrip, lsp_edits: every *.obc under tests/ and
#                          contracts/, and the ```obc examples of docs/language.md (for
#                          lsp_edits, text alone: opened and asked every request);
#   eval_data:             every *.csv, *.json and *.xlsx under tests/ and contracts/.
# Files are named by their content's SHA-1, as libFuzzer names what it finds, so seeding twice
# (or over a corpus a run has grown) adds nothing twice. The corpora are not committed.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
cd "$repo"

copy() { # copy TARGET FILE...
  local target="$1"
  shift
  mkdir -p "$fuzz/corpus/$target"
  local file
  for file in "$@"; do
    cp "$file" "$fuzz/corpus/$target/$(sha1sum <"$file" | cut -d' ' -f1)"
  done
}

mapfile -t contracts < <(find tests contracts -type f -name '*.obc' | sort)
mapfile -t data < <(find tests contracts -type f \( -name '*.csv' -o -name '*.json' -o -name '*.xlsx' \) | sort)

# The language reference's examples, one file each.
examples="$(mktemp -d)"
trap 'rm -rf "$examples"' EXIT
awk -v dir="$examples" '
  /^```obc/ { n++; out = sprintf("%s/example-%03d.obc", dir, n); inside = 1; next }
  /^```/    { if (inside) close(out); inside = 0; next }
  inside    { print > out }
' docs/language.md
mapfile -t -O "${#contracts[@]}" contracts < <(find "$examples" -type f -name '*.obc' | sort)

for target in parse_check emit_all fmt_roundtrip lsp_edits; do
  copy "$target" "${contracts[@]}"
done
copy eval_data "${data[@]}"
for target in parse_check emit_all fmt_roundtrip lsp_edits eval_data; do
  echo "corpus/$target: $(find "$fuzz/corpus/$target" -type f | wc -l) files"
done
