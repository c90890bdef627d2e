"""The JSON body every machine channel sends (webhook, MQTT): one per message and formats.

It follows Standard Webhooks' recommended shape: `type`, `timestamp`, `data`. Textual formats
are included as text, binary ones (SAME audio) in base64.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from bluealert.dispatch.publication import TierMessage
from bluealert.formats.renderers import BINARY

EVENT_TYPES = {
    "publish": "alert.published",
    "update": "alert.updated",
    "cancel": "alert.cancelled",
    "resolve": "alert.resolved",
    "expire": "alert.expired",
}


def body(message: TierMessage, formats: tuple[str, ...]) -> str:
    return _body(message, formats)


@lru_cache(maxsize=256)
def _body(message: TierMessage, formats: tuple[str, ...]) -> str:
    """Built once per (message, formats) and shared by every recipient asking for the same."""
    included: dict[str, Any] = {}
    refused: dict[str, str] = {}
    for name in formats:
        if name == "json":
            continue  # the document is always there
        if name in message.formats:
            data = message.formats[name]
            included[name] = base64.b64encode(data).decode() if name in BINARY else data.decode()
        elif name in message.refused:
            refused[name] = message.refused[name]
    payload = {
        "type": EVENT_TYPES[message.event.value],
        "timestamp": message.document["sent"],
        "data": {"alert": message.document, "formats": included, "refused": refused},
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
