#!/usr/bin/env bash
# make test-fuzz: configure and build build/fuzz (clang, libFuzzer, ASan + UBSan), replay each
# target's recorded findings, then fuzz each target for FUZZ_SECONDS over its seeds; fails on any
# crash, sanitizer report or contract violation. See backend/fuzz/README.md.
#
#   FUZZ_SECONDS=10       fuzzing time per target (the long run: FUZZ_SECONDS=600)
#   FUZZ_TARGETS="a b"    a subset (default: all nine)
#   FUZZ_JOBS=N           build parallelism and targets fuzzed at once (default: the number of cores)
#   OTQ_FUZZ_KNOWN=x,y    go on past open contract findings whose kind contains x or y
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
build=build/fuzz
seconds=${FUZZ_SECONDS:-10}
parallel=${FUZZ_JOBS:-$(nproc)}
targets=${FUZZ_TARGETS:-"json_bodies ingest metrics_query meta_insights shopify_orders provider_responses stripe_signature shopify_hmac jwt"}

started=$(date +%s)
mkdir -p "$build"
cmake -S backend -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Fuzz -DOTQ_FUZZ=ON \
  -DOTQ_BUILD_TESTS=OFF >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
cmake --build "$build" --target otq_fuzz -j"$parallel" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log"; exit 1; }
echo "test-fuzz: built in $(($(date +%s) - started)) s; fuzzing $seconds s per target, $parallel at a time"

# Leaks fail too (libFuzzer checks after each input); a UBSan report aborts with its stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/logs"

# One target: replay its findings, fuzz it; writes logs/<t>.summary (one line) and logs/<t>.report.
fuzz_target() {
  local t=$1 bin=$build/fuzz/fuzz_$1 log=$build/logs/$1.log report=$build/logs/$1.report
  local work=$build/corpus/$t artifacts=$build/artifacts/$t/ status=PASS open=() dict=() finding
  mkdir -p "$work" "$artifacts"
  : >"$report"
  [[ -f backend/fuzz/dicts/$t.dict ]] && dict=(-dict=backend/fuzz/dicts/$t.dict)

  # Each recorded finding fails the target until the bug is fixed (then it stays as a regression
  # input). The fuzzing runs either way.
  for finding in backend/fuzz/findings/"$t"/*; do
    [[ -f $finding ]] || continue
    # (in a subshell of its own, so the shell's "Aborted" goes to the log too)
    if ! ("$bin" "$finding"; exit $?) >"$build/logs/$t.finding.$(basename "$finding").log" 2>&1; then
      open+=("$(basename "$finding")")
    fi
  done
  if ((${#open[@]})); then
    status=FAIL
    echo "  $t: recorded findings that still reproduce: ${open[*]}" >>"$report"
  fi

  if ! "$bin" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts" \
      "${dict[@]}" "$work" "backend/fuzz/corpus/$t" >"$log" 2>&1; then
    status=FAIL
    (grep -m4 -E 'CONTRACT VIOLATION|runtime error|ERROR: (Address|Leak|libFuzzer)|Test unit written' "$log" || true) |
      sed "s/^/  $t: /" >>"$report"
  fi
  local runs rate cov
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$( (grep -oE 'cov: [0-9]+' "$log" || true) | tail -1 | cut -d' ' -f2)
  printf '%-19s %s  %9s runs  %6s exec/s  cov %-5s  open findings: %s\n' "$t" "$status" "${runs:-?}" \
    "${rate:-?}" "${cov:-?}" "${#open[@]}" >"$build/logs/$t.summary"
}

for t in $targets; do
  rm -f "$build/logs/$t.summary"
  fuzz_target "$t" &
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
done
wait || true

failed=()
for t in $targets; do
  cat "$build/logs/$t.report" 2>/dev/null || true
  grep -q ' PASS ' "$build/logs/$t.summary" 2>/dev/null || failed+=("$t")
done
echo "test-fuzz: $(($(date +%s) - started)) s in all"
for t in $targets; do cat "$build/logs/$t.summary" 2>/dev/null || printf '%-19s FAIL  (no summary)\n' "$t"; done
if ((${#failed[@]})); then
  echo "test-fuzz: FAILED: ${failed[*]} (inputs under $build/artifacts/, logs under $build/logs/)"
  exit 1
fi
echo "test-fuzz: no crash, sanitizer report or contract violation"
