#!/usr/bin/env bash
# Runs the libFuzzer targets of a NAZIR_FUZZ build tree for a bounded time each,
# starting from a copy of tests/fuzz/corpus/<target>/ (the repository is never
# written), and fails if any target crashes. See tests/fuzz/README.md.
#
# Usage: tests/fuzz/run.sh [BUILD_DIR] [TARGET...]
#   BUILD_DIR  a tree configured with -DNAZIR_FUZZ=ON (default build-fuzz)
#   TARGET     normalize, corpus_reader, story_deserialize, engine_open (default: all)
# Env:
#   NAZIR_FUZZ_SECONDS=45   fuzzing time per target (-max_total_time)
#   NAZIR_FUZZ_OUT=DIR      where findings are kept (default BUILD_DIR/fuzz-findings/<target>/);
#                           each run starts with an empty one
#   NAZIR_FUZZ_KNOWN_OOM="story_deserialize engine_open"
#                           targets whose out-of-memory findings (an allocation over
#                           -malloc_limit_mb, RSS over -rss_limit_mb) are a known, open
#                           bug: reported, saved, not a failure. Crashes, UB, leaks and
#                           timeouts fail whatever the list says.
#   NAZIR_FUZZ_FLAGS=...    extra libFuzzer flags (e.g. -jobs=2 -workers=2)
set -uo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-fuzz}"
shift || true
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(normalize corpus_reader story_deserialize engine_open)
seconds="${NAZIR_FUZZ_SECONDS:-45}"
# Engine::Open and StoryClusterer::Deserialize allocate what a count read from
# the file asks for (issue: counts not checked against the file size); remove
# them from this default once that is fixed.
known_oom=" ${NAZIR_FUZZ_KNOWN_OOM-story_deserialize engine_open} "
repo="$PWD"

failed=()
for t in "${targets[@]}"; do
  bin="$repo/$build/tests/fuzz/${t}_fuzz"
  if [[ ! -x "$bin" ]]; then
    echo "fuzz: $bin missing (cmake --build $build --target fuzz)" >&2
    failed+=("$t")
    continue
  fi
  out="${NAZIR_FUZZ_OUT:-$repo/$build/fuzz-findings}/$t"
  rm -rf "$out" && mkdir -p "$out"
  work="$(mktemp -d)"
  cp -r "tests/fuzz/corpus/$t" "$work/corpus"
  # -rss_limit_mb/-malloc_limit_mb: a file that makes the code ask for tens of
  # GB is a finding, not a reason to swap the CI machine to death.
  # shellcheck disable=SC2086
  (cd "$work" && "$bin" corpus -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     -malloc_limit_mb=2048 -artifact_prefix="$out/" -print_final_stats=1 \
     ${NAZIR_FUZZ_FLAGS:-} >"$out/log" 2>&1)
  rc=$?
  rm -rf "$work"
  stats="$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$out/log" | tail -1 |
           sed -E 's/^#([0-9]+)[[:space:]]+[A-Z]+[[:space:]]+(cov: [0-9]+).*(exec\/s: [0-9]+).*/\1 execs, \2, \3/')"
  artifacts=("$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* "$out"/slow-unit-*)
  found=()
  for a in "${artifacts[@]}"; do [[ -e "$a" && ! "$a" == *slow-unit-* ]] && found+=("$a"); done
  if [[ $rc -eq 0 && ${#found[@]} -eq 0 ]]; then
    echo "fuzz $t: ok ($stats)"
    continue
  fi
  only_oom=1
  for a in "${found[@]}"; do [[ "$(basename "$a")" == oom-* ]] || only_oom=0; done
  [[ ${#found[@]} -eq 0 ]] && only_oom=0
  echo "fuzz $t: FOUND ($stats), exit $rc: ${found[*]:-no artifact}"
  grep -E -m1 -A12 'ERROR: libFuzzer|ERROR: AddressSanitizer|runtime error|property violated|ERROR: LeakSanitizer' "$out/log" | sed 's/^/    /'
  echo "    log: $out/log; reproduce: $bin ${found[0]:-}"
  if [[ $only_oom -eq 1 && "$known_oom" == *" $t "* ]]; then
    echo "    (out of memory in $t: known open bug, not a failure; see NAZIR_FUZZ_KNOWN_OOM)"
  else
    failed+=("$t")
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a crash"
