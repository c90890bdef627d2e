"""Web push: the node's VAPID key, made on first use and kept in the data directory."""

from __future__ import annotations

from bluealert.config import Settings
from bluealert.store import vapid_key
from bluealert.store.vapid_key import VapidKey

KEY_SETTING = "BLUEALERT_VAPID_KEY"


def vapid_private_key(settings: Settings) -> VapidKey:
    """The configured key, or the one in the data directory, created the first time."""
    if settings.vapid_key is not None:
        return vapid_key.load(settings.vapid_key, KEY_SETTING)
    path = settings.generated_vapid_key
    if not path.exists():
        try:
            return vapid_key.create(path)
        except FileExistsError:
            pass  # another process made it first: use theirs
    return vapid_key.load(path, KEY_SETTING)


def application_server_key(settings: Settings) -> str:
    """What the web page hands `PushManager.subscribe` (base64url of the public point)."""
    return vapid_key.application_server_key(vapid_private_key(settings))
