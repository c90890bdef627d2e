"""When an alert expires: the time asked for, within the longest its plan allows.

A plan sets the longest an alert may run (`max_duration_hours`), counted from the step that
sets the expiry: the approval, an update that asks for one, a renewal, a linked alert's
activation or its following of the original. An expiry asked for later than that is capped;
the step says so in a notice on the version it writes, and the version keeps the expiry that
applies, never the one asked for. An expiry already past is refused by name: when a draft or
update names it, and when the alert is submitted or approved after it passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bluealert.domain.alert import Notice
from bluealert.domain.content import AlertContent
from bluealert.domain.plan import StatePlan
from bluealert.errors import TransitionRefused

FIELD = "expires_at"
PLAN_MAX_DURATION = "plan_max_duration"
LINKED_WITHIN_PLAN = "linked_within_plan"


@dataclass(frozen=True)
class Expiry:
    """The expiry that applies, and the notice saying it is not the one asked for."""

    at: datetime
    notice: Notice | None = None

    def notices(self) -> tuple[Notice, ...]:
        return (self.notice,) if self.notice else ()


def _hours(plan: StatePlan) -> str:
    return f"{plan.max_duration_hours} hours"


def applying(requested: datetime | None, plan: StatePlan, now: datetime) -> Expiry:
    """What a step taken at `now` sets: the time asked for, capped at the plan's longest."""
    latest = now + plan.max_duration
    if requested is None:
        return Expiry(latest)
    if requested <= latest:
        return Expiry(requested)
    return Expiry(
        latest,
        Notice(
            field=FIELD,
            rule=PLAN_MAX_DURATION,
            message=(
                f"the requested expiry {requested.isoformat()} is later than the {plan.name} "
                f"allows ({_hours(plan)} from {now.isoformat()}): it expires at "
                f"{latest.isoformat()}"
            ),
        ),
    )


def drafted(content: AlertContent, plan: StatePlan, now: datetime) -> tuple[Notice, ...]:
    """What a draft is told now about the expiry it asks for (the cap is applied at approval)."""
    requested = content.expires_at
    if requested is None or requested <= now + plan.max_duration:
        return ()
    notice = Notice(
        field=FIELD,
        rule=PLAN_MAX_DURATION,
        message=(
            f"the requested expiry {requested.isoformat()} is more than the {plan.name}'s "
            f"{_hours(plan)} away: it will expire {_hours(plan)} after its approval at the latest"
        ),
    )
    return (notice,)


def stored(content: AlertContent, expiry: Expiry) -> AlertContent:
    """The content a published version keeps: the expiry that applies where one was asked for."""
    if content.expires_at is None or content.expires_at == expiry.at:
        return content
    return content.model_copy(update={"expires_at": expiry.at})


def require_unpassed(
    content: AlertContent, *, reference: str, step: str, rule: str, now: datetime
) -> None:
    """Refuse a step on an alert whose requested expiry has already come."""
    requested = content.expires_at
    if requested is not None and requested <= now:
        raise TransitionRefused(
            f"cannot {step} {reference}: its requested expiry {requested.isoformat()} has "
            f"already passed (it is {now.isoformat()}); {rule}",
            field=FIELD,
        )


def for_linked(
    requested: datetime | None, original_ends: datetime | None, plan: StatePlan, now: datetime
) -> Expiry:
    """A linked alert's expiry: as its own plan allows, and never past its original's.

    With no time asked for, the notice says when the linked state's plan ends it before the
    original would end.
    """
    own = applying(requested, plan, now)
    if original_ends is not None and original_ends <= own.at:
        return Expiry(original_ends)
    if requested is not None or original_ends is None:
        return own
    notice = Notice(
        field=FIELD,
        rule=LINKED_WITHIN_PLAN,
        message=(
            f"it expires at {own.at.isoformat()}, before its original ({original_ends.isoformat()})"
            f": the {plan.name} allows {_hours(plan)}"
        ),
    )
    return Expiry(own.at, notice)
