#!/usr/bin/python3
"""exdash's benchmark in one run: exdash --bench (pooled and no-reuse, interleaved; and pooled at concurrency 1,
one call at a time as the Python client sends) and the baselines of baselines.py (curl keep-alive,
python-requests with and without a Session) at each emulated RTT, each against an exsim process of its own with
its rate limits off; then the window's start (exdash --startup-report, demo and live against an exsim process,
at RTT 50). Writes results.json, table.md and latency-vs-rtt.png to --out."""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import baselines

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_exdash(binary, rtt, cycles, extra=()):
    command = [str(binary), "--bench", "--json", "--rtt", str(rtt), "--cycles", str(cycles), *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise baselines.BenchError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-300:]}")
    return json.loads(result.stdout)


def run_startup(binary, arguments, environment, runs):
    """exdash --startup-report, offscreen, each run with settings of its own; the median of each figure."""
    reports = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = dict(os.environ, **environment, HOME=home, XDG_CONFIG_HOME=home, QT_QPA_PLATFORM="offscreen")
            command = [str(binary), "--startup-report", *arguments]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
        if result.returncode != 0:
            raise baselines.BenchError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-300:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        if report["failedFeeds"]:
            raise baselines.BenchError(f"{' '.join(command)}: {report['failedFeeds']} feeds failed their first call")
        reports.append(report)
    keys = ("launchToFirstPaintMs", "sessionStartMs", "requestsToFirstRefreshMs", "launchToFirstRefreshMs")
    return {key: round(statistics.median(report[key] for report in reports), 1) for key in keys} | {"runs": runs}


def startup(binary, exsim_binary, rtt, runs):
    demo = run_startup(binary, ["--rtt", str(rtt)], {}, runs)
    with baselines.Exsim(exsim_binary, rtt, 0, rate_limits=True) as exsim:
        e = exsim.endpoints
        live = run_startup(binary, ["--bitunix-url", e.bitunix, "--hyperliquid-url", e.hyperliquid, "--ca-file",
                                    e.ca_file, "--hyperliquid-address", e.address],
                           {"BITUNIX_API_KEY": e.api_key, "BITUNIX_API_SECRET": e.api_secret}, runs)
    return {"rttMs": rtt, "demo": demo, "live": live}


def startup_table(report):
    start = report["startup"]
    rtt = start["rttMs"]
    floor = floor_ms(rtt, 0, new_connection=True)
    lines = ["| mode | launch to first paint | session start | first requests to first complete refresh | "
             "× (3 RTT) | launch to first complete refresh |",
             "|---|---:|---:|---:|---:|---:|"]
    for mode in ("demo", "live"):
        s = start[mode]
        lines.append(f"| {mode} | {number(s['launchToFirstPaintMs'])} | {number(s['sessionStartMs'])} "
                     f"| {number(s['requestsToFirstRefreshMs'])} | {ratio(s['requestsToFirstRefreshMs'], floor)} "
                     f"| {number(s['launchToFirstRefreshMs'])} |")
    return (f"Start of the window at RTT {rtt} ms, median of {start['demo']['runs']} launches each, offscreen "
            "(launch times from /proc, 10 ms resolution):\n\n" + "\n".join(lines) + "\n")


def floor_ms(rtt, server_ms, new_connection=False):
    """The physics: one round trip (plus the server's time) for a warm call or a concurrent refresh, three for
    a call on a new connection (TCP, TLS 1.3, the request)."""
    return (3 if new_connection else 1) * rtt + server_ms


def rows_for(run, exdash):
    """One row per client: warm call p50, first call, refresh cycle p50, in ms."""
    clients = run["clients"]
    rows = []
    for arm, label in (("pooled", "exdash pooled"), ("no-reuse", "exdash no-reuse")):
        mode = exdash["modes"][arm]
        rows.append({"client": label, "warm": mode["callP50Ms"], "first": mode["callFirstMs"],
                     "cycle": mode["cycleP50Ms"], "connections": mode["newConnections"],
                     "requests": mode["requests"], "cpu": mode["cpuMsPerRequest"], "newEveryCall": arm == "no-reuse"})
    mode = run["exdashSequential"]["modes"]["pooled"]
    rows.append({"client": "exdash pooled, concurrency 1", "warm": mode["callP50Ms"], "first": mode["callFirstMs"],
                 "cycle": mode["cycleP50Ms"], "connections": mode["newConnections"], "requests": mode["requests"],
                 "cpu": mode["cpuMsPerRequest"], "newEveryCall": False})
    for name in ("curl-keepalive", "curl-keepalive-h2"):
        stats = clients[name]
        rows.append({"client": name, "warm": stats["warmP50Ms"], "first": stats["firstMs"], "cycle": None,
                     "connections": stats["newConnections"], "requests": stats["requests"], "cpu": None,
                     "newEveryCall": False})
    for name, fresh in (("python-session", False), ("python-no-session", True)):
        stats = clients[name]
        rows.append({"client": name, "warm": stats["warmP50Ms"], "first": stats["firstMs"],
                     "cycle": stats["cycleP50Ms"], "connections": stats["newConnections"],
                     "requests": stats["requests"], "cpu": None, "newEveryCall": fresh})
    return rows


