"""Valid fictional alerts, people and plans for tests; override what a test is about."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bluealert.domain.content import AlertContent
from bluealert.domain.people import User
from bluealert.domain.plan import Channel, StatePlan
from bluealert.domain.vocabulary import AlertKind, Role

ORI = "TX0579900"
AGENCY = {"ori": ORI, "name": "Lone Prairie County Sheriff's Office (fictional)"}


def alert_data(now: datetime, **overrides: Any) -> dict[str, Any]:
    """A plain dict as an alert file would hold it; every fact fictional."""
    data: dict[str, Any] = {
        "kind": "officer_seriously_injured",
        "status": "Actual",
        "plan": "TX",
        "requesting_agency": dict(AGENCY),
        "incident": {
            "occurred_at": (now - timedelta(minutes=30)).isoformat(),
            "location": {"description": "I-35E at Loop 288, Denton", "lat": 33.185, "lon": -97.1},
            "narrative": "A deputy was shot during a traffic stop.",
        },
        "officers": [
            {"agency": dict(AGENCY), "status": "seriously_injured", "name": "Deputy Lee Fictional"}
        ],
        "suspects": [
            {
                "name": "Jordan Q. Sample",
                "sex": "male",
                "race": "white",
                "age": "30-35",
                "clothing": "black hoodie",
                "armed_and_dangerous": True,
            }
        ],
        "vehicles": [
            {
                "year": 2018,
                "make": "Ford",
                "model": "F-150",
                "color": "grey",
                "plate": {"state": "TX", "number": "KZT4??1"},
                "direction_of_travel": "northbound I-35",
            }
        ],
        "contact": "Call 911",
        "area": {"counties": ["48121", "48113"]},
    }
    merged = copy.deepcopy(data)
    merged.update(overrides)
    return merged


def alert_content(now: datetime, **overrides: Any) -> AlertContent:
    return AlertContent.model_validate(alert_data(now, **overrides))


def user(username: str, *roles: Role, ori: str | None = None, states: tuple[str, ...] = ()) -> User:
    return User(
        username=username,
        display_name=username,
        roles=frozenset(roles),
        agency_ori=ori,
        states=frozenset(states),
    )


ORIGINATOR = user("dep.odell", Role.ORIGINATOR, ori=ORI)
SUPERVISOR = user("sgt.reyes", Role.SUPERVISOR, ori=ORI)
TX_COORDINATOR = user("tx.kim", Role.STATE_COORDINATOR, states=("TX",))
TX_COORDINATOR_2 = user("tx.patel", Role.STATE_COORDINATOR, states=("TX",))
OK_COORDINATOR = user("ok.lee", Role.STATE_COORDINATOR, states=("OK",))
NATIONAL = user("natl.brooks", Role.NATIONAL_COORDINATOR)
OTHER_AGENCY_OFFICER = user("ptl.other", Role.ORIGINATOR, ori="TX2200000")
OTHER_AGENCY_SUPERVISOR = user("sgt.other", Role.SUPERVISOR, ori="TX2200000")
# One person who is both a supervisor of the requesting agency and a Texas coordinator.
SUPERVISOR_AND_COORDINATOR = user(
    "lt.both", Role.SUPERVISOR, Role.STATE_COORDINATOR, ori=ORI, states=("TX",)
)
ALL_USERS = (
    ORIGINATOR,
    SUPERVISOR,
    TX_COORDINATOR,
    TX_COORDINATOR_2,
    OK_COORDINATOR,
    NATIONAL,
    OTHER_AGENCY_OFFICER,
    OTHER_AGENCY_SUPERVISOR,
    SUPERVISOR_AND_COORDINATOR,
)


def plan(state: str = "TX", **overrides: Any) -> StatePlan:
    """A simple plan for pure lifecycle tests (the real plans live in the registry)."""
    fields: dict[str, Any] = {
        "state": state,
        "name": f"{state} test plan",
        "issuing_agency": "State police",
        "legal_basis": "test",
        "triggers": list(AlertKind),
        "requesting_roles": [Role.ORIGINATOR, Role.SUPERVISOR],
        "activating_roles": [Role.STATE_COORDINATOR, Role.NATIONAL_COORDINATOR],
        "max_duration_hours": 24,
        "default_channels": [Channel.WEA, Channel.EAS],
    }
    fields.update(overrides)
    return StatePlan(**fields)


TESTDATA = Path(__file__).resolve().parent / "spec_vectors"


def testdata(name: str) -> bytes:
    """A published spec vector or real sample, vendored in tests/spec_vectors (see its README)."""
    return (TESTDATA / name).read_bytes()
