"""Every rendering of one version of an alert, with the node's signing key and speaker."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bluealert.app.cap_signer import configured_signer
from bluealert.app.context import AppContext, transaction
from bluealert.app.espeak import EspeakSpeaker
from bluealert.config import Settings
from bluealert.domain.alert import Alert
from bluealert.errors import InvalidInput, NotFound
from bluealert.formats.cap.signature import CapSigner
from bluealert.formats.context import RenderContext, Speaker
from bluealert.formats.dms import PROFILES
from bluealert.formats.renderers import RENDERERS, render

# The renderings of one version (feeds are renderings of many alerts, served elsewhere).
VERSION_FORMATS = ("cap", "cap-restricted", "same", "same-audio", "wea", "dms", "teletype")
MEDIA_TYPES = {
    "cap": "application/cap+xml",
    "cap-restricted": "application/cap+xml",
    "same": "text/plain; charset=utf-8",
    "same-audio": "audio/wav",
    "wea": "application/json",
    "dms": "text/plain; charset=utf-8",
    "teletype": "text/plain; charset=utf-8",
}
SIGNED_FORMATS = ("cap", "cap-restricted")  # a broken signing key refuses only these
assert set(VERSION_FORMATS) <= set(RENDERERS)


@dataclass
class RenderTools:
    """The node's signer and speaker, each made on first use and kept (loading a PEM per
    message costs 53× the signature). A signing key or certificate that breaks a rule is
    refused by its setting at each use (InvalidInput), and used once its file is fixed."""

    settings: Settings
    _speaker: Speaker | None = field(default=None, repr=False)

    @cached_property
    def signer(self) -> CapSigner | None:
        return configured_signer(self.settings)

    @cached_property
    def speaker(self) -> Speaker:
        return self._speaker or EspeakSpeaker()


@dataclass(frozen=True)
class Rendering:
    alert: Alert
    number: int
    format: str
    media_type: str
    data: bytes


def alert_at(alert: Alert, number: int) -> Alert:
    """The alert as it stood when version `number` was its newest."""
    if not 1 <= number <= len(alert.versions):
        raise NotFound(f"alert {alert.reference} has no version {number}", field="version")
    return alert.model_copy(update={"versions": alert.versions[:number]})


def _cached_audio(settings: Settings, alert: Alert, number: int) -> Path:
    return settings.data_dir / "renderings" / f"{alert.id}-v{number}.wav"


def render_alert(
    ctx: AppContext,
    alert: Alert,
    fmt: str,
    tools: RenderTools,
    *,
    number: int | None = None,
    sign_profile: str = "3x18",
) -> Rendering:
    """Render version `number` (the current one by default) in `fmt`.

    SAME audio of a published version is kept on disk: espeak-ng takes seconds, and a
    published version never changes."""
    if fmt not in VERSION_FORMATS:
        raise InvalidInput(f"{fmt!r} is not one of {', '.join(VERSION_FORMATS)}", field="format")
    if sign_profile not in PROFILES:
        raise InvalidInput(f"{sign_profile!r} is not one of {', '.join(PROFILES)}", field="sign")
    number = number or alert.current.number
    at = alert_at(alert, number)
    published = at.current.published_at is not None
    cached = _cached_audio(ctx.settings, alert, number)
    if fmt == "same-audio" and published and cached.is_file():
        return Rendering(alert, number, fmt, MEDIA_TYPES[fmt], cached.read_bytes())
    render_ctx = RenderContext(
        now=ctx.clock(),
        sender=ctx.settings.cap_sender,
        station_id=ctx.settings.station_id,
        base_url=ctx.settings.base_url,
        sign_profile=sign_profile,
        signer=tools.signer if fmt in SIGNED_FORMATS else None,
        speaker=tools.speaker if fmt == "same-audio" else None,
    )
    data = render(fmt, at, render_ctx)
    if fmt == "same-audio" and published:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(cached)
    return Rendering(alert, number, fmt, MEDIA_TYPES[fmt], data)


def render_version(
    ctx: AppContext,
    key: str,
    fmt: str,
    tools: RenderTools,
    *,
    number: int | None = None,
    sign_profile: str = "3x18",
) -> Rendering:
    with transaction(ctx) as tx:
        alert = tx.alerts.get(key)
    return render_alert(ctx, alert, fmt, tools, number=number, sign_profile=sign_profile)
