"""uvicorn's httptools protocol, answering the public lane's requests itself.

For every request uvicorn builds an ASGI scope, a request-response cycle with its event, an
asyncio task, and two `send` messages whose headers it checks and encodes one by one: on a
feed, most of the CPU a request costs. A `GET` or `HEAD` that the public lane
(`web.public_lane`) has in memory needs none of that: its status line and headers are encoded
already (`web.prepared`), so the protocol answers it when its headers are parsed, with the
date uvicorn gives every response, the request id, the access-log line and the latency metric.

It steps aside (uvicorn and the app answer, as before) for anything else: another method or
path, a request the lane cannot answer from memory, HTTP/1.0 or `Connection: close`, a request
with a body, `Expect`, or a proxy's `X-Forwarded-*` (uvicorn's middleware reads those), while
an earlier request of the connection is still being answered (answers keep their order), and
while the client is not reading what was sent (uvicorn's flow control waits for it).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bluealert.logs import get_logger
from bluealert.web.prepared import Headers, encode_lines
from bluealert.web.public_lane import Asked, LaneAnswer, PublicLane

log = get_logger("bluealert.web")
MOST_WRAPPERS = 8  # uvicorn's middleware around the app: proxy headers, trace logging


class _BatchedWrites:
    """A transport whose writes made in one turn of the event loop leave in one system call.

    uvicorn writes a response's head and its body separately: two sends, and on loopback or
    a LAN two trips through the TCP stack, for what nginx sends with one. Everything but
    `write` and `close` passes through to the real transport."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes) -> None:
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))

    def write_now(self, data: bytes) -> None:
        """A whole response, sent at once (after anything still pending, to keep the order)."""
        if self._pending:
            self._pending.append(data)
            self.flush()
        elif not self._transport.is_closing():
            self._transport.write(data)

    def flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def lane_of(app: object) -> PublicLane | None:
    """The public lane of the app uvicorn runs, inside uvicorn's own middleware."""
    for _ in range(MOST_WRAPPERS):
        lane = getattr(app, "public_lane", None)
        if isinstance(lane, PublicLane):
            return lane
        app = getattr(app, "app", None)
        if app is None:
            return None
    return None


class LaneHttpToolsProtocol(HttpToolsProtocol):
    """The protocol of `bluealert serve`: batched writes, the public lane answered here."""

    lane: PublicLane | None = None
    answered = False  # the request being parsed was answered here: its body is not read

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self.batched = _BatchedWrites(transport, asyncio.get_running_loop())
        super().connection_made(self.batched)  # type: ignore[arg-type]
        self.lane = lane_of(self.app)
        self.peer = self.client[0] if self.client else ""
        self.defaults: Headers | None = None
        self.default_lines = b""

    def on_message_begin(self) -> None:
        self.answered = False
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        if self.lane is not None and self._may_answer() and self._answer(self.lane):
            self.answered = True
        else:
            super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if not self.answered:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if not self.answered:
            super().on_message_complete()

    def _may_answer(self) -> bool:
        parser = self.parser
        return (
            (self.cycle is None or self.cycle.response_complete)
            and not self.pipeline
            and not self.flow.write_paused
            and not self.transport.is_closing()
            and parser.get_method() in (b"GET", b"HEAD")
            and parser.get_http_version() == "1.1"
            and parser.should_keep_alive()
            and not parser.should_upgrade()
        )

    def _answer(self, lane: PublicLane) -> bool:
        started = time.perf_counter()
        url = httptools.parse_url(self.url)
        if b"%" in url.path:  # the app decodes it; no lane path needs to be
            return False
        asked = Asked.of(self.headers)
        if not asked.plain:
            return False
        path = url.path.decode("latin-1")
        try:
            answer = lane.decide(path, url.query or b"", asked)
        except Exception:  # the app answers (or fails) as it would have
            log.exception("public_lane_failed", extra={"path": path})
            return False
        if answer is None:
            return False
        method = self.parser.get_method().decode()
        self.batched.write_now(self._response(answer, with_body=method == "GET"))
        lane.record(method, path, self.peer, answer, started)
        self.on_response_complete()  # keep-alive timer, request count: as after any answer
        return True

    def _response(self, answer: LaneAnswer, with_body: bool) -> bytes:
        prepared, ok = answer.prepared, answer.status == 200
        defaults = self.server_state.default_headers
        if defaults is not self.defaults:  # uvicorn makes them anew each second (the date)
            self.defaults, self.default_lines = defaults, encode_lines(defaults)
        return b"".join(
            (
                prepared.ok_head if ok else prepared.not_modified_head,
                self.default_lines,
                b"x-request-id: ",
                answer.request_id.encode(),
                b"\r\n\r\n",
                prepared.body if ok and with_body else b"",
            )
        )
