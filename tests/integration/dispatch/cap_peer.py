"""A stand-in peer node for CAP push: it takes only what a real peer would.

It refuses (400, saying why) a body that is not `application/cap+xml`, not CAP 1.2, or whose
enveloped signature does not verify against its trust store, and answers 202 naming the
message it accepted. Paths behave as named: /busy/… answers 503 twice first; /hang/… never
answers; /refuse/… answers 403 after checking. Every request is kept with what was checked."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web
from lxml import etree

from bluealert.errors import BlueAlertError
from bluealert.formats.cap.build import CAP_NS
from bluealert.formats.cap.signature import TrustStore, verify_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from tests.integration.dispatch.conftest import Hit, Receiver


@dataclass(frozen=True)
class Pushed:
    path: str
    content_type: str
    idempotency_key: str
    body: bytes

    def field(self, name: str) -> str:
        return etree.fromstring(self.body).findtext(f"{{{CAP_NS}}}{name}") or ""


class CapPeer(Receiver):
    def __init__(self, trust: TrustStore) -> None:
        super().__init__()
        self.trust = trust
        self.accepted: list[Pushed] = []
        self.refused: list[tuple[Pushed, str]] = []

    def _check(self, pushed: Pushed) -> str:
        """Why the peer refuses the message; empty when it takes it."""
        if pushed.content_type != "application/cap+xml":
            return f"content type {pushed.content_type!r} is not application/cap+xml"
        try:
            root = etree.fromstring(pushed.body)
        except etree.XMLSyntaxError as error:
            return f"not XML: {error}"
        if root.tag != f"{{{CAP_NS}}}alert":
            return f"not a CAP 1.2 alert: {root.tag}"
        findings = validate_cap(pushed.body)
        if not is_valid(findings):
            return f"not valid CAP: {findings[0]}"
        try:
            verify_cap(pushed.body, self.trust, now=datetime.now(UTC))
        except BlueAlertError as error:
            return str(error)  # names the field: "Signature: …"
        return ""

    async def _handle(self, request: web.Request) -> web.Response:
        pushed = Pushed(
            request.path,
            request.content_type,
            request.headers.get("Idempotency-Key", ""),
            await request.read(),
        )
        self.hits.append(Hit(request.path, dict(request.headers), pushed.body, time.monotonic()))
        calls = self._calls[request.path] = self._calls.get(request.path, 0) + 1
        kind = request.path.split("/")[1]
        if kind == "busy" and calls <= 2:
            return web.Response(status=503, text="busy, try later")
        if kind == "hang":
            await asyncio.sleep(3600)
        refusal = self._check(pushed)
        if refusal:
            self.refused.append((pushed, refusal))
            return web.Response(status=400, text=refusal)
        if kind == "refuse":
            self.refused.append((pushed, "not a peer of ours"))
            return web.Response(status=403, text="not a peer of ours")
        self.accepted.append(pushed)
        return web.Response(status=202, text=f"accepted {pushed.field('identifier')}")
