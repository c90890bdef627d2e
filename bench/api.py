"""API benchmark: requests per second and p50/p99 latency under concurrent load from wrk.

Measures `GET /api/v1/alerts?status=actual` and the Atom feed served by `bluealert serve`,
next to nginx serving the same feed file in the same run (the ceiling for a static file).
Needs the Debian packages wrk and nginx (scripts/ensure-debian-packages installs them).
Run: .venv/bin/python bench/api.py [--seconds 10] [--connections 64] [--alerts 5]
It ends with name=value lines, among them feed_ratio_to_nginx= (goal: at least 0.5).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
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
from bluealert.app.demo_data import DEMO_USERS, demo_alert
from bluealert.app.users import add_user
from bluealert.config import Settings
from bluealert.domain.vocabulary import Claim

BLUEALERT = str(Path(sys.executable).parent / "bluealert")
CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]
NGINX_CONF = """daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    types {{ application/atom+xml atom; }}
    server {{
        listen 127.0.0.1:{port};
        location /feeds/ {{ alias {feeds}/; etag on; }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(data_dir: Path, alerts: int) -> None:
    """Demo people and `alerts` active Texas alerts."""
    ctx = open_app(Settings(data_dir=data_dir))
    upgrade_database(ctx)
    for person in DEMO_USERS:
        add_user(ctx, actor="admin", user=person)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--alerts", type=int, default=5)
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: run scripts/ensure-debian-packages")
    root = Path(tempfile.mkdtemp(prefix="bench-api-"))
    root.chmod(0o755)  # nginx's workers run as another user and must read the feed
    data_dir = root / "data"
    seed(data_dir, args.alerts)
    api_port, nginx_port = free_port(), free_port()
    env = {**os.environ, "BLUEALERT_DATA_DIR": str(data_dir), "BLUEALERT_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen([BLUEALERT, "serve", "--port", str(api_port)], env=env)
    nginx = None
    try:
        base = f"http://127.0.0.1:{api_port}"
        wait_for(f"{base}/readyz")
        wait_for(f"{base}/feeds/alerts.atom")  # the snapshot exists from here on
        conf = root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=root, port=nginx_port, feeds=data_dir / "feeds"))
        nginx = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(root)])
        wait_for(f"http://127.0.0.1:{nginx_port}/feeds/alerts.atom")
        targets = {
            "api_alerts": f"{base}/api/v1/alerts?status=actual",
            "feed": f"{base}/feeds/alerts.atom",
            "nginx_feed": f"http://127.0.0.1:{nginx_port}/feeds/alerts.atom",
        }
        results = {name: wrk(url, args.seconds, args.connections) for name, url in targets.items()}
    finally:
        for process in (nginx, server):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)
        shutil.rmtree(root, ignore_errors=True)
    print(f"{'what':<40} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
    for name, url in targets.items():
        r = results[name]
        print(
            f"{url.split('//')[1].split('/', 1)[1][:38]:<40} "
            f"{r['rps']:>10.0f} {r['p50_ms']:>9.2f} {r['p99_ms']:>9.2f}  ({name})"
        )
    ratio = results["feed"]["rps"] / results["nginx_feed"]["rps"]
    print(
        f"(wrk -t2 -c{args.connections} -d{args.seconds}s; {args.alerts} active alerts; "
        f"{os.cpu_count()} cores shared by server, nginx and wrk)"
    )
    for name, r in results.items():
        for key, value in r.items():
            print(f"{name}_{key}={value:.2f}")
    print(f"feed_ratio_to_nginx={ratio:.3f}")


if __name__ == "__main__":
    main()
