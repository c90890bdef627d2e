"""Tip rules, a row at a time: which alerts take tips, when a sighting may be, who reads them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bluealert.domain.alert import Alert, sample_alert
from bluealert.domain.tips import (
    REVIEW_NOTE_MAX,
    TipSubmission,
    check_review_note,
    check_tip_for,
    may_read_tips,
    require_tip_reader,
)
from bluealert.domain.vocabulary import AlertState, Role
from bluealert.errors import InvalidInput, NotAllowed, TransitionRefused
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
OTHER_ORI = "TX0570000"


def _alert(state: AlertState = AlertState.ACTIVE, expires_in: timedelta | None = None) -> Alert:
    alert = sample_alert(f.alert_content(NOW - timedelta(minutes=30)), now=NOW)
    expires = NOW + expires_in if expires_in is not None else alert.expires_at
    return alert.model_copy(update={"state": state, "expires_at": expires})


def _tip(seen_at: datetime = NOW) -> TipSubmission:
    return TipSubmission(seen="a silver pickup", location="I-35 at exit 468", seen_at=seen_at)


@pytest.mark.parametrize("state", list(AlertState))
def test_only_an_active_alert_takes_tips(state: AlertState) -> None:
    alert = _alert(state, expires_in=timedelta(hours=1))
    if state is AlertState.ACTIVE:
        check_tip_for(alert, _tip(), NOW)
    else:
        with pytest.raises(TransitionRefused, match=f"is {state.value}: tips are taken only"):
            check_tip_for(alert, _tip(), NOW)


@pytest.mark.parametrize(
    ("expires_in", "taken"),
    [
        (timedelta(seconds=1), True),
        (timedelta(0), False),  # expired at this very instant, swept or not
        (timedelta(seconds=-1), False),
    ],
)
def test_an_active_alert_past_its_expiry_takes_none(expires_in: timedelta, taken: bool) -> None:
    alert = _alert(expires_in=expires_in)
    if taken:
        check_tip_for(alert, _tip(), NOW)
    else:
        with pytest.raises(TransitionRefused, match="is expired"):
            check_tip_for(alert, _tip(), NOW)


@pytest.mark.parametrize(
    ("ahead", "taken"),
    [
        (timedelta(days=-2), True),  # a sighting before the alert may still matter
        (timedelta(minutes=5), True),  # a phone's clock a little ahead
        (timedelta(minutes=5, seconds=1), False),
    ],
)
def test_a_sighting_may_not_be_in_the_future(ahead: timedelta, taken: bool) -> None:
    alert = _alert(expires_in=timedelta(hours=1))
    if taken:
        check_tip_for(alert, _tip(NOW + ahead), NOW)
    else:
        with pytest.raises(InvalidInput) as refused:
            check_tip_for(alert, _tip(NOW + ahead), NOW)
        assert refused.value.field == "seen_at"


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"lat": 33.2}, "lat"),
        ({"lon": -97.1}, "lat"),
        ({"seen_at": datetime(2026, 11, 24, 9, 0)}, "seen_at"),
        ({"seen": " "}, "seen"),
    ],
)
def test_a_submission_breaking_a_rule_names_the_field(given: dict[str, object], field: str) -> None:
    data = {"seen": "pickup", "location": "I-35", "seen_at": NOW} | given
    with pytest.raises(ValidationError) as refused:
        TipSubmission.model_validate(data)
    error = refused.value.errors()[0]
    assert field in (*map(str, error["loc"]), error["msg"].split("error, ")[-1].split(":")[0])


def test_a_point_with_both_coordinates_is_kept() -> None:
    tip = TipSubmission(seen="x", location="y", seen_at=NOW, lat=33.2, lon=-97.1)
    assert (tip.lat, tip.lon) == (33.2, -97.1)


@pytest.mark.parametrize(
    ("reader", "may"),
    [
        (f.user("dep.own", Role.ORIGINATOR, ori=f.ORI), True),
        (f.user("sgt.own", Role.SUPERVISOR, ori=f.ORI), True),
        (f.user("dep.other", Role.ORIGINATOR, ori=OTHER_ORI), False),
        (f.user("sgt.other", Role.SUPERVISOR, ori=OTHER_ORI), False),
        (f.user("tx.coord", Role.STATE_COORDINATOR, states=("TX",)), True),
        (f.user("ok.coord", Role.STATE_COORDINATOR, states=("OK",)), False),
        (f.user("natl", Role.NATIONAL_COORDINATOR), True),
        (f.user("admin", Role.ADMIN), False),
    ],
    ids=lambda v: str(v) if isinstance(v, bool) else v.username,
)
def test_who_reads_tips(reader: object, may: bool) -> None:
    alert = _alert()
    assert alert.content.requesting_agency.ori == f.ORI
    assert alert.plan == "TX"
    assert may_read_tips(reader, alert) is may  # type: ignore[arg-type]
    if may:
        require_tip_reader(reader, alert)  # type: ignore[arg-type]
    else:
        with pytest.raises(NotAllowed, match="may not read the tips"):
            require_tip_reader(reader, alert)  # type: ignore[arg-type]


def test_a_review_note_has_a_limit() -> None:
    check_review_note("x" * REVIEW_NOTE_MAX)
    with pytest.raises(InvalidInput) as refused:
        check_review_note("x" * (REVIEW_NOTE_MAX + 1))
    assert refused.value.field == "note"
