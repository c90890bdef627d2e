"""API benchmark: requests per second and p50/p99 latency under concurrent load from wrk.

Measures `GET /api/v1/alerts?status=actual` and the Atom feed served by `bluealert serve`,
next to nginx serving the same feed file in the same run (the ceiling for a static file).
The comparison is like for like: `bluealert serve --workers N` against nginx with
`worker_processes N` (N=1 by default), both on the same machine as wrk, nginx configured as in
production (sendfile, keep-alive, and the same response headers as bluealert's feed: security
headers and a request id, checked before the rounds), and either neither logging requests
(the default) or both logging each to a file (`--access-log`, with serve's default level and
nginx's buffered log). The three targets take turns for `--rounds` rounds, so that a burst
of load from elsewhere falls on all of them; each figure is the median of its rounds, and the
ratio is the median of the rounds' ratios (feed over nginx in the same round).
Needs the Debian packages wrk and nginx (scripts/ensure-debian-packages installs them).
Run: .venv/bin/python bench/api.py [--workers 1] [--rounds 3] [--seconds 5] [--connections 64]
[--access-log]
It ends with name=value lines, among them feed_ratio_to_nginx= (goal: at least 0.5).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bluealert.app import alerts as use_cases
from bluealert.app.context import open_app
from bluealert.app.database import upgrade_database
from bluealert.app.demo_data import demo_alert, seed_demo_people
from bluealert.config import Settings
from bluealert.domain.vocabulary import Claim
from bluealert.web.middleware import SECURITY_HEADERS

BLUEALERT = str(Path(sys.executable).parent / "bluealert")
CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]
NGINX_CONF = """daemon off;
worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    {access_log}
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 10000;
    server_tokens off;
    types {{ application/atom+xml atom; }}
    server {{
        listen 127.0.0.1:{port};
        location /feeds/ {{
            alias {feeds}/;
            etag on;
            expires 10s;
{headers}
        }}
    }}
}}
"""
# The response headers bluealert's feed carries, so that nginx does the same work per response
# (a production nginx in front of the snapshot files would send them too).
HEADERS = "\n".join(
    f'            add_header {name.decode()} "{value.decode()}" always;'
    for name, value in [*SECURITY_HEADERS, (b"x-request-id", b"$request_id")]
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(data_dir: Path, alerts: int) -> None:
    """Demo people and `alerts` active Texas alerts."""
    ctx = open_app(Settings(data_dir=data_dir))
    upgrade_database(ctx)
    seed_demo_people(ctx)
    now = datetime.now(UTC)
    for _ in range(alerts):
        alert = use_cases.draft_alert(ctx, actor="sgt.reyes", content=demo_alert(now))
        use_cases.submit_alert(ctx, actor="sgt.reyes", key=alert.reference, attest=CLAIMS)
        use_cases.approve_alert(ctx, actor="tx.kim", key=alert.reference)
    ctx.engine.dispose()


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, seconds: int, connections: int) -> dict[str, float]:
    """Requests per second and p50/p99 latency (ms) from wrk --latency."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    found = {
        p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors[1]} failed requests\n{out}")
    return {"rps": rps, "p50_ms": found["50"], "p99_ms": found["99"]}


def _start(
    root: Path, data_dir: Path, args: argparse.Namespace, started: list[subprocess.Popen[bytes]]
) -> tuple[str, str]:
    """bluealert serve and nginx, each with `args.workers` processes (added to `started` as
    they start), both logging each request to a file or neither; their base URLs."""
    workers = args.workers
    api_port, nginx_port = free_port(), free_port()
    level = "INFO" if args.access_log else "WARNING"  # INFO: serve's default, access log on
    env = {**os.environ, "BLUEALERT_DATA_DIR": str(data_dir), "BLUEALERT_LOG_LEVEL": level}
    command = [BLUEALERT, "serve", "--port", str(api_port)]
    command += ["--workers", str(workers)] if workers > 1 else []
    with (root / "serve.log").open("wb") as log:
        started.append(subprocess.Popen(command, env=env, stderr=log))
    base = f"http://127.0.0.1:{api_port}"
    wait_for(f"{base}/readyz")
    wait_for(f"{base}/feeds/alerts.atom")  # the snapshot exists from here on
    conf = root / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            root=root,
            port=nginx_port,
            feeds=data_dir / "feeds",
            workers=workers,
            headers=HEADERS,
            # as bluealert holds its access lines: written in batches, at most a second late
            access_log=f"access_log {root}/access.log combined buffer=64k flush=1s;"
            if args.access_log
            else "access_log off;",
        )
    )
    started.append(subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)]))
    nginx = f"http://127.0.0.1:{nginx_port}"
    wait_for(f"{nginx}/feeds/alerts.atom")
    return base, nginx


