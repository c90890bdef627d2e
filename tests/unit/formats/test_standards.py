"""Details that outside readers and validators check: teletype addressing, GeoJSON per
RFC 7946, RSS enclosures, and text that reads cleanly where something was dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bluealert.domain.alert import Alert, sample_alert
from bluealert.formats.context import RenderContext
from bluealert.formats.renderers import render
from bluealert.formats.teletype import compose_teletypes
from tests import factories as f

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CTX = RenderContext(now=NOW)
# A box across the Red River north of Wichita Falls: the river (about 34.0° N here) is the
# Texas-Oklahoma line.
RED_RIVER = [[33.8, -98.7], [33.8, -98.3], [34.3, -98.3], [34.3, -98.7], [33.8, -98.7]]
# 250 km around Memphis reaches Tennessee, Arkansas, Mississippi, Missouri, Kentucky,
# Illinois (Cairo, about 215 km) and Alabama (the Shoals, about 210 km).
MEMPHIS = {"lat": 35.15, "lon": -90.05, "radius_km": 250}


def _alert(**overrides: Any) -> Alert:
    return sample_alert(f.alert_content(NOW, **overrides), now=NOW, reference="TX-2026-0007")


def test_teletype_addresses_the_states_a_polygon_reaches() -> None:
    [message] = compose_teletypes(_alert(area={"counties": ["48485"], "polygons": [RED_RIVER]}))
    assert message.destinations == ["TX", "OK"]
    assert message.text.splitlines()[2] == "TX,OK"


def test_more_than_five_states_become_several_messages_not_a_refusal() -> None:
    messages = compose_teletypes(_alert(area={"circles": [MEMPHIS]}))
    reached = {"TN", "AR", "MS", "MO", "KY", "IL", "AL"}
    assert [m.destinations for m in messages] == [
        ["TX", "AL", "AR", "IL", "KY"],
        ["MO", "MS", "TN"],
    ]
    assert {s for m in messages for s in m.destinations} == reached | {"TX"}
    bodies = {tuple(m.text.splitlines()[3:]) for m in messages}
    assert len(bodies) == 1, "each group gets the same message"
    rendered = render("teletype", _alert(area={"circles": [MEMPHIS]}), CTX).decode()
    assert rendered.split("\n\n") == [m.text for m in messages]


def test_teletype_never_names_an_officer_officer() -> None:
    officers = [{"agency": dict(f.AGENCY), "status": "assaulted"}]
    [message] = compose_teletypes(_alert(kind="officer_assaulted_deadly_weapon", officers=officers))
    [line] = [line for line in message.text.splitlines() if line.startswith("OFFICER:")]
    assert line == "OFFICER: ASSAULTED, LONE PRAIRIE COUNTY SHERIFF'S OFFICE (FICTIONAL)"
