"""Which other states a plan's neighbour policy says to ask, and why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bluealert.domain.content import AreaRequest
from bluealert.domain.plan import NeighbourPolicy
from bluealert.geo.counties import county
from bluealert.geo.neighbours import area_in_state, latest_sighting, states_to_ask
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
GAINESVILLE = {"description": "I-35 at Gainesville", "lat": 33.6259, "lon": -97.1334}


def _content(counties: list[str], *, hours_ago: float = 0.5, **vehicle: Any) -> Any:
    data = f.alert_data(NOW, area={"counties": counties})
    data["incident"]["occurred_at"] = (NOW - timedelta(hours=hours_ago)).isoformat()
    data["vehicles"][0].update(vehicle)
    return f.alert_content(NOW, **data)


def _ask(content: Any, policy: NeighbourPolicy, now: datetime = NOW) -> dict[str, str]:
    advice = states_to_ask(content, policy=policy, home="TX", now=now)
    assert advice.note == ""
    return {s.state: s.reason for s in advice.states}


@pytest.mark.parametrize("policy", list(NeighbourPolicy))
def test_a_state_the_area_reaches_into_is_always_named(policy: NeighbourPolicy) -> None:
    asked = _ask(_content(["48113", "40085"]), policy)
    assert asked["OK"] == "the alert's area reaches into OK"
    assert "TX" not in asked


def test_adjacent_states_are_those_bordering_the_area_not_the_whole_state() -> None:
    policy = NeighbourPolicy.ADJACENT_STATES
    assert _ask(_content(["48113"]), policy) == {}  # Dallas County borders only Texas
    assert _ask(_content(["48181"]), policy) == {"OK": "OK borders the alert's area"}
    assert _ask(_content(["48113"]), NeighbourPolicy.NONE) == {}


def test_the_travel_envelope_names_states_the_suspect_could_reach_by_now() -> None:
    policy = NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE
    seen = {"place": GAINESVILLE, "at": (NOW - timedelta(minutes=30)).isoformat()}
    north = _content(["48097"], last_seen=seen, direction_of_travel="northbound I-35")
    south = _content(["48097"], last_seen=seen, direction_of_travel="southbound I-35")
    reason = _ask(north, policy)["OK"]
    assert reason.startswith("the suspect could be in OK: 52 km at 65 mph in the 30 minutes")
    assert reason.endswith("since last seen at I-35 at Gainesville")
    assert "OK" not in _ask(south, policy)
    assert "OK" not in _ask(north, policy, now=NOW - timedelta(minutes=29))


def test_the_latest_sighting_is_the_newest_place_with_coordinates() -> None:
    earlier = {"place": GAINESVILLE, "at": (NOW - timedelta(minutes=20)).isoformat()}
    content = _content(["48097"], last_seen=earlier, direction_of_travel="NB")
    seen = latest_sighting(content)
    assert seen is not None
    assert (seen.where, seen.heading) == ("I-35 at Gainesville", 0.0)
    unplaced = {"place": {"description": "somewhere"}, "at": NOW.isoformat()}
    incident_only = latest_sighting(_content(["48097"], last_seen=unplaced))
    assert incident_only is not None
    assert incident_only.where == "I-35E at Loop 288, Denton"


def test_a_sighting_too_old_for_an_envelope_says_so() -> None:
    seen = {"place": GAINESVILLE, "at": (NOW - timedelta(hours=30)).isoformat()}
    content = _content(["48097", "40085"], hours_ago=31, last_seen=seen, direction_of_travel="NB")
    advice = states_to_ask(
        content, policy=NeighbourPolicy.STATES_IN_TRAVEL_ENVELOPE, home="TX", now=NOW
    )
    assert [s.state for s in advice.states] == ["OK"]  # the area still names Oklahoma
    assert advice.note.startswith("no travel envelope: ")
    assert advice.note.endswith("record a newer sighting")


# Where a linked alert runs in the state that accepted it.


def test_a_linked_alert_runs_on_the_part_of_the_area_in_its_state() -> None:
    texarkana = _content(["48037", "05091"])  # Bowie County TX and Miller County AR
    assert area_in_state(texarkana, "AR", now=NOW) == AreaRequest(counties=["05091"])


def test_a_linked_alert_runs_on_its_counties_bordering_the_area() -> None:
    cooke = _content(["48097"])  # on the Red River, across from Love County OK
    found = area_in_state(cooke, "OK", now=NOW).counties
    assert "40085" in found
    assert all(county(fips).state == "OK" for fips in found)


def test_a_linked_alert_runs_where_the_suspect_could_be_in_its_state() -> None:
    dallas = _content(["48113"], hours_ago=3)  # 3 hours at 65 mph reach into Louisiana
    found = area_in_state(dallas, "LA", now=NOW).counties
    assert found
    assert all(county(fips).state == "LA" for fips in found)
    assert area_in_state(dallas, "LA", now=NOW - timedelta(hours=2, minutes=45)).counties == []


def test_a_linked_alert_far_from_the_area_runs_statewide_in_its_state() -> None:
    dallas = _content(["48113"])
    assert area_in_state(dallas, "LA", now=NOW) == AreaRequest(states=["LA"])
