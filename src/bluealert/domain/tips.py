"""Tips from the public about an active alert: what they saw, where, when, and how to reach them.

A tip is law-enforcement data (a witness's words, whereabouts and contact): it never appears in
anything public. Law enforcement of the alert's agency or state, and national coordinators,
read them and mark them reviewed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Self

from pydantic import AwareDatetime, Field, model_validator

from bluealert.domain.alert import Alert
from bluealert.domain.content import Latitude, Longitude
from bluealert.domain.model import Model
from bluealert.domain.people import User
from bluealert.domain.vocabulary import AlertState, Role
from bluealert.errors import InvalidInput, NotAllowed, TransitionRefused

# A phone's clock may run a little ahead of the server's; a sighting further ahead is a mistake.
CLOCK_SKEW = timedelta(minutes=5)
REVIEW_NOTE_MAX = 500
TIP_MAX_BODY_BYTES = 16 * 1024  # the largest request a tip may be (its fields fit in far less)
SAFETY_ADVICE = (
    "Thank you. If you see the suspect now, call 911. Do not approach: the suspect may be armed."
)


class TipSubmission(Model):
    """What a member of the public tells about an alert."""

    seen: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description="What you saw: the person, the vehicle, what they did."
    )
    location: Annotated[str, Field(min_length=1, max_length=300)] = Field(
        description="Where: an address, a road and direction, a landmark."
    )
    seen_at: AwareDatetime = Field(description="When you saw it, with a time zone.")
    contact: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="How an officer may reach you (phone or email); optional."
    )
    lat: Latitude | None = Field(default=None, description="Where, as a point (with lon).")
    lon: Longitude | None = Field(default=None, description="Where, as a point (with lat).")

    @model_validator(mode="after")
    def _a_point_has_both_coordinates(self) -> Self:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat: a point gives both lat and lon, or neither")
        return self


class Tip(Model):
    """A tip as stored: the submission, when it came, and its review."""

    id: str
    alert_id: str
    reference: str
    submission: TipSubmission
    received_at: datetime
    reviewed_at: datetime | None = None
    reviewed_by: str | None = None
    review_note: str = ""


def check_tip_for(alert: Alert, tip: TipSubmission, now: datetime) -> None:
    """A tip is taken only about an active alert, and about a sighting not in the future."""
    expired = alert.expires_at is not None and alert.expires_at <= now
    if alert.state is not AlertState.ACTIVE or expired:
        ended = "expired" if expired else alert.state.value
        raise TransitionRefused(
            f"alert {alert.reference} is {ended}: tips are taken only while an alert is active "
            "(if it is an emergency, call 911)"
        )
    if tip.seen_at > now + CLOCK_SKEW:
        raise InvalidInput("the sighting cannot be in the future", field="seen_at")


def check_review_note(note: str) -> None:
    if len(note) > REVIEW_NOTE_MAX:
        raise InvalidInput(f"at most {REVIEW_NOTE_MAX} characters", field="note")


def may_read_tips(user: User, alert: Alert) -> bool:
    """Law enforcement of the alert's agency or state, and national coordinators."""
    agency = alert.content.requesting_agency.ori
    in_agency = user.acts_for_agency(agency) and bool(
        user.roles & {Role.ORIGINATOR, Role.SUPERVISOR}
    )
    return in_agency or user.coordinates(alert.plan)


def require_tip_reader(user: User, alert: Alert) -> None:
    if not may_read_tips(user, alert):
        raise NotAllowed(
            f"{user.username} may not read the tips of {alert.reference}: they are for law "
            f"enforcement of agency {alert.content.requesting_agency.ori}, coordinators of "
            f"{alert.plan} and national coordinators",
            field="actor",
        )
