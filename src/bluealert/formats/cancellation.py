"""What a version announces besides its facts: that the alert is over, or that it is practice.

A Cancel (msgType Cancel: cancelled, or resolved) renders as one in every channel; an
Exercise or Test is marked as one in every text a person reads (docs/formats.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.vocabulary import MsgType, Resolution, Status


@dataclass(frozen=True, slots=True)
class Cancellation:
    """A Cancel version: the alert is over; `resolution` says how when it was resolved (the
    outcome is public: the public CAP note gives it too)."""

    resolution: Resolution | None = None


def version_of(alert: Alert, number: int | None = None) -> AlertVersion:
    """Version `number`, or the current one."""
    if number is None:
        return alert.current
    return next(v for v in alert.versions if v.number == number)


def cancellation_of(alert: Alert, number: int | None = None) -> Cancellation | None:
    """The cancellation that version `number` (else the current one) is, if it is one."""
    if version_of(alert, number).msg_type is not MsgType.CANCEL:
        return None
    return Cancellation(alert.resolution)


# Said first in every text a person reads, so a drill is never taken for a real alert.
PRACTICE_MARKS = {
    Status.EXERCISE: {"en": "EXERCISE", "es": "SIMULACRO"},
    Status.TEST: {"en": "TEST", "es": "PRUEBA"},
}


def practice_mark(status: Status, language: str) -> str | None:
    """'EXERCISE' / 'SIMULACRO', 'TEST' / 'PRUEBA'; None for an Actual alert."""
    marks = PRACTICE_MARKS.get(status)
    return marks[language] if marks else None
