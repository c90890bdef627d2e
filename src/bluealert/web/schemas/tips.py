"""Tips as the API shows them: the public gets a receipt; law enforcement gets the tip."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from bluealert.domain.tips import REVIEW_NOTE_MAX, SAFETY_ADVICE, Tip, TipSubmission


class TipCreate(TipSubmission):
    """A tip about an active alert: what you saw, where and when; a contact if you wish."""


class TipReceived(BaseModel):
    """The public's receipt: nothing of the tip is echoed back."""

    id: str
    alert: str = Field(examples=["TX-2026-0007"])
    received_at: datetime
    advice: str = Field(examples=[SAFETY_ADVICE])


class TipRestricted(BaseModel):
    """A tip as law enforcement reads it."""

    id: str
    alert: str
    seen: str
    location: str
    seen_at: datetime
    contact: str | None
    lat: float | None
    lon: float | None
    received_at: datetime
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str

    @classmethod
    def of(cls, tip: Tip) -> TipRestricted:
        given = tip.submission
        return cls(
            id=tip.id,
            alert=tip.reference,
            seen=given.seen,
            location=given.location,
            seen_at=given.seen_at,
            contact=given.contact,
            lat=given.lat,
            lon=given.lon,
            received_at=tip.received_at,
            reviewed_at=tip.reviewed_at,
            reviewed_by=tip.reviewed_by,
            review_note=tip.review_note,
        )


class TipsRestricted(BaseModel):
    tips: list[TipRestricted]
    next_cursor: str | None


class TipReview(BaseModel):
    """Marks a tip reviewed, with a note for the next reader if you wish."""

    note: Annotated[str, Field(max_length=REVIEW_NOTE_MAX)] = ""
