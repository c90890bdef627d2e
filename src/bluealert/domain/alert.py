"""An alert as the network knows it: a short reference, a state, and its versions."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from bluealert.domain.content import AlertContent
from bluealert.domain.model import Model, ShortText, UtcDatetime
from bluealert.domain.vocabulary import AlertState, MsgType, Resolution, Status


class AlertVersion(Model):
    """One version of an alert. Published versions are immutable; drafts are revised in place."""

    number: int = Field(ge=1)
    msg_type: MsgType
    content: AlertContent
    created_at: UtcDatetime
    created_by: ShortText
    published_at: UtcDatetime | None = None
    note: str = ""


class Alert(Model):
    id: str
    reference: str
    state: AlertState
    author: ShortText
    created_at: UtcDatetime
    versions: tuple[AlertVersion, ...] = Field(min_length=1)
    submitted_at: UtcDatetime | None = None
    approved_by: ShortText | None = None
    activated_at: UtcDatetime | None = None
    expires_at: UtcDatetime | None = None
    ended_at: UtcDatetime | None = None
    resolution: Resolution | None = None
    reason: str = ""
    linked_alert_id: str | None = None

    @property
    def current(self) -> AlertVersion:
        return self.versions[-1]

    @property
    def content(self) -> AlertContent:
        return self.current.content

    @property
    def plan(self) -> str:
        return self.content.plan

    @property
    def status(self) -> Status:
        return self.content.status

    def published_versions(self) -> list[AlertVersion]:
        return [v for v in self.versions if v.published_at is not None]

    def references_for(self, number: int, now: datetime) -> list[AlertVersion]:
        """Earlier published versions still unexpired at `now`: what version `number` references."""
        return [
            v
            for v in self.published_versions()
            if v.number < number and (self.expires_at is None or self.expires_at > now)
        ]


def sample_alert(content: AlertContent, *, now: datetime, reference: str = "") -> Alert:
    """An unsaved alert of one published version, for rendering a file with no database."""
    version = AlertVersion(
        number=1,
        msg_type=MsgType.ALERT,
        content=content,
        created_at=now,
        created_by="file",
        published_at=now,
    )
    year = now.year
    return Alert(
        id=f"file-{content.plan}-{year}",
        reference=reference or f"{content.plan}-{year}-0000",
        state=AlertState.ACTIVE,
        author="file",
        created_at=now,
        versions=(version,),
        activated_at=now,
        expires_at=content.expires_at,
    )
