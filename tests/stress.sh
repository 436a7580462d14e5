#!/usr/bin/env bash
# Runs the tests that time, scheduling and the network can upset (CTest label `stress`: the HTTP client and
# its connection accounting, exsim and its HTTP/2, the fault matrix, the refresher, the benchmark) RUNS times
# with every core busy (stress-ng, one CPU worker per core, started and stopped here), and prints how many
# runs each test passed. Any failure fails the script; the failing runs' output is kept.
#
#   tests/stress.sh [--runs N] [--build DIR] [--parallel J]    defaults: 20 runs, build/, 2 tests at a time
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
build=${EXDASH_BUILD_DIR:-build}
parallel=2
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    *) sed -n '2,7p' "$0" >&2; exit 64 ;;
    esac
done
command -v stress-ng >/dev/null || { echo "stress.sh: stress-ng is missing (apt-get install stress-ng)" >&2; exit 69; }
[ -f "$build/CTestTestfile.cmake" ] || { echo "stress.sh: no build in $build" >&2; exit 66; }

logs="$build/stress"
rm -rf "$logs"
mkdir -p "$logs"
stress-ng --cpu "$(nproc)" --quiet &
load=$!
trap 'kill "$load" 2>/dev/null; wait "$load" 2>/dev/null || true' EXIT

declare -A passed=() failed=()
start=$SECONDS
for run in $(seq 1 "$runs"); do
    out="$logs/run-$run.log"
    QT_QPA_PLATFORM=offscreen ctest --test-dir "$build" -L '^stress$' --parallel "$parallel" --output-on-failure \
        >"$out" 2>&1 || true
    # "  3/9 Test #12: tst_httpclient ...................   Passed    9.46 sec"
    while read -r name result; do
        if [ "$result" = Passed ]; then
            passed[$name]=$((${passed[$name]:-0} + 1))
        else
            failed[$name]=$((${failed[$name]:-0} + 1))
            echo "run $run: $name $result (output: $out)" >&2
        fi
    done < <(sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) [ .]*\**\([A-Za-z]*\).*/\1 \2/p' "$out")
    echo "run $run/$runs done, $((SECONDS - start)) s" >&2
done

status=0
echo "Passes with every core busy (stress-ng --cpu $(nproc)), $runs runs, $(date -u +%Y-%m-%d):"
for name in $(printf '%s\n' "${!passed[@]}" "${!failed[@]}" | sort -u); do
    printf '  %-28s %d/%d\n' "$name" "${passed[$name]:-0}" "$runs"
    [ "${passed[$name]:-0}" -eq "$runs" ] || status=1
done
[ ${#passed[@]} -gt 0 ] || { echo "stress.sh: no test ran (label stress)" >&2; status=1; }
echo "$((SECONDS - start)) s in all"
exit "$status"
