"""Render each published version once, for every worker to read."""

from __future__ import annotations

from datetime import datetime

from bluealert.app.cap_signer import configured_signer
from bluealert.app.context import Transaction
from bluealert.config import Settings
from bluealert.dispatch.publication import PHOTO, as_of
from bluealert.domain.alert import Alert
from bluealert.errors import BlueAlertError
from bluealert.formats.context import RenderContext, Speaker
from bluealert.formats.renderers import RENDERERS
from bluealert.logs import get_logger
from bluealert.store.renderings import RenderingRepository

log = get_logger("bluealert.dispatch")

# What every version is rendered into; SAME audio only when a partner asks for it (it needs
# espeak-ng and is megabytes).
ALWAYS = ("cap", "cap-restricted", "same", "wea", "dms", "teletype")


def render_context(settings: Settings, now: datetime, speaker: Speaker | None) -> RenderContext:
    """The context every format of a version is rendered in; InvalidInput naming the setting
    when the CAP signing key or certificate breaks a rule."""
    return RenderContext(
        now=now,
        sender=settings.cap_sender,
        station_id=settings.station_id,
        base_url=settings.base_url,
        signer=configured_signer(settings),
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
