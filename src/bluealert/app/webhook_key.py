"""The node's webhook signing key: Ed25519, for the Standard Webhooks asymmetric scheme (v1a).

A partner shares a secret with the node and its webhooks carry an HMAC (v1). A public subscriber
shares nothing, so its webhooks are signed with this key instead, and anyone checks them with
the public key the node publishes (`GET /api/v1/webhook-key`). Made in the data directory on
first use and kept (a new key would fail every receiver that pinned the old one); an operator
may name their own (`BLUEALERT_WEBHOOK_SIGNING_KEY`).
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bluealert.config import Settings
from bluealert.errors import InvalidInput
from bluealert.store import node_key

KEY_SETTING = "BLUEALERT_WEBHOOK_SIGNING_KEY"
PUBLIC_PREFIX = "whpk_"  # Standard Webhooks' prefix for a v1a public key


def webhook_private_key(settings: Settings) -> Ed25519PrivateKey:
    """The configured key, else the node's own (made on first use)."""
    path = settings.webhook_signing_key
    if path is None:
        path = settings.generated_webhook_key
        if not path.exists():
            try:
                return node_key.create(path)
            except FileExistsError:  # another process made it first: use theirs
                pass
    key = node_key.load(path, KEY_SETTING)
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInput(
            f"{path} is not an Ed25519 key (v1a signs with Ed25519)", field=KEY_SETTING
        )
    return key


def webhook_public_key(settings: Settings) -> str:
    """`whpk_` and the raw 32-byte public key in base64, as Standard Webhooks writes it."""
    raw = (
        webhook_private_key(settings)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return PUBLIC_PREFIX + base64.b64encode(raw).decode()
