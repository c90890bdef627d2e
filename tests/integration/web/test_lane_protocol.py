"""The protocol of `bluealert serve` answers the public lane's requests itself, as the app
would answer them, at once (no ASGI task) — and leaves everything else to uvicorn and the app,
in order."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from bluealert.logs import JsonFormatter
from bluealert.web.lane_protocol import LaneHttpToolsProtocol, lane_of
from bluealert.web.middleware import SECURITY_HEADERS
from tests.integration.web.conftest import Web

DATE = (b"date", b"Mon, 30 Nov 2026 09:00:00 GMT")
FEED = b"GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\nx-request-id: proto-1\r\n\r\n"
HEALTH = b"GET /healthz HTTP/1.1\r\nhost: t\r\n\r\n"
PEER = ("192.0.2.7", 50123)


class Peer:
    """The transport under the protocol: what the client would receive."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def received(self) -> bytes:
        return b"".join(self.writes)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": PEER, "sockname": ("127.0.0.1", 8000)}.get(name, default)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def parse(data: bytes, methods: list[str]) -> list[Answer]:
    """The responses in `data`, one per request method (a HEAD's has no body)."""
    answers = []
    for method in methods:
        head, _, data = data.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = dict(line.split(": ", 1) for line in lines)
        assert len(headers) == len(lines), f"a header sent twice: {lines}"
        status = int(status_line.split(" ")[1])
        length = 0 if method == "HEAD" else int(headers.get("content-length", "0"))
        answers.append(Answer(status, headers, data[:length]))
        data = data[length:]
    assert data == b"", "more was sent than was asked"
    return answers


Run = Callable[[Callable[[LaneHttpToolsProtocol, Peer, ServerState], Awaitable[None]]], None]


@pytest.fixture
def run(web: Web) -> Run:
    """Runs a check on a protocol connected to a peer, on the app of `web`, in an event loop."""
    assert web.client.get("/feeds/alerts.atom").status_code == 200  # the snapshot exists
    config = Config(app=web.client.app, http=LaneHttpToolsProtocol, ws="none", log_config=None)

    def running(
        check: Callable[[LaneHttpToolsProtocol, Peer, ServerState], Awaitable[None]],
    ) -> None:
        async def main() -> None:
            state, peer = ServerState(), Peer()
            state.default_headers = [DATE]
            protocol = LaneHttpToolsProtocol(config, state, {})
            protocol.connection_made(peer)  # type: ignore[arg-type]
            await check(protocol, peer, state)
            protocol.connection_lost(None)

        asyncio.run(main())

    return running


async def _answered(state: ServerState) -> None:
    while state.tasks:
        await asyncio.gather(*state.tasks)
    await asyncio.sleep(0)  # the batched writes of the last turn


def test_the_lane_is_found_inside_uvicorn_s_middleware(web: Web) -> None:
    config = Config(app=web.client.app, proxy_headers=True)
    config.load()
    assert config.loaded_app is not web.client.app  # wrapped
    assert lane_of(config.loaded_app) is web.client.app.public_lane
    assert lane_of(object()) is None


def test_a_feed_is_answered_at_once_with_every_header(
    web: Web, run: Run, caplog: pytest.LogCaptureFixture
) -> None:
    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        with caplog.at_level(logging.INFO, logger="bluealert.web.access"):
            protocol.data_received(FEED)
        assert not state.tasks  # no ASGI task: answered within data_received
        [answer] = parse(peer.received(), ["GET"])
        assert answer.status == 200
        assert answer.body == (web.data_dir / "feeds" / "alerts.atom").read_bytes()
        assert answer.headers["content-length"] == str(len(answer.body))
        assert answer.headers["content-type"] == "application/atom+xml"
        assert answer.headers["cache-control"] == "public, max-age=10"
        assert re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+"', answer.headers["etag"])
        assert answer.headers["date"] == DATE[1].decode()
        assert answer.headers["x-request-id"] == "proto-1"
        for name, value in SECURITY_HEADERS:
            assert answer.headers[name.decode()] == value.decode()
        assert protocol.timeout_keep_alive_task is not None  # kept open, as after any answer
        assert state.total_requests == 1

    run(check)
    [line] = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    assert (line["route"], line["status"], line["path"]) == (
        "/feeds/{name}",
        200,
        FEED[4:22].decode(),
    )
    assert (line["request_id"], line["client"], line["method"]) == ("proto-1", PEER[0], "GET")
    metrics = web.client.get("/metrics").text
    assert 'route="/feeds/{name}",status="200"} 1.0' in metrics


