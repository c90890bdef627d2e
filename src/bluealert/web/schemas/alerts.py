"""Alerts as law enforcement works on them: drafts, the restricted view, lifecycle requests."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bluealert.domain.activation import ActivationRequest
from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.criteria import Evaluation
from bluealert.domain.vocabulary import Claim, Resolution

Reason = Annotated[str, Field(min_length=1, max_length=2000)]


class AlertDraft(AlertContent):
    """The facts of an alert, as a draft or an update gives them (the alert file's schema)."""

    def content(self) -> AlertContent:
        return AlertContent.model_validate(self.model_dump())


class AlertRestricted(Alert):
    """An alert with every version and every law-enforcement fact: for law enforcement only."""

    unreviewed_tips: int = Field(
        default=0, ge=0, description="Tips from the public about it that nobody has reviewed yet."
    )

    @classmethod
    def of(cls, alert: Alert, unreviewed_tips: int) -> AlertRestricted:
        return cls.model_validate({**alert.model_dump(), "unreviewed_tips": unreviewed_tips})


class AlertsRestricted(BaseModel):
    alerts: list[AlertRestricted]
    next_cursor: str | None = None


class AlertUpdate(BaseModel):
    """New facts for a draft, or a new version of an active alert, based on the version you
    read: give its number as `base` (refused with 409 once another is current), or send the
    alert's ETag as If-Match (refused with 412 once it changed); one of the two is required
    (428 without)."""

    model_config = ConfigDict(extra="forbid")

    content: AlertDraft
    note: Annotated[str, Field(max_length=2000)] = "updated"
    base: Annotated[int | None, Field(ge=1, le=1_000_000)] = Field(
        default=None, description="The version this update is based on (`versions[-1].number`)."
    )


class Submission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attest: Annotated[list[Claim], Field(max_length=10)] = Field(
        default=[], description="What the submitting supervisor attests."
    )


class CriteriaEvaluation(Evaluation):
    """Each criterion of the plan: met, unmet or unknown, with a sentence saying why."""

    @classmethod
    def of(cls, evaluation: Evaluation) -> CriteriaEvaluation:
        return cls.model_validate(evaluation.model_dump())


class SubmissionResult(BaseModel):
    alert: AlertRestricted
    criteria: CriteriaEvaluation


class ReasonGiven(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class Resolving(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Resolution
    note: Annotated[str, Field(max_length=2000)] = ""


class ActivationAsk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_state: Annotated[str, Field(min_length=2, max_length=2)]
    note: Annotated[str, Field(max_length=2000)] = ""


class ActivationRequestPublic(ActivationRequest):
    """A cross-state activation request and its answer."""

    @classmethod
    def of(cls, request: ActivationRequest) -> ActivationRequestPublic:
        return cls.model_validate(request.model_dump())


class ActivationAccepted(BaseModel):
    request: ActivationRequestPublic
    linked_alert: AlertRestricted


class StateSuggestion(BaseModel):
    state: str
    reason: str
    asked: str | None


class StateSuggestions(BaseModel):
    states: list[StateSuggestion]
    note: str
