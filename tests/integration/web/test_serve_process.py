"""`bluealert serve` as an operator runs it: an empty data directory, then SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pyotp
import yaml

from bluealert.app.demo_data import DEMO_AGENCY, DEMO_AGENCY_ORI
from tests.children import dying_with_the_tests
from tests.integration.web.server_process import BLUEALERT, free_port, start_server

ROOT = Path(__file__).resolve().parents[3]


def test_serve_creates_the_store_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    data = tmp_path / "empty"
    server = start_server({"BLUEALERT_DATA_DIR": str(data)}, tmp_path / "serve.log")
    try:
        assert (data / "bluealert.db").is_file()
        with urllib.request.urlopen(f"{server.url}/api/v1/alerts/active") as answer:
            assert json.load(answer) == {"alerts": [], "next_cursor": None}
            request_id = answer.headers["x-request-id"]
    finally:
        code = server.stop()
    assert code == -signal.SIGTERM  # after a graceful stop (see Server.stop)
    lines = [json.loads(line) for line in server.log.read_text().splitlines() if line[:1] == "{"]
    actions = [line["action"] for line in lines]
    assert "store_ready" in actions
    assert actions[-1] == "server_stopped"
    logged = [line for line in lines if line.get("request_id") == request_id]
    assert logged[0]["path"] == "/api/v1/alerts/active"
    assert logged[0]["status"] == 200


def _call(url: str, path: str, body: object, session: tuple[str, str] | None = None) -> Any:
    """POST JSON; with `session` (cookie, CSRF token) as that person. The JSON answer, and the
    session cookie it set as `_cookie` (urllib's jar keeps a Secure cookie off plain HTTP)."""
    headers = {"content-type": "application/json"}
    if session is not None:
        headers |= {"cookie": session[0], "x-csrf-token": session[1]}
    sent = urllib.request.Request(
        f"{url}/api/v1{path}", data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(sent) as answer:
        found = json.load(answer)
        cookie = answer.headers.get("set-cookie", "").split(";", 1)[0]
    return found | {"_cookie": cookie} if isinstance(found, dict) else found


def _draft_submit_and_approve(url: str, coordinator: tuple[str, str]) -> str:
    """Through the API, as the demo's sergeant then its signed-in coordinator; the alert's
    reference."""
    signed = _call(url, "/session", {"username": "sgt.reyes", "password": "blue alert demo"})
    sergeant = (signed["_cookie"], signed["csrf_token"])
    content = yaml.safe_load((ROOT / "examples" / "alert-tx.yaml").read_text())
    content["requesting_agency"] = {"ori": DEMO_AGENCY_ORI, "name": DEMO_AGENCY}  # the sergeant's
    reference = _call(url, "/alerts", content, sergeant)["reference"]
    claims = ["officer_status_confirmed", "suspect_not_apprehended", "suspect_poses_serious_risk"]
    _call(url, f"/alerts/{reference}/submit", {"attest": claims}, sergeant)
    approved = _call(url, f"/alerts/{reference}/approve", {}, coordinator)
    assert approved["state"] == "active"
    return str(reference)


def test_demo_serve_prints_logins_that_work_and_serves_the_demo(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            dying_with_the_tests(BLUEALERT, "demo", "--serve", "--port", str(port)),
            env={**os.environ, "BLUEALERT_DATA_DIR": str(tmp_path / "demo")},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300
            while "serving the demo" not in log.read_text():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.5)
            time.sleep(1)
            with urllib.request.urlopen(f"{url}/api/v1/alerts?status=actual") as answer:
                assert json.load(answer)["alerts"]  # the demo's alerts, served
            printed = log.read_text()
            secret = re.search(r"tx\.kim .*TOTP secret: ([A-Z2-7]{32})", printed)
            assert secret is not None, printed
            assert re.search(r"dep\.odell .*password: blue alert demo\s*$", printed, re.M)
            code = pyotp.TOTP(secret.group(1)).now()
            kim = _call(
                url, "/session", {"username": "tx.kim", "password": "blue alert demo", "code": code}
            )
            assert kim["roles"] == ["state_coordinator"]
            reference = _draft_submit_and_approve(url, (kim["_cookie"], kim["csrf_token"]))
            arrival = f"stand-in received webhook /kxas: alert.published of {reference} v1"
            while arrival not in log.read_text():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.2)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
