"""People: each role carries the scope it needs, and no scope that no role uses."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.people import User
from tests import factories as f


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"roles": {"supervisor"}}, "agency_ori: originators and supervisors belong to an agency"),
        ({"roles": {"state_coordinator"}}, "states: a state coordinator coordinates at least"),
        (
            {"roles": {"national_coordinator"}, "states": {"TX"}},
            "states: only state coordinators are scoped to states",
        ),
        (
            {"roles": {"originator"}, "agency_ori": f.ORI, "states": {"OK"}},
            "states: only state coordinators are scoped to states",
        ),
        (
            {"roles": {"state_coordinator"}, "states": {"TX"}, "agency_ori": f.ORI},
            "agency_ori: only originators and supervisors act for an agency",
        ),
        ({"roles": {"supervisor"}, "agency_ori": "TX05"}, "an ORI is 9 characters"),
        ({"roles": set()}, "at least 1 item"),
    ],
)
def test_scopes_must_fit_the_roles(fields: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        User(username="someone", display_name="Someone", **fields)


def test_a_person_may_hold_roles_of_both_kinds() -> None:
    both = User(
        username="sgt.kim",
        display_name="Sgt. Kim",
        roles=frozenset({"supervisor", "state_coordinator"}),
        agency_ori=f.ORI,
        states=frozenset({"TX"}),
    )
    assert both.coordinates("TX")
    assert not both.coordinates("OK")
    assert both.acts_for_agency(f.ORI)
    assert f.NATIONAL.coordinates("GU")
