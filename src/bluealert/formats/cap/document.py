"""A version's CAP message as it is served and sent: built, and signed when there is a signer."""

from __future__ import annotations

from bluealert.domain.alert import Alert
from bluealert.formats.cap.build import Scope, build_cap
from bluealert.formats.context import RenderContext


def cap_document(
    alert: Alert, ctx: RenderContext, *, scope: Scope = "Public", number: int | None = None
) -> bytes:
    """The bytes of version `number` (else the current one); the feeds give their length."""
    xml = build_cap(alert, number or alert.current.number, ctx, scope=scope).xml
    return ctx.signer.sign(xml) if ctx.signer else xml
