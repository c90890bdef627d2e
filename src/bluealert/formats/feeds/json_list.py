"""A plain JSON list of active public alerts, for simple consumers."""

from __future__ import annotations

import json

from bluealert.domain.alert import Alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import feed_entries


def render_json_list(alerts: list[Alert], ctx: RenderContext) -> bytes:
    items = [
        {
            "id": e.id,
            "reference": e.reference,
            "title": e.title,
            "summary": e.summary,
            "instruction": e.instruction,
            "sent": e.sent,
            "expires": e.expires,
            "msgType": e.msg_type,
            "area": e.area.description,
            "same": e.area.same_codes,
            "cap": e.cap_url,
        }
        for e in feed_entries(alerts, ctx)
    ]
    return json.dumps(
        {"updated": ctx.now.isoformat(timespec="seconds"), "alerts": items}, indent=2
    ).encode()