def ratio(value, floor):
    return f"{value / floor:.2f}×" if value is not None and floor > 0 else "—"


def number(value):
    return "—" if value is None else f"{value:.1f}"


def table(report):
    lines = [
        "| RTT | client | warm call p50 | ×floor | first call | ×floor | refresh cycle p50 | ×floor | new conn. / requests |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for entry in report["runs"]:
        rtt, server = entry["rttMs"], entry["serverMs"]
        for row in entry["rows"]:
            warm_floor = floor_ms(rtt, server, row["newEveryCall"])
            lines.append(
                f"| {rtt} | {row['client']} | {number(row['warm'])} | {ratio(row['warm'], warm_floor)} "
                f"| {number(row['first'])} | {ratio(row['first'], floor_ms(rtt, server, True))} "
                f"| {number(row['cycle'])} | {ratio(row['cycle'], floor_ms(rtt, server, row['newEveryCall']))} "
                f"| {row['connections']} / {row['requests']} |")
    return "\n".join(lines) + "\n"


def cpu_table(report):
    """Where exdash's CPU per request goes, by thread, and how often its threads sleep and wake."""
    lines = ["| RTT | exdash --reuse pooled | CPU per request | main thread | exdash-net | Qt's network thread "
             "| other threads | threads that ended | context switches per request |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for entry in report["runs"]:
        for label, mode in (("refresh cycles", entry["exdashPooled"]["modes"]["pooled"]),
                            ("concurrency 1", entry["exdashSequential"]["modes"]["pooled"])):
            threads = mode.get("cpuMsPerRequestByThread") or {}
            cells = [threads.get(k) for k in ("main", "exdash-net", "qt-network", "other", "ended")]
            lines.append(f"| {entry['rttMs']} | {label} | {mode['cpuMsPerRequest']:.3f} | "
                         + " | ".join("—" if c is None else f"{c:.3f}" for c in cells)
                         + f" | {number(mode.get('contextSwitchesPerRequest'))} |")
    return "\n".join(lines) + "\n"


def targets(report):
    """The issue's targets, each with the number that decides it."""
    out = []
    for entry in report["runs"]:
        rows = {row["client"]: row for row in entry["rows"]}
        rtt = entry["rttMs"]
        pooled, fresh = rows["exdash pooled"], rows["exdash no-reuse"]
        sequential = rows["exdash pooled, concurrency 1"]
        curl = min(rows["curl-keepalive"]["warm"], rows["curl-keepalive-h2"]["warm"])
        floor = floor_ms(rtt, entry["serverMs"])
        checks = [
            ("concurrency 1: call p50 ≤ python-session's (ratio)", sequential["warm"] / rows["python-session"]["warm"],
             1, "≤"),
            ("concurrency 1: call p50 − curl's ≤ 0.5 ms", sequential["warm"] - curl, 0.5, "≤"),
            ("refresh cycle p50 ≤ 1.2 × (1 RTT + server)", pooled["cycle"] / floor if floor else None, 1.2, "≤"),
            ("≥ 4 × faster cycle than python-session", rows["python-session"]["cycle"] / pooled["cycle"], 4, "≥"),
            ("client CPU ≤ 0.3 ms per request (exsim in its own process, pooled run)",
             entry["exdashPooled"]["modes"]["pooled"]["cpuMsPerRequest"], 0.3, "≤"),
        ]
        if rtt == 50:
            checks.insert(1, ("no-reuse p50 / pooled p50 ≥ 2.9", fresh["warm"] / pooled["warm"], 2.9, "≥"))
        for name, value, limit, sense in checks:
            if value is None:
                continue
            met = value <= limit if sense == "≤" else value >= limit
            out.append(f"| {rtt} | {name} | {value:.2f} | {'met' if met else 'missed'} |")
    start = report.get("startup")
    if start:
        limit = 1.15 * floor_ms(start["rttMs"], 0, new_connection=True)
        for mode in ("demo", "live"):
            s = start[mode]
            whole = limit + s["launchToFirstPaintMs"]
            out.append(f"| {start['rttMs']} | {mode}: launch to first complete refresh ≤ 3 RTT + 15 % + launch to "
                       f"first paint ({whole:.1f} ms) | {s['launchToFirstRefreshMs']:.1f} "
                       f"| {'met' if s['launchToFirstRefreshMs'] <= whole else 'missed'} |")
            value = s["requestsToFirstRefreshMs"]
            out.append(f"| {start['rttMs']} | {mode}: first requests to first complete refresh ≤ 3 RTT + 15 % "
                       f"({limit:.1f} ms) | {value:.1f} | {'met' if value <= limit else 'missed'} |")
    return "| RTT | target | measured | |\n|---:|---|---:|---|\n" + "\n".join(out) + "\n"


def plot(report, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rtts = [entry["rttMs"] for entry in report["runs"]]
    figure, (warm, cycle) = plt.subplots(1, 2, figsize=(11, 4.2), dpi=110)
    clients = [row["client"] for row in report["runs"][0]["rows"]]
    for index, client in enumerate(clients):
        series = [next(r for r in entry["rows"] if r["client"] == client) for entry in report["runs"]]
        style = dict(color=f"C{index}", marker="o" if client.startswith("exdash") else ".",
                     linestyle="-" if client.startswith("exdash") else "--", label=client)
        warm.plot(rtts, [r["warm"] for r in series], **style)
        if all(r["cycle"] is not None for r in series):
            cycle.plot(rtts, [r["cycle"] for r in series], **style)
    for axis, title in ((warm, "call p50 (warm; no-reuse: every call)"), (cycle, "refresh cycle p50")):
        axis.plot(rtts, rtts, ":", color="grey", label="1 RTT (the floor)")
        axis.set_title(title)
        axis.set_xlabel("emulated RTT, ms")
        axis.set_ylabel("ms")
        axis.grid(alpha=0.3)
    warm.legend(fontsize=8)
    cycle.legend(fontsize=8)
    figure.suptitle(f"exdash vs baselines on exsim, {report['cycles']} cycles, {report['date'][:10]}", fontsize=10)
    figure.tight_layout()
    figure.savefig(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtt", default="0,20,50,150", help="comma list of RTTs in ms (default 0,20,50,150)")
    parser.add_argument("--cycles", type=int, default=30)
    parser.add_argument("--exdash", default=str(REPO_ROOT / "build/app/exdash"))
    parser.add_argument("--exsim", default=str(REPO_ROOT / "build/app/exsim"))
    parser.add_argument("--out", default=str(REPO_ROOT / "bench/results"))
    parser.add_argument("--startup-runs", type=int, default=5, help="launches per mode for the window's start")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        baselines.check_tools()
        runs = []
        for rtt in (int(value) for value in args.rtt.split(",")):
            baselines.log(f"RTT {rtt} ms: exdash --bench")
            exdash = run_exdash(args.exdash, rtt, args.cycles)
            # CPU per request from a run of the pooled arm alone: in an interleaved run the no-reuse arm's
            # managers end in a thread of their own, partly during the next (pooled) cycle.
            baselines.log(f"RTT {rtt} ms: exdash --bench --reuse pooled")
            pooled_only = run_exdash(args.exdash, rtt, args.cycles, ["--reuse", "pooled"])
            baselines.log(f"RTT {rtt} ms: exdash --bench --concurrency 1")
            sequential = run_exdash(args.exdash, rtt, args.cycles, ["--concurrency", "1", "--reuse", "pooled"])
            baselines.log(f"RTT {rtt} ms: baselines")
            with baselines.Exsim(args.exsim, rtt, 0, rate_limits=False) as exsim:
                clients = baselines.run_clients(exsim.endpoints, args.cycles)
            entry = {"rttMs": rtt, "serverMs": 0, "exdash": exdash, "exdashPooled": pooled_only,
                     "exdashSequential": sequential,
                     "clients": clients}
            entry["rows"] = rows_for(entry, exdash)
            runs.append(entry)
        baselines.log("the window's start at RTT 50 ms, demo and live")
        start = startup(args.exdash, args.exsim, 50, args.startup_runs)
    except baselines.BenchError as error:
        baselines.log(f"error: {error}")
        return 1
    report = {"machine": baselines.machine_info(), "cycles": args.cycles,
              "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "runs": runs,
              "startup": start}
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    machine = report["machine"]
    text = (f"{report['date']}, {machine['cpu']} ({machine['cpus']} CPUs), {machine['system']} {machine['release']}, "
            f"{report['cycles']} cycles per client; ms.\n\n" + table(report) + "\n" + cpu_table(report) + "\n" + startup_table(report) + "\n"
            + targets(report))
    (out / "table.md").write_text(text)
    print(text)
    try:
        plot(report, out / "latency-vs-rtt.png")
    except ImportError:
        baselines.log(f"no plot: {sys.executable} has no matplotlib (apt-get install -y python3-matplotlib "
                      "installs it for /usr/bin/python3)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
