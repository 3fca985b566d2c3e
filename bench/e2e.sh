#!/usr/bin/env bash
# End-to-end throughput run of `nazir cluster`, with quality when gold data exists.
#
#   bench/e2e.sh [CORPUS.jsonl] [-- extra nazir cluster flags]
#
# Default corpus: SaudiNewsNet (../shared/datasets/saudinewsnet, 31,030 articles,
# 107 MB), decompressed once to $TMPDIR. Runs `nazir cluster` RUNS times (default
# 3) with --verbose and prints each run's summary line and the median wall time,
# MB/s, and peak RSS as a multiple of the input size; then, for SaudiNewsNet,
# near-duplicate pair P/R against the silver pairs and story B-cubed/pairwise F1
# against datasets/stories/snn_stories_gold.tsv. The machine is shared: compare
# figures from one run of this script, not across days.
set -euo pipefail
cd "$(dirname "$0")/.."
nazir="${NAZIR:-build/tools/nazir}"
runs="${RUNS:-3}"
shared="../shared/datasets/saudinewsnet"
corpus="${1:-}"
[[ "${1:-}" == "--" || -z "${1:-}" ]] || shift
[[ "${1:-}" == "--" ]] && shift
if [[ -z "$corpus" || "$corpus" == "--" ]]; then
  corpus="${TMPDIR:-/tmp}/saudinewsnet.jsonl"
  if [[ ! -s "$corpus" ]]; then
    [[ -f "$shared/saudinewsnet.jsonl.zst" ]] || { echo "no corpus given and $shared is absent" >&2; exit 2; }
    zstd -q -dc "$shared/saudinewsnet.jsonl.zst" > "$corpus"
  fi
fi
[[ -x "$nazir" ]] || { echo "build first: $nazir not found" >&2; exit 2; }
bytes=$(stat -c %s "$corpus")
out="${TMPDIR:-/tmp}/nazir_e2e_out.jsonl"
times=() ; rss=()
for ((i = 1; i <= runs; i++)); do
  log=$( { /usr/bin/time -f "TIME %e %M" "$nazir" cluster "$corpus" -o "$out" --verbose "$@"; } 2>&1 >/dev/null )
  echo "$log" | grep -E '^nazir cluster: [0-9]+ docs|phases' | sed "s/^/run $i: /"
  times+=("$(echo "$log" | awk '/^TIME/ {print $2}')")
  rss+=("$(echo "$log" | awk '/^TIME/ {print $3}')")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(median "${times[@]}"); r=$(median "${rss[@]}")
awk -v t="$t" -v b="$bytes" -v r="$r" 'BEGIN {
  printf "median of %d: %.2f s wall, %.1f MB/s, peak RSS %.0f MB = %.2fx input (%.0f MB)\n",
         '"$runs"', t, b / 1e6 / t, r / 1024, r * 1024 / b, b / 1e6 }'
if head -c 200 "$out" | grep -q '"id":"snn-' && [[ -f "$shared/silver_neardup_pairs.tsv" ]]; then
  echo "near-duplicates vs silver pairs:"
  "$nazir" eval --pred "$out" --gold-pairs "$shared/silver_neardup_pairs.tsv" | grep -E 'pairwise'
  echo "stories vs datasets/stories/snn_stories_gold.tsv:"
  "$nazir" eval --pred "$out" --gold datasets/stories/snn_stories_gold.tsv --gold-field story \
    --pred-field story | grep -E 'pairwise|B-cubed|ARI'
fi
