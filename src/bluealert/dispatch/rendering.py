"""Render each published version once, and keep the public feeds as static files."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

from bluealert.app.context import AppContext, Transaction
from bluealert.config import Settings
from bluealert.dispatch.publication import PHOTO, as_of
from bluealert.domain.alert import Alert
from bluealert.domain.vocabulary import AlertState, Status
from bluealert.errors import BlueAlertError
from bluealert.formats.context import RenderContext, Speaker
from bluealert.formats.feeds.atom import render_atom
from bluealert.formats.feeds.geojson import render_geojson
from bluealert.formats.feeds.json_list import render_json_list
from bluealert.formats.feeds.rss import render_rss
from bluealert.formats.renderers import RENDERERS
from bluealert.logs import get_logger
from bluealert.store.renderings import RenderingRepository

log = get_logger("bluealert.dispatch")

# What every version is rendered into; SAME audio only when a partner asks for it (it needs
# espeak-ng and is megabytes).
ALWAYS = ("cap", "cap-restricted", "same", "wea", "dms", "teletype")
FEEDS = {
    "alerts.atom": render_atom,
    "alerts.rss": render_rss,
    "alerts.geojson": render_geojson,
    "alerts.json": render_json_list,
}


def render_context(settings: Settings, now: datetime, speaker: Speaker | None) -> RenderContext:
    from bluealert.formats.cap.signature import CapSigner

    key, cert = settings.cap_signing_key, settings.cap_signing_cert
    return RenderContext(
        now=now,
        sender=settings.cap_sender,
        station_id=settings.station_id,
        base_url=settings.base_url,
        signer=CapSigner.from_pem(key.read_bytes(), cert.read_bytes()) if key and cert else None,
        speaker=speaker,
    )


def render_version(
    tx: Transaction, alert: Alert, number: int, extra: set[str], speaker: Speaker | None
) -> None:
    """Store every format of version `number` not stored yet; a refusal is stored as such
    (SAME refuses a Cancel; a channel that needs that format then skips, recorded)."""
    repository = RenderingRepository(tx.session)
    done = repository.stored_formats(alert.id, number)
    now = tx.ctx.clock()
    frozen = as_of(alert, number)
    context = render_context(tx.ctx.settings, now, speaker)
    for name in [*ALWAYS, *sorted(extra - set(ALWAYS))]:
        if name in done or name not in RENDERERS:
            continue
        try:
            repository.add(alert.id, number, name, now, content=RENDERERS[name](frozen, context))
        except BlueAlertError as refusal:
            repository.add(alert.id, number, name, now, refusal=str(refusal))
            log.info(
                "rendering_refused",
                extra={"action": "rendering_refused", "alert": alert.id, "format": name},
            )
    if PHOTO not in done:
        photo = _first_photo(tx, frozen)
        if photo is not None:
            repository.add(alert.id, number, PHOTO, now, content=photo)


def _first_photo(tx: Transaction, alert: Alert) -> bytes | None:
    for suspect in alert.content.suspects:
        for ref in suspect.photos:
            if tx.photos.holds(ref.sha256):
                return tx.photos.read(ref.sha256)
    return None


def photo_type(alert: Alert) -> str | None:
    for suspect in alert.content.suspects:
        for ref in suspect.photos:
            return str(ref.media_type)
    return None


def in_feeds(alert: Alert, now: datetime) -> bool:
    """Active, unexpired, and Actual: exercises, tests, cancelled and expired alerts leave."""
    return (
        alert.state is AlertState.ACTIVE
        and alert.status is Status.ACTUAL
        and (alert.expires_at is None or alert.expires_at > now)
    )


def write_feeds(ctx: AppContext, alerts: list[Alert], directory: Path) -> list[Path]:
    """The public feed snapshots as static files, each replaced atomically."""
    now = ctx.clock()
    shown = [a for a in alerts if in_feeds(a, now)]
    context = render_context(ctx.settings, now, None)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, render in FEEDS.items():
        path = directory / name
        _write_atomically(path, render(shown, context))
        written.append(path)
    return written


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
