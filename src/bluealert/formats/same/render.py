"""SAME for an alert version: the header from its area and times, and the whole activation."""

from __future__ import annotations

from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.registry import plan_for
from bluealert.domain.vocabulary import MsgType, Status
from bluealert.errors import NotCarried
from bluealert.formats.cancellation import version_of
from bluealert.formats.cap.build import expires_at
from bluealert.formats.context import RenderContext, Speaker
from bluealert.formats.same.audio import activation, spoken_message, wav_bytes
from bluealert.formats.same.header import SameHeader, encode_header
from bluealert.formats.wea import compose_spoken
from bluealert.geo.areas import normalise_area

# ECIG CAP-to-EAS guide (STANDARDS.md §2.7): a Cancel is logged, never aired; an activation
# already on air just ends with its EOM. There is no SAME "cancel" to send.
NOT_ON_AIR = (
    "EAS does not carry cancellations: a Cancel is logged by EAS devices, never aired "
    "(ECIG CAP-to-EAS guide); an activation already on air ends with its EOM"
)


def aired_version(alert: Alert, number: int | None, channel: str) -> AlertVersion:
    """Version `number` (else the current one), if EAS airs it: a Cancel raises NotCarried."""
    version = version_of(alert, number)
    if version.msg_type is MsgType.CANCEL:
        raise NotCarried(channel, NOT_ON_AIR)
    return version


# An exercise or a test must never trip a decoder into airing a Blue Alert: its header
# carries DMO (Practice/Demo Warning), which EAS decoders do not relay unless set up for drills.
PRACTICE_EVENT = "DMO"
EXERCISE_WORDS = {"en": "This is an exercise.", "es": "Esto es un simulacro."}


def event_code(version: AlertVersion) -> str:
    return "BLU" if version.content.status is Status.ACTUAL else PRACTICE_EVENT


def same_header(
    alert: Alert, ctx: RenderContext, number: int | None = None, locations: list[str] | None = None
) -> SameHeader:
    """The header of version `number` (else the current one); a Cancel raises NotCarried."""
    version = aired_version(alert, number, "same")
    sent = version.published_at or version.created_at
    return encode_header(
        locations=locations or normalise_area(version.content.area).same_codes,
        issued=sent,
        duration=expires_at(alert, version, plan_for(alert.plan)) - sent,
        station=ctx.station_id,
        event=event_code(version),
    )


def same_audio(
    alert: Alert, ctx: RenderContext, speaker: Speaker, number: int | None = None
) -> bytes:
    """Header ×3, attention signal, the message in English then Spanish, EOM ×3."""
    version = aired_version(alert, number, "same-audio")
    header = same_header(alert, ctx, number)
    practice = version.content.status is not Status.ACTUAL
    texts = [
        (
            (f"{EXERCISE_WORDS[lang]} " if practice else "")
            + compose_spoken(version.content, lang),
            lang,
        )
        for lang in ("en", "es")
    ]
    return wav_bytes(activation(header.text, spoken_message(speaker, texts)))
