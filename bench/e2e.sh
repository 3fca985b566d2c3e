#!/usr/bin/env bash
# End-to-end throughput run of the `nazir` CLI, with quality when gold data exists.
#
#   bench/e2e.sh [CORPUS.jsonl] [-- extra nazir cluster flags]
#
# Default corpus: SaudiNewsNet (../shared/datasets/saudinewsnet, 31,030 articles,
# 107 MB), decompressed once to $TMPDIR. Runs `nazir cluster` RUNS times (default
# 3) with stories and as many times with --no-stories, interleaved, and prints
# each run's phase line, the medians (wall, MB/s, peak RSS as a multiple of the
# input size) and what stories add to the wall time (the issue's budget: +30%).
# Then, unless STREAMING=0, the feed path: `nazir add` of the whole corpus into a
# new index one article at a time (docs/s, peak RSS, index size) and the time to
# reopen it. For SaudiNewsNet: near-duplicate pair P/R against the silver pairs
# and story B-cubed/pairwise F1 against datasets/stories/snn_stories_gold.tsv.
# The machine is shared: compare figures from one run of this script.
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
tmp="${TMPDIR:-/tmp}"
out="$tmp/nazir_e2e_out.jsonl"
declare -A times rss
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for ((i = 1; i <= runs; i++)); do
  for mode in stories no-stories; do
    flags=(--verbose --max-messages 0)
    [[ "$mode" == no-stories ]] && flags+=(--no-stories)
    dest="$out"
    [[ "$mode" == no-stories ]] && dest="$tmp/nazir_e2e_out_nostories.jsonl"
    log=$( { /usr/bin/time -f "TIME %e %M" "$nazir" cluster "$corpus" -o "$dest" "${flags[@]}" "$@"; } 2>&1 >/dev/null )
    echo "$log" | grep -E '^nazir cluster: [0-9]+ docs|phases' | sed "s/^/run $i $mode: /"
    times[$mode]+=" $(echo "$log" | awk '/^TIME/ {print $2}')"
    rss[$mode]+=" $(echo "$log" | awk '/^TIME/ {print $3}')"
  done
done
for mode in no-stories stories; do
  # shellcheck disable=SC2086
  t=$(median ${times[$mode]}); r=$(median ${rss[$mode]})
  awk -v t="$t" -v b="$bytes" -v r="$r" -v m="$mode" -v n="$runs" 'BEGIN {
    printf "%-10s median of %d: %.2f s wall, %.1f MB/s, peak RSS %.0f MB = %.2fx input (%.0f MB)\n",
           m, n, t, b / 1e6 / t, r / 1024, r * 1024 / b, b / 1e6 }'
done
# shellcheck disable=SC2086
awk -v a="$(median ${times[no-stories]})" -v b="$(median ${times[stories]})" 'BEGIN {
  printf "stories add %+.0f%% to the wall time (budget +30%%)\n", (b / a - 1) * 100 }'

if [[ "${STREAMING:-1}" != 0 ]]; then
  index="$tmp/nazir_e2e.nzi"
  rm -f "$index"
  log=$( { /usr/bin/time -f "TIME %e %M" "$nazir" add --index "$index" "$corpus" -o /dev/null --max-messages 0; } 2>&1 >/dev/null )
  echo "$log" | grep -E '^nazir add: (created|opened)' | sed "s/^/feed: /"
  echo "$log" | awk -v s="$(stat -c %s "$index")" '/^TIME/ {
    printf "feed: nazir add, one article at a time: %.2f s wall, peak RSS %.0f MB; index file %.0f MB\n", $2, $3 / 1024, s / 1e6 }'
  echo '{"id":"nazir-e2e-probe","text":"probe"}' > "$tmp/nazir_e2e_probe.jsonl"
  log=$( { /usr/bin/time -f "TIME %e %M" "$nazir" add --index "$index" --no-save "$tmp/nazir_e2e_probe.jsonl"; } 2>&1 >/dev/null )
  echo "$log" | grep -E '^nazir add: opened' | sed "s/^/feed: /"
  echo "$log" | awk '/^TIME/ { printf "feed: reopen + one article: %.2f s wall, peak RSS %.0f MB\n", $2, $3 / 1024 }'
  rm -f "$index" "$tmp/nazir_e2e_probe.jsonl"
fi

if head -c 200 "$out" | grep -q '"id":"snn-' && [[ -f "$shared/silver_neardup_pairs.tsv" ]]; then
  echo "near-duplicates vs silver pairs:"
  "$nazir" eval --pred "$out" --gold-pairs "$shared/silver_neardup_pairs.tsv" | grep -E 'pairwise'
  echo "stories vs datasets/stories/snn_stories_gold.tsv:"
  "$nazir" eval --pred "$out" --gold datasets/stories/snn_stories_gold.tsv --gold-field story \
    --pred-field story | grep -E 'pairwise|B-cubed|ARI'
fi
