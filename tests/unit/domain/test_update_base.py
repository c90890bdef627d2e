"""The base rule of an update (issue 8): a change names the version it was based on and is
refused unless that is still the current one, naming the current version and who wrote it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert
from bluealert.domain.vocabulary import Claim
from bluealert.errors import StaleVersion, TransitionRefused
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=40)
PLAN = f.plan()


def _draft() -> Alert:
    content = f.alert_content(NOW)
    return lifecycle.draft(
        content, user=f.ORIGINATOR, plan=PLAN, alert_id="a-1", reference="TX-2026-0001", now=NOW
    )


def _at_version_2() -> Alert:
    claims = [Claim.OFFICER_STATUS_CONFIRMED]
    attested = lifecycle.attest(_draft(), claims, user=f.SUPERVISOR, now=NOW)
    pending = lifecycle.submit(attested, user=f.SUPERVISOR, plan=PLAN, now=NOW)
    active = lifecycle.approve(pending, user=f.TX_COORDINATOR, plan=PLAN, now=NOW)
    changed = active.content.model_copy(update={"contact": "Call 911 or DPS"})
    return lifecycle.update(
        active, changed, user=f.TX_COORDINATOR_2, plan=PLAN, note="n", now=LATER
    )


def test_the_current_version_is_a_good_base() -> None:
    lifecycle.require_base(_at_version_2(), 2)
    lifecycle.require_base(_draft(), 1)


@pytest.mark.parametrize("base", [1, 3, 99])
def test_any_other_base_is_refused_naming_the_current_version(base: int) -> None:
    with pytest.raises(StaleVersion) as refused:
        lifecycle.require_base(_at_version_2(), base)
    assert isinstance(refused.value, TransitionRefused)  # HTTP 409, exit 1
    assert (refused.value.field, refused.value.current) == ("base", 2)
    assert str(refused.value) == (
        "base: TX-2026-0001 is at version 2 (written by tx.patel at 2026-11-24T09:40:00+00:00), "
        f"not version {base} that this update was based on: read it again and base the update "
        "on version 2"
    )


def test_a_revised_draft_keeps_its_number_as_its_base() -> None:
    draft = _draft()
    changed = draft.content.model_copy(update={"contact": "Call 911 or DPS"})
    revised = lifecycle.revise_draft(draft, changed, user=f.ORIGINATOR, plan=PLAN, now=LATER)
    lifecycle.require_base(revised, 1)
    with pytest.raises(StaleVersion, match=r"is at version 1 .* not version 2"):
        lifecycle.require_base(revised, 2)