def _same_headers(feed: str, nginx: str) -> None:
    """nginx sends every header the feed sends (but uvicorn's own), or the run stops."""
    names = []
    for url in (feed, nginx):
        with urllib.request.urlopen(url, timeout=10) as answer:
            names.append({name.lower() for name in answer.headers})
    missing = names[0] - names[1] - {"date"}
    if missing:
        raise SystemExit(f"nginx does not send {sorted(missing)}: not like for like")


def _rounds(targets: dict[str, str], args: argparse.Namespace) -> dict[str, list[dict[str, float]]]:
    found: dict[str, list[dict[str, float]]] = {name: [] for name in targets}
    for _ in range(args.rounds):
        for name, url in targets.items():
            found[name].append(wrk(url, args.seconds, args.connections))
    return found


def _report(
    targets: dict[str, str],
    rounds: dict[str, list[dict[str, float]]],
    args: argparse.Namespace,
    load_before: float,
) -> None:
    medians = {
        name: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        for name, runs in rounds.items()
    }
    paired = zip(rounds["feed"], rounds["nginx_feed"], strict=True)
    ratios = [feed["rps"] / nginx["rps"] for feed, nginx in paired]
    print(f"{'what':<40} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
    for name, url in targets.items():
        r = medians[name]
        print(
            f"{url.split('//')[1].split('/', 1)[1][:38]:<40} "
            f"{r['rps']:>10.0f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f}  ({name})"
        )
    processes = "1 process" if args.workers == 1 else f"{args.workers} processes"
    print(
        f"(bluealert serve and nginx {processes} each; wrk -t2 -c{args.connections} "
        f"-d{args.seconds}s, medians of {args.rounds} interleaved rounds; {args.alerts} active "
        f"alerts; {os.cpu_count()} cores shared by the servers, wrk and anything else running; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    for name, r in medians.items():
        for key, value in r.items():
            print(f"{name}_{key}={value:.2f}")
    print(f"workers={args.workers}")
    print(f"access_log={int(args.access_log)}")
    print(f"load_before={load_before:.2f}")
    print(f"load_after={os.getloadavg()[0]:.2f}")
    print(f"rounds={args.rounds}")
    print(f"feed_ratio_to_nginx={statistics.median(ratios):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5, help="Each wrk run.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="Processes of each server.")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--alerts", type=int, default=5)
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="Both servers log every request to a file (as in production); else neither does.",
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: run scripts/ensure-debian-packages")
    root = Path(tempfile.mkdtemp(prefix="bench-api-"))
    root.chmod(0o755)  # nginx's workers run as another user and must read the feed
    data_dir = root / "data"
    seed(data_dir, args.alerts)
    started: list[subprocess.Popen[bytes]] = []
    try:
        base, nginx = _start(root, data_dir, args, started)
        targets = {
            "api_alerts": f"{base}/api/v1/alerts?status=actual",
            "feed": f"{base}/feeds/alerts.atom",
            "nginx_feed": f"{nginx}/feeds/alerts.atom",
        }
        _same_headers(targets["feed"], targets["nginx_feed"])
        load_before = os.getloadavg()[0]
        rounds = _rounds(targets, args)
    finally:
        for process in reversed(started):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        shutil.rmtree(root, ignore_errors=True)
    _report(targets, rounds, args, load_before)


if __name__ == "__main__":
    main()
