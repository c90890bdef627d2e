"""When the neighbour policy names no other state, the reason given follows the policy and facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bluealert.app.cross_state import _why_no_state
from bluealert.domain.alert import sample_alert
from bluealert.domain.plan import NeighbourPolicy
from bluealert.domain.registry import plan_for
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DENTON = {"description": "I-35E at Loop 288, Denton", "lat": 33.185, "lon": -97.1}
FACT = {
    "no coordinates": "no sighting has coordinates to draw a travel envelope from",
    "in the future": "the latest sighting (I-35E at Loop 288, Denton) is later than now",
    "just seen": "the travel envelope from I-35E at Loop 288, Denton reaches no other state yet",
}


def _alert(sighting: str) -> Any:
    incident: dict[str, Any] = {"narrative": "x"}
    if sighting == "no coordinates":
        incident |= {"occurred_at": NOW.isoformat(), "location": {"description": "Denton"}}
    elif sighting == "in the future":
        incident |= {"occurred_at": (NOW + timedelta(hours=1)).isoformat(), "location": DENTON}
    else:
        incident |= {"occurred_at": (NOW - timedelta(minutes=1)).isoformat(), "location": DENTON}
    return sample_alert(f.alert_content(NOW, incident=incident), now=NOW)


@pytest.mark.parametrize("sighting", list(FACT))
def test_the_travel_envelope_policy_says_what_the_sighting_allows(sighting: str) -> None:
    plan = f.plan(
        "TX", name="Texas test plan", neighbour_policy=NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE
    )
    assert _why_no_state(_alert(sighting), plan, NOW) == (
        "the Texas test plan asks the states the alert's area reaches into or the suspect could "
        f"have reached since last seen; the area lies inside TX; {FACT[sighting]}"
    )


def test_no_policy_and_the_adjacent_policy_give_their_own_rule() -> None:
    alert = _alert("just seen")
    none = f.plan("TX", name="Texas test plan", neighbour_policy=NeighbourPolicy.NONE)
    assert _why_no_state(alert, none, NOW) == (
        "the Texas test plan asks only the states the alert's area reaches into; "
        "the area lies inside TX"
    )
    assert _why_no_state(alert, plan_for("TX"), NOW) == (
        "the Texas Blue Alert plan asks the states the alert's area reaches into or borders; "
        "the area lies inside TX and touches no other state's border"
    )
