"""People: each role carries the scope it needs, and no scope that no role uses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import ValidationError

from bluealert.domain.people import User, UserChange, changed, require_admin
from bluealert.domain.vocabulary import Role
from bluealert.errors import NotAllowed
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


ADMIN = f.user("root", Role.ADMIN)


@pytest.mark.parametrize(
    ("before", "change", "after"),
    [
        # What is given replaces.
        (
            f.SUPERVISOR,
            {"display_name": "Sgt. Reyes"},
            ("Sgt. Reyes", {"supervisor"}, f.ORI, set()),
        ),
        (
            f.TX_COORDINATOR,
            {"states": {"TX", "OK"}},
            ("tx.kim", {"state_coordinator"}, None, {"TX", "OK"}),
        ),
        (
            f.SUPERVISOR,
            {"agency_ori": "TX2200000"},
            ("sgt.reyes", {"supervisor"}, "TX2200000", set()),
        ),
        # A scope the new roles still use is kept …
        (
            f.SUPERVISOR,
            {"roles": {"supervisor", "originator"}},
            ("sgt.reyes", {"supervisor", "originator"}, f.ORI, set()),
        ),
        (
            f.TX_COORDINATOR,
            {"roles": {"state_coordinator", "admin"}},
            ("tx.kim", {"state_coordinator", "admin"}, None, {"TX"}),
        ),
        # … and one they no longer use is dropped.
        (
            f.SUPERVISOR,
            {"roles": {"national_coordinator"}},
            ("sgt.reyes", {"national_coordinator"}, None, set()),
        ),
        (f.TX_COORDINATOR, {"roles": {"admin"}}, ("tx.kim", {"admin"}, None, set())),
    ],
)
def test_a_change_replaces_what_it_gives_and_drops_unused_scope(
    before: User, change: dict[str, Any], after: tuple[str, set[str], str | None, set[str]]
) -> None:
    user = changed(before, UserChange.model_validate(change))
    assert (
        user.username,
        user.display_name,
        set(user.roles),
        user.agency_ori,
        set(user.states),
    ) == (
        before.username,
        *after,
    )


@pytest.mark.parametrize(
    ("before", "change", "words"),
    [
        (ADMIN, {"roles": {"supervisor"}}, "agency_ori: originators and supervisors belong"),
        (f.SUPERVISOR, {"roles": {"state_coordinator"}}, "states: a state coordinator"),
        (f.TX_COORDINATOR, {"agency_ori": f.ORI}, "agency_ori: only originators and supervisors"),
    ],
)
def test_a_change_that_leaves_a_role_without_its_scope_is_refused(
    before: User, change: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValidationError, match=re.escape(words)):
        changed(before, UserChange.model_validate(change))


def test_an_empty_set_of_roles_is_refused() -> None:
    with pytest.raises(ValidationError, match="roles"):
        UserChange.model_validate({"roles": []})


@pytest.mark.parametrize("actor", [f.SUPERVISOR, f.TX_COORDINATOR, f.NATIONAL])
def test_only_an_admin_manages_people(actor: User) -> None:
    with pytest.raises(NotAllowed, match="takes the admin role"):
        require_admin(actor)
    require_admin(ADMIN)
