#!/usr/bin/python3
"""Baseline clients for the exdash benchmark, run by bench/run.py beside `exdash --bench`: curl with keep-alive,
python-requests with and without a Session, each doing exdash's refresh cycle of eight calls against exsim at one or
more emulated round-trip times. exsim is started with --no-rate-limits: the baselines send back to back, as
`exdash --bench` does."""

import argparse
import datetime
import hashlib
import json
import os
import platform
import queue
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 10
TICKERS_PATH = "/api/v1/futures/market/tickers"
FUNDING_PATH = "/api/v1/futures/market/funding_rate/batch"
POSITIONS_PATH = "/api/v1/futures/position/get_pending_positions"
ACCOUNT_PATH = "/api/v1/futures/account"
MIDS_BODY = '{"type":"allMids"}'
META_BODY = '{"type":"metaAndAssetCtxs"}'


class BenchError(Exception):
    pass


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- exsim


class Exsim:
    """exsim as a child process: prints one JSON line with its endpoints, then serves until killed.

    exsim enforces the exchanges' rate limits unless told not to; a benchmark that sends back to back needs them
    off (rate_limits=False), or its calls soon come back as HTTP 429 (Hyperliquid) and code 10006 (Bitunix)."""

    def __init__(self, path, rtt_ms, server_ms, rate_limits):
        if not Path(path).is_file():
            raise BenchError(f"exsim not found at {path} (build the project or pass --exsim PATH)")
        command = [str(path), "--rtt", str(rtt_ms)] + (["--server-ms", str(server_ms)] if server_ms else []) \
            + ([] if rate_limits else ["--no-rate-limits"])
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            self.endpoints = self._read_endpoints(command, rate_limits)
        except BaseException:
            self.stop()
            raise

    def _read_endpoints(self, command, rate_limits):
        lines, errors = queue.Queue(), []
        # Both pipes are drained for exsim's whole life, so that it never blocks on a full one.
        threading.Thread(target=drain, args=(self.process.stdout, lines.put), daemon=True).start()
        stderr_reader = threading.Thread(target=drain, args=(self.process.stderr, errors.append), daemon=True)
        stderr_reader.start()
        try:
            info = json.loads(lines.get(timeout=TIMEOUT_S))
            if info.get("rateLimits", True) != rate_limits:
                raise BenchError(f"exsim reports rateLimits={info.get('rateLimits')} after {' '.join(command)}")
            return Endpoints(info["bitunix"], info["hyperliquid"], info["caFile"], info["bitunixApiKey"],
                             info["bitunixApiSecret"], info["hyperliquidAddress"])
        except (queue.Empty, ValueError, KeyError):
            self.stop()
            stderr_reader.join(timeout=1)
            stderr = b"".join(errors).decode(errors="replace").strip()
            raise BenchError(f"exsim did not print its endpoints (exit code {self.process.returncode}): "
                             f"{stderr or 'nothing on stderr'}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def drain(stream, put):
    for line in iter(stream.readline, b""):
        put(line)
    put(b"")


@dataclass
class Endpoints:
    bitunix: str
    hyperliquid: str
    ca_file: str
    api_key: str
    api_secret: str = field(repr=False)
    address: str


# ---------------------------------------------------------------- Bitunix signing (bitunixsigner.cpp)


def canonical_query(params):
    return "".join(key + value for key, value in sorted(params.items()) if value)


def bitunix_sign(nonce, timestamp, api_key, query, body, secret):
    digest = hashlib.sha256((nonce + timestamp + api_key + query + body).encode()).hexdigest()
    return hashlib.sha256((digest + secret).encode()).hexdigest()


def signed_headers(endpoints, params):
    nonce = secrets.token_hex(16)
    timestamp = str(int(time.time() * 1000))
    sign = bitunix_sign(nonce, timestamp, endpoints.api_key, canonical_query(params), "", endpoints.api_secret)
    return {"api-key": endpoints.api_key, "nonce": nonce, "timestamp": timestamp, "sign": sign,
            "language": "en-US"}


# ---------------------------------------------------------------- one refresh cycle


def refresh_cycle(endpoints):
    """The eight calls of one exdash refresh as (label, method, url, params, headers, body) builders, in the
    order exdash sends them (Refresher: per exchange, Bitunix first, the kinds Tickers, MarketStats, Positions,
    Account), with the same paths, queries and bodies (bitunixclient.cpp, hyperliquidclient.cpp). exdash sends
    them all at once; these clients send them one after another.

    Not part of a cycle: trading_pairs, which exdash fetches once per session alongside its first tickers.
    Against exsim exdash has no watchlist (`--bench` uses the defaults), so its tickers call has no ?symbols=.

    Signed headers are built per call, just before it is sent, so every request gets a fresh nonce and timestamp."""
    hl_info = endpoints.hyperliquid + "/info"
    json_header = {"Content-Type": "application/json"}
    # exdash keeps the address in lower case (HyperliquidClient::setAddress).
    address = endpoints.address.lower()

    def user_body(kind):
        return json.dumps({"type": kind, "user": address}, separators=(",", ":"))

    return [
        ("bitunix tickers", lambda: ("GET", endpoints.bitunix + TICKERS_PATH, None, {}, None)),
        ("bitunix funding_rate", lambda: ("GET", endpoints.bitunix + FUNDING_PATH, None, {}, None)),
        ("bitunix positions", lambda: ("GET", endpoints.bitunix + POSITIONS_PATH, None,
                                       signed_headers(endpoints, {}), None)),
        ("bitunix account", lambda: ("GET", endpoints.bitunix + ACCOUNT_PATH, {"marginCoin": "USDT"},
                                     signed_headers(endpoints, {"marginCoin": "USDT"}), None)),
        ("hyperliquid allMids", lambda: ("POST", hl_info, None, json_header, MIDS_BODY)),
        ("hyperliquid metaAndAssetCtxs", lambda: ("POST", hl_info, None, json_header, META_BODY)),
        ("hyperliquid clearinghouseState", lambda: ("POST", hl_info, None, json_header,
                                                    user_body("clearinghouseState"))),
        ("hyperliquid spotClearinghouseState", lambda: ("POST", hl_info, None, json_header,
                                                        user_body("spotClearinghouseState"))),
    ]


def calls_per_cycle():
    return len(refresh_cycle(Endpoints("", "", "", "", "", "")))


def check_response(label, response):
    if response.status_code != 200:
        hint = "; exsim enforces rate limits unless started with --no-rate-limits" \
            if response.status_code == 429 else ""
        raise BenchError(f"{label}: HTTP {response.status_code}: {response.text[:200]}{hint}")
    try:
        payload = response.json()
    except ValueError:
        raise BenchError(f"{label}: the answer is not JSON: {response.text[:200]}")
    if label.startswith("bitunix") and payload.get("code") != 0:
        raise BenchError(f"{label}: Bitunix code {payload.get('code')} ({payload.get('msg')}); "
                         "a 10007 means the signing is wrong, a 10006 a rate limit (start exsim with "
                         "--no-rate-limits)")


# ---------------------------------------------------------------- statistics


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


# ---------------------------------------------------------------- python-requests clients


class ConnectionCounter:
    """Counts the TCP connections urllib3 opens, by wrapping the function every new connection goes through."""

    def __init__(self):
        import urllib3.util.connection as connection
        self.module = connection
        self.original = connection.create_connection
        self.count = 0

    def __enter__(self):
        def counting(*args, **kwargs):
            self.count += 1
            return self.original(*args, **kwargs)
        self.module.create_connection = counting
        return self

    def __exit__(self, *exc):
        self.module.create_connection = self.original


def run_python_client(endpoints, cycles, use_session):
    import requests
    from requests.adapters import HTTPAdapter

    session = None
    if use_session:
        session = requests.Session()
        session.mount("https://", HTTPAdapter(pool_connections=10, pool_maxsize=20))
    send = session.request if session else requests.request
    calls, cycle_times, per_endpoint = [], [], {}
    with ConnectionCounter() as counter:
        for _ in range(cycles):
            cycle_start = time.perf_counter()
            for label, build in refresh_cycle(endpoints):
                method, url, params, headers, body = build()
                start = time.perf_counter()
                try:
                    response = send(method, url, params=params, headers=headers, data=body,
                                    verify=endpoints.ca_file, timeout=TIMEOUT_S)
                except requests.RequestException as error:
                    raise BenchError(f"{label}: {type(error).__name__}: {error}")
                elapsed = time.perf_counter() - start
                check_response(label, response)
                calls.append(elapsed)
                per_endpoint.setdefault(label, []).append(elapsed)
            cycle_times.append(time.perf_counter() - cycle_start)
    if session:
        session.close()
    warm = calls[len(per_endpoint):]
    return {
        "firstMs": ms(calls[0]),
        "warmP50Ms": ms(percentile(warm, 50)),
        "callP50Ms": ms(percentile(calls, 50)),
        "callP95Ms": ms(percentile(calls, 95)),
        "cycleP50Ms": ms(percentile(cycle_times, 50)),
        "cycleP95Ms": ms(percentile(cycle_times, 95)),
        "requests": len(calls),
        "newConnections": counter.count,
        "protocol": "http/1.1",
        "warmP50MsByEndpoint": {label: ms(percentile(times[1:], 50)) for label, times in per_endpoint.items()},
    }


# ---------------------------------------------------------------- curl clients

CURL_FIELDS = "%{http_code} %{http_version} %{num_connects} %{time_connect} %{time_appconnect} " \
              "%{time_starttransfer} %{time_total}\n"


def run_curl_client(endpoints, cycles, http2, post):
    """ONE curl process fetching the same URL cycles+1 times, so every call after the first reuses its connection."""
    count = cycles + 1
    url = endpoints.hyperliquid + "/info" if post else endpoints.bitunix + TICKERS_PATH
    command = ["curl", "--silent", "--show-error", "--cacert", endpoints.ca_file, "--max-time", str(TIMEOUT_S),
               "--http2" if http2 else "--http1.1", "--write-out", CURL_FIELDS]
    if post:
        # curl sends -d to every URL of the operation.
        command += ["--header", "Content-Type: application/json", "--data", META_BODY]
    command += ["--output", "/dev/null"] * count + [url] * count
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S * count + 5)
    except subprocess.TimeoutExpired:
        raise BenchError(f"curl did not finish within {TIMEOUT_S * count + 5} s")
    rows = [line.split() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or len(rows) != count or any(row[0] != "200" for row in rows):
        raise BenchError(f"curl failed (exit {result.returncode}, statuses {[row[0] for row in rows]}): "
                         f"{result.stderr.strip()[:300]}")
    totals = [float(row[6]) for row in rows]
    first = rows[0]
    return {
        "endpoint": "hyperliquid metaAndAssetCtxs" if post else "bitunix tickers",
        "firstMs": ms(totals[0]),
        "firstConnectMs": ms(float(first[3])),
        "firstTlsDoneMs": ms(float(first[4])),
        "firstFirstByteMs": ms(float(first[5])),
        "warmP50Ms": ms(percentile(totals[1:], 50)),
        "warmP95Ms": ms(percentile(totals[1:], 95)),
        "requests": count,
        "newConnections": sum(int(row[2]) for row in rows),
        "protocol": {"2": "h2", "1.1": "http/1.1"}.get(first[1], first[1]),
    }


# ---------------------------------------------------------------- one run, machine, output


def run_clients(endpoints, cycles):
    clients = {}
    for name, run in [
        ("curl-keepalive", lambda: run_curl_client(endpoints, cycles, http2=False, post=False)),
        ("curl-keepalive-h2", lambda: run_curl_client(endpoints, cycles, http2=True, post=False)),
        ("curl-keepalive-post", lambda: run_curl_client(endpoints, cycles, http2=False, post=True)),
        ("curl-keepalive-post-h2", lambda: run_curl_client(endpoints, cycles, http2=True, post=True)),
        ("python-session", lambda: run_python_client(endpoints, cycles, use_session=True)),
        ("python-no-session", lambda: run_python_client(endpoints, cycles, use_session=False)),
    ]:
        log(f"  {name} ...")
        clients[name] = run()
    return clients


def machine_info():
    import requests
    import urllib3
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    curl = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    uname = platform.uname()
    return {"system": uname.system, "release": uname.release, "machine": uname.machine, "node": uname.node,
            "cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(), "requests": requests.__version__,
            "urllib3": urllib3.__version__, "openssl": ssl.OPENSSL_VERSION, "curl": curl}


def print_table(report):
    columns = ["firstMs", "warmP50Ms", "callP50Ms", "callP95Ms", "cycleP50Ms", "cycleP95Ms", "requests",
               "newConnections"]
    print(f"{report['cycles']} cycles of {calls_per_cycle()} calls; curl: one URL repeated cycles+1 times in one "
          "process; ms")
    for run in report["runs"]:
        print(f"\nRTT {run['rttMs']} ms, server {run['serverMs']} ms")
        print(f"{'client':24}" + "".join(f"{c:>15}" for c in columns))
        for name, stats in run["clients"].items():
            cells = ["-" if stats.get(c) is None else str(stats[c]) for c in columns]
            print(f"{name:24}" + "".join(f"{cell:>15}" for cell in cells))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rtt", help="emulated round trip(s) in ms, comma list (default 50)")
    parser.add_argument("--server-ms", type=int, default=0, help="exsim server processing time per request")
    parser.add_argument("--cycles", type=int, default=30, help="refresh cycles per client (default 30)")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    parser.add_argument("--exsim", default=str(REPO_ROOT / "build/app/exsim"), help="path of the exsim binary")
    external = parser.add_argument_group("an already running exsim (instead of starting one; start it with "
                                         "--no-rate-limits)")
    external.add_argument("--bitunix-url")
    external.add_argument("--hyperliquid-url")
    external.add_argument("--ca-file")
    external.add_argument("--api-key", default=os.environ.get("BITUNIX_API_KEY"))
    external.add_argument("--api-secret", default=os.environ.get("BITUNIX_API_SECRET"))
    external.add_argument("--address", default=os.environ.get("HYPERLIQUID_ADDRESS"))
    args = parser.parse_args()
    if args.cycles < 1:
        parser.error("--cycles must be at least 1")
    try:
        args.rtts = [int(value) for value in (args.rtt or "50").split(",")]
    except ValueError:
        parser.error("--rtt takes integers, e.g. 0,20,50,150")
    args.external = bool(args.bitunix_url or args.hyperliquid_url)
    if args.external:
        missing = [name for name in ("bitunix_url", "hyperliquid_url", "ca_file", "api_key", "api_secret", "address")
                   if not getattr(args, name)]
        if missing:
            parser.error("an already running exsim needs " + ", ".join("--" + m.replace("_", "-") for m in missing))
        if len(args.rtts) > 1:
            parser.error("with an already running exsim, --rtt is only the label of its one RTT")
    return args


def check_tools():
    if not shutil.which("curl"):
        raise BenchError("curl not found: apt-get install -y curl")
    try:
        import requests  # noqa: F401
    except ImportError:
        raise BenchError("python-requests not found: apt-get install -y python3-requests")


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that exsim is stopped on kill too
    try:
        check_tools()
        runs = []
        if args.external:
            endpoints = Endpoints(args.bitunix_url.rstrip("/"), args.hyperliquid_url.rstrip("/"), args.ca_file,
                                  args.api_key, args.api_secret, args.address)
            rtt = args.rtts[0] if args.rtt else None
            log(f"running exsim at {endpoints.bitunix}, {endpoints.hyperliquid}")
            runs.append({"rttMs": rtt, "serverMs": args.server_ms, "clients": run_clients(endpoints, args.cycles)})
        for rtt in [] if args.external else args.rtts:
            log(f"RTT {rtt} ms: starting exsim")
            with Exsim(args.exsim, rtt, args.server_ms, rate_limits=False) as exsim:
                runs.append({"rttMs": rtt, "serverMs": args.server_ms,
                             "clients": run_clients(exsim.endpoints, args.cycles)})
    except BenchError as error:
        log(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    report = {"machine": machine_info(), "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
              "cycles": args.cycles, "runs": runs}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