def test_the_protocol_answers_what_the_app_answers(web: Web, run: Run) -> None:
    web.active_alert()
    paths = ["/feeds/alerts.rss", "/feeds/alerts.geojson", "/api/v1/alerts?status=actual"]
    by_app = [web.client.get(path) for path in paths]  # the listing's page is kept from here
    by_app.append(web.client.get(paths[2]))  # through the ASGI lane

    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.data_received(
            b"".join(f"GET {p} HTTP/1.1\r\nhost: t\r\n\r\n".encode() for p in paths)
        )
        assert not state.tasks
        answers = parse(peer.received(), ["GET"] * len(paths))
        for asked, expected, answer in zip(paths, by_app, answers, strict=False):
            assert answer.status == expected.status_code, asked
            assert answer.body == expected.content, asked
            sent = {k: v for k, v in answer.headers.items() if k not in ("date", "x-request-id")}
            assert sent == {
                k: v for k, v in expected.headers.items() if k not in ("date", "x-request-id")
            }, asked

    run(check)


def test_304_and_head_send_no_body_and_the_connection_goes_on(web: Web, run: Run) -> None:
    etag = web.client.get("/feeds/alerts.atom").headers["etag"]
    requests = [
        f"GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\nif-none-match: W/{etag}\r\n\r\n",
        "HEAD /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\n\r\n",
        'GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\nif-none-match: "other"\r\n\r\n',
    ]

    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.data_received("".join(requests).encode())  # pipelined, in one segment
        assert not state.tasks
        not_modified, head, full = parse(peer.received(), ["GET", "HEAD", "GET"])
        assert (not_modified.status, not_modified.body) == (304, b"")
        assert "content-length" not in not_modified.headers
        assert "content-type" not in not_modified.headers
        assert not_modified.headers["etag"] == etag
        assert not_modified.headers["x-frame-options"] == "DENY"
        assert (head.status, head.body) == (200, b"")
        assert head.headers["content-length"] == str(len(full.body))
        assert full.status == 200
        assert len({a.headers["x-request-id"] for a in (not_modified, head, full)}) == 3
        assert state.total_requests == 3

    run(check)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /feeds/alerts.atom HTTP/1.0\r\n\r\n",
        b"GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n",
        b"GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\nx-forwarded-for: 198.51.100.1\r\n\r\n",
        b"GET /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\ncontent-length: 2\r\n\r\nhi",
        b"GET /feeds/alerts%2Eatom HTTP/1.1\r\nhost: t\r\n\r\n",
        b"GET /api/v1/alerts?status=test HTTP/1.1\r\nhost: t\r\n\r\n",  # never asked before
        b"DELETE /feeds/alerts.atom HTTP/1.1\r\nhost: t\r\n\r\n",
        HEALTH,
    ],
    ids=["http10", "close", "proxy", "body", "encoded", "new-query", "delete", "other-path"],
)
def test_what_the_lane_does_not_answer_goes_to_the_app(run: Run, request_bytes: bytes) -> None:
    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.data_received(request_bytes)
        assert len(state.tasks) == 1  # an ASGI task: uvicorn and the app answer
        assert peer.writes == []
        await _answered(state)
        [answer] = parse(peer.received(), ["GET"])
        assert answer.headers["x-content-type-options"] == "nosniff"  # the app's middleware
        expected = 405 if request_bytes.startswith(b"DELETE") else 200
        assert answer.status == expected

    run(check)


def test_an_answer_waits_for_the_request_before_it(run: Run) -> None:
    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.data_received(HEALTH + FEED)
        assert peer.writes == []  # the feed is not sent before the health check's answer
        await _answered(state)
        health, feed = parse(peer.received(), ["GET", "GET"])
        assert health.body.startswith(b"{")
        assert feed.headers["content-type"] == "application/atom+xml"
        assert feed.headers["x-request-id"] == "proto-1"

    run(check)


def test_a_client_that_is_not_reading_is_left_to_flow_control(run: Run) -> None:
    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.pause_writing()
        protocol.data_received(FEED)
        assert peer.writes == []
        assert len(state.tasks) == 1
        protocol.resume_writing()
        await _answered(state)
        assert parse(peer.received(), ["GET"])[0].status == 200

    run(check)


def test_a_lane_failure_is_the_app_s_500_not_a_bad_request(
    web: Web, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise OSError("the feed directory is gone")

    monkeypatch.setattr(web.client.app.public_lane, "decide", broken)

    async def check(protocol: LaneHttpToolsProtocol, peer: Peer, state: ServerState) -> None:
        protocol.data_received(FEED)
        assert len(state.tasks) == 1
        await _answered(state)
        assert parse(peer.received(), ["GET"])[0].status == 500

    run(check)
