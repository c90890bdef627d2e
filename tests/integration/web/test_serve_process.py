"""`bluealert serve` as an operator runs it: an empty data directory, then SIGTERM."""

from __future__ import annotations

import json
import signal
import urllib.request
from pathlib import Path

from tests.integration.web.server_process import start_server


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
