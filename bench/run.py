#!/usr/bin/python3
"""exdash's benchmark in one run: exdash --bench (pooled and no-reuse, interleaved) and the baselines of
baselines.py (curl keep-alive, python-requests with and without a Session) at each emulated RTT, against the
same exsim code with its rate limits off (exdash --bench turns them off in its own exsim; the baselines' exsim is
started with --no-rate-limits). Writes results.json, table.md and latency-vs-rtt.png to --out."""

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

import baselines

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_exdash(binary, rtt, cycles):
    command = [str(binary), "--bench", "--json", "--rtt", str(rtt), "--cycles", str(cycles)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise baselines.BenchError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-300:]}")
    return json.loads(result.stdout)


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


def targets(report):
    """The issue's targets, each with the number that decides it."""
    out = []
    for entry in report["runs"]:
        rows = {row["client"]: row for row in entry["rows"]}
        rtt = entry["rttMs"]
        pooled, fresh = rows["exdash pooled"], rows["exdash no-reuse"]
        curl = min(rows["curl-keepalive"]["warm"], rows["curl-keepalive-h2"]["warm"])
        floor = floor_ms(rtt, entry["serverMs"])
        checks = [
            ("warm call p50 ≤ 1.03 × curl's", pooled["warm"] / curl, 1.03, "≤"),
            ("refresh cycle p50 ≤ 1.2 × (1 RTT + server)", pooled["cycle"] / floor if floor else None, 1.2, "≤"),
            ("≥ 4 × faster cycle than python-session", rows["python-session"]["cycle"] / pooled["cycle"], 4, "≥"),
            ("client CPU ≤ 0.3 ms per request", pooled["cpu"], 0.3, "≤"),
        ]
        if rtt == 50:
            checks.insert(1, ("no-reuse p50 / pooled p50 ≥ 2.9", fresh["warm"] / pooled["warm"], 2.9, "≥"))
        for name, value, limit, sense in checks:
            if value is None:
                continue
            met = value <= limit if sense == "≤" else value >= limit
            out.append(f"| {rtt} | {name} | {value:.2f} | {'met' if met else 'missed'} |")
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
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        baselines.check_tools()
        runs = []
        for rtt in (int(value) for value in args.rtt.split(",")):
            baselines.log(f"RTT {rtt} ms: exdash --bench")
            exdash = run_exdash(args.exdash, rtt, args.cycles)
            baselines.log(f"RTT {rtt} ms: baselines")
            with baselines.Exsim(args.exsim, rtt, 0, rate_limits=False) as exsim:
                clients = baselines.run_clients(exsim.endpoints, args.cycles)
            entry = {"rttMs": rtt, "serverMs": 0, "exdash": exdash, "clients": clients}
            entry["rows"] = rows_for(entry, exdash)
            runs.append(entry)
    except baselines.BenchError as error:
        baselines.log(f"error: {error}")
        return 1
    report = {"machine": baselines.machine_info(), "cycles": args.cycles,
              "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"), "runs": runs}
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    machine = report["machine"]
    text = (f"{report['date']}, {machine['cpu']} ({machine['cpus']} CPUs), {machine['system']} {machine['release']}, "
            f"{report['cycles']} cycles per client; ms.\n\n" + table(report) + "\n" + targets(report))
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
