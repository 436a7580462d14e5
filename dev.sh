#!/usr/bin/env bash
# exdash's two entry points, for a fresh Debian 12 machine (as root, or with sudo):
#   ./dev.sh run [exdash options]   install what is missing, build, launch exdash (demo mode by default)
#   ./dev.sh test [ctest options]   install what is missing, build, run the whole test suite headless, then
#                                   the timing-sensitive tests again with every core busy (tests/stress.sh,
#                                   EXDASH_STRESS_RUNS rounds, default 2); then the same suite and the fuzz
#                                   targets built with clang's ASan+UBSan
#   ./dev.sh bench [run.py options] the same set-up plus the baselines' packages, then bench/run.py and
#                                   bench/idle.sh (the idle window's CPU and memory)
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,9p' "$0" >&2; exit 64; }
[ $# -ge 1 ] || usage
action=$1; shift
case "$action" in run|test|bench) ;; *) usage ;; esac

# Exactly what the build, the tests and the app need from Debian.
packages=(
    cmake g++ ninja-build pkg-config
    qt6-base-dev libqt6opengl6-dev qt6-charts-dev
    libssl-dev ca-certificates libnghttp2-dev qtkeychain-qt6-dev
    libqt6svg6 curl
    # The probe's HTTP server; its CMake package needs the WebSockets one, which Debian's -dev omits.
    qt6-httpserver-dev qt6-websockets-dev
)
# The benchmark's baselines and plot (bench/): Debian's Python with requests and matplotlib.
if [ "$action" = bench ]; then packages+=(python3 python3-requests python3-matplotlib); fi
# bench/idle.sh runs the window on a virtual display.
if [ "$action" = bench ]; then packages+=(xvfb); fi
# The sanitizer build (CMakePresets.json, preset asan): clang, its ASan/UBSan/libFuzzer runtimes (only
# recommended by clang-14), and llvm-symbolizer for readable stacks.
if [ "$action" = test ]; then packages+=(clang-14 libclang-rt-14-dev llvm-14); fi
# The probe's tests check its output with promtool, scrape it with a real Prometheus server and check its
# systemd unit with systemd-analyze.
if [ "$action" = test ]; then packages+=(prometheus systemd); fi
# tests/stress.sh keeps every core busy with it.
if [ "$action" = test ]; then packages+=(stress-ng); fi
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "Installing: ${missing[*]}" >&2
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

build=${EXDASH_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
# The app alone for run and bench: on a fresh machine the window is up in half the time.
targets=(); [ "$action" = test ] || targets=(--target exdash exsim)
cmake --build "$build" --parallel "$(nproc)" "${targets[@]}"

case "$action" in
run)
    exec "$build/app/exdash" "$@"
    ;;
test)
    export QT_QPA_PLATFORM=offscreen
    status=0
    ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@" || status=$?
    tests/stress.sh --build "$build" --runs "${EXDASH_STRESS_RUNS:-2}" || status=$?
    # The sanitizer run goes on even when the first failed: its reports often explain the failure.
    cmake --preset asan
    cmake --build --preset asan --parallel "$(nproc)"
    ctest --preset asan --parallel "$(nproc)" "$@" || status=$?
    exit "$status"
    ;;
bench)
    /usr/bin/python3 bench/run.py --exdash "$build/app/exdash" --exsim "$build/app/exsim" "$@"
    exec bench/idle.sh --build "$build"
    ;;
esac
