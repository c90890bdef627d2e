"""SAME for an alert version: the header from its area and times, and the whole activation."""

from __future__ import annotations

from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.vocabulary import MsgType, Status
from bluealert.formats.cap.build import expires_at
from bluealert.formats.context import RenderContext, Speaker
from bluealert.formats.same.audio import activation, spoken_message, wav_bytes
from bluealert.formats.same.header import SameHeader, encode_header
from bluealert.formats.wea import compose_spoken
from bluealert.geo.areas import normalise_area


def _version(alert: Alert, number: int | None) -> AlertVersion:
    return (
        alert.current if number is None else next(v for v in alert.versions if v.number == number)
    )


# An exercise or a test must never trip a decoder into airing a Blue Alert: its header
# carries DMO (Practice/Demo Warning), which EAS decoders do not relay unless set up for drills.
PRACTICE_EVENT = "DMO"
EXERCISE_WORDS = {"en": "This is an exercise.", "es": "Esto es un simulacro."}


def event_code(version: AlertVersion) -> str:
    return "BLU" if version.content.status is Status.ACTUAL else PRACTICE_EVENT


def same_header(
    alert: Alert, ctx: RenderContext, number: int | None = None, locations: list[str] | None = None
) -> SameHeader:
    version = _version(alert, number)
    sent = version.published_at or version.created_at
    return encode_header(
        locations=locations or normalise_area(version.content.area).same_codes,
        issued=sent,
        duration=expires_at(alert, version) - sent,
        station=ctx.station_id,
        event=event_code(version),
    )


def same_audio(
    alert: Alert, ctx: RenderContext, speaker: Speaker, number: int | None = None
) -> bytes:
    """Header ×3, attention signal, the message in English then Spanish, EOM ×3."""
    version = _version(alert, number)
    header = same_header(alert, ctx, number)
    cancelled = version.msg_type is MsgType.CANCEL
    practice = version.content.status is not Status.ACTUAL
    texts = [
        (
            (f"{EXERCISE_WORDS[lang]} " if practice else "")
            + compose_spoken(version.content, lang, cancelled=cancelled),
            lang,
        )
        for lang in ("en", "es")
    ]
    return wav_bytes(activation(header.text, spoken_message(speaker, texts)))
