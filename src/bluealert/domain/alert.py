"""An alert as the network knows it: a short reference, a state, and its versions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from bluealert.domain.attestation import Attestation, given_on
from bluealert.domain.content import AlertContent
from bluealert.domain.model import Model, ShortText, UtcDatetime
from bluealert.domain.vocabulary import AlertState, MsgType, Resolution, Status


class Act(StrEnum):
    """What a person did to a version before it was approved (the two-person rule's record)."""

    DRAFTED = "drafted"
    REVISED = "revised"
    ATTESTED = "attested"
    SUBMITTED = "submitted"


class Contribution(Model):
    by: ShortText
    act: Act
    at: UtcDatetime


class Notice(Model):
    """What the network did otherwise than asked, said to whoever acted (and kept with the
    version): an expiry later than the plan allows, capped."""

    field: ShortText = Field(description="Dotted path of the field, e.g. expires_at.")
    rule: ShortText = Field(description="The rule's id, e.g. plan_max_duration.")
    message: str = Field(description="What was asked, the rule, and what applies instead.")


class AlertVersion(Model):
    """One version of an alert. Published versions are immutable; drafts are revised in place."""

    number: int = Field(ge=1)
    msg_type: MsgType
    content: AlertContent
    created_at: UtcDatetime
    created_by: ShortText
    published_at: UtcDatetime | None = None
    note: str = ""
    attestations: tuple[Attestation, ...] = ()
    contributions: tuple[Contribution, ...] = Field(
        default=(), description="Who drafted, revised, attested and submitted it, in order."
    )
    notices: tuple[Notice, ...] = Field(
        default=(), description="What the step that wrote it did otherwise than asked."
    )

    @property
    def attestations_in_force(self) -> tuple[Attestation, ...]:
        """What counts for the criteria.

        On an unpublished version only what was given on its present content; a published
        version keeps the attestations it was activated on (an update by a coordinator carries
        them, and no longer checks them against the changed content).
        """
        if self.published_at is not None:
            return self.attestations
        return given_on(self.content, self.attestations)

    def contributors(self) -> dict[str, list[Act]]:
        """Each person who had a hand in this version, with what they did."""
        hands: dict[str, list[Act]] = {}
        for contribution in self.contributions:
            acts = hands.setdefault(contribution.by, [])
            if contribution.act not in acts:
                acts.append(contribution.act)
        return hands


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
