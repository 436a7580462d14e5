#!/usr/bin/env bash
# What the idle window costs the trader's machine: exdash in live mode at its default settings, against a
# stand-alone exsim with the full-size market (over 220 Hyperliquid perps, over 400 Bitunix contracts), under
# Xvfb. After a warm-up it reads exdash's CPU time and memory from /proc (exsim runs in its own process and
# is not counted), and prints one JSON line.
#   bench/idle.sh [--build DIR] [--seconds N] [--warmup N] [--rtt MS] [--demo-market] [--share PERCENT]
set -euo pipefail
cd "$(dirname "$0")/.."

build=build seconds=60 warmup=15 rtt=20 market=--full-market share=
while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --rtt) rtt=$2; shift 2 ;;
    --demo-market) market=; shift ;;
    --share) share=$2; shift 2 ;;
    *) sed -n '2,7p' "$0" >&2; exit 64 ;;
    esac
done
command -v Xvfb >/dev/null || { echo "idle.sh: needs Xvfb (apt-get install xvfb)" >&2; exit 69; }

scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

"$build/app/exsim" $market --rtt "$rtt" --seed 7 >"$scratch/exsim.json" 2>"$scratch/exsim.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$scratch/exsim.json" ] && break; sleep 0.1; done
field() { python3 -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())[sys.argv[2]])" "$scratch/exsim.json" "$1"; }

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X${display#:}" ] && break; sleep 0.1; done

# A settings directory of its own: the defaults, whatever this user chose in the window.
shareOption=()
[ -n "$share" ] && shareOption=(--share "$share")
XDG_CONFIG_HOME=$scratch/config HOME=$scratch DISPLAY=$display QT_QPA_PLATFORM=xcb \
    BITUNIX_API_KEY=$(field bitunixApiKey) BITUNIX_API_SECRET=$(field bitunixApiSecret) \
    "$build/app/exdash" --bitunix-url "$(field bitunix)" --hyperliquid-url "$(field hyperliquid)" \
    --ca-file "$(field caFile)" --hyperliquid-address "$(field hyperliquidAddress)" "${shareOption[@]}" \
    >"$scratch/exdash.log" 2>&1 &
exdash=$!
pids+=($exdash)

sleep "$warmup"
kill -0 "$exdash" 2>/dev/null || { echo "idle.sh: exdash exited:" >&2; cat "$scratch/exdash.log" >&2; exit 1; }
cpuTicks() { awk '{print $14 + $15}' "/proc/$exdash/stat"; }
status() { awk -v key="$1:" '$1 == key {print $2}' "/proc/$exdash/status"; }
before=$(cpuTicks)
start=$(date +%s.%N)
sleep "$seconds"
after=$(cpuTicks)
end=$(date +%s.%N)
python3 - "$before" "$after" "$start" "$end" "$(getconf CLK_TCK)" "$(status VmRSS)" "$(status VmHWM)" \
    "$(status Threads)" "${market:+full}" "${share:-default}" <<'EOF'
import json, sys
before, after, start, end, tck, rss, hwm, threads, market, share = sys.argv[1:]
wall = float(end) - float(start)
cpu = (int(after) - int(before)) / int(tck)
print(json.dumps({
    "cpuPercentOfOneCore": round(100 * cpu / wall, 2),
    "cpuSeconds": round(cpu, 2),
    "seconds": round(wall, 1),
    "rssMiB": round(int(rss) / 1024, 1),
    "peakRssMiB": round(int(hwm) / 1024, 1),
    "threads": int(threads),
    "market": market or "demo",
    "share": share,
}))
EOF
