"""The node's key is made on first use, and first uses may race (the dispatcher's consumers
opening the webhook channel together, two server processes starting): every one of them gets
the same whole key, never a file still being written, and nothing else is left behind."""

from __future__ import annotations

import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from bluealert.app.webhook_key import webhook_private_key
from bluealert.config import Settings

RACERS = 8


def _raw(key: object) -> bytes:
    public = key.public_key()  # type: ignore[attr-defined]
    return bytes(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def _first_use(settings: Settings, start: threading.Barrier) -> bytes:
    start.wait()
    return _raw(webhook_private_key(settings))


def test_racing_first_uses_all_get_the_one_key_made(tmp_path: Path) -> None:
    for round_ in range(25):
        settings = Settings(data_dir=tmp_path / f"node{round_}")
        start = threading.Barrier(RACERS)
        with ThreadPoolExecutor(RACERS) as pool:
            racing = [pool.submit(_first_use, settings, start) for _ in range(RACERS)]
            keys = [future.result() for future in racing]
        path = settings.generated_webhook_key
        assert set(keys) == {_raw(webhook_private_key(settings))}
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
