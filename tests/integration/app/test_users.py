"""People are added, changed and removed by an admin; the first admin bootstraps (issue 8)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from bluealert.app import users
from bluealert.app.context import AppContext, transaction
from bluealert.domain.people import User, UserChange
from bluealert.domain.vocabulary import Role
from bluealert.errors import BlueAlertError, InvalidInput, NotAllowed, NotFound
from bluealert.store import audit
from tests import factories as f
from tests.integration.app.conftest import drafted

ROOT = f.user("root", Role.ADMIN)
SECOND_ADMIN = f.user("ops", Role.ADMIN)


def _events(ctx: AppContext) -> list[tuple[str, str, str]]:
    with transaction(ctx) as tx:
        return [(e.action, e.actor, e.subject_id) for e in audit.events(tx.session)]


def _usernames(ctx: AppContext) -> list[str]:
    return [u.username for u in users.list_users(ctx)]


def _with_root(ctx: AppContext, *people: User) -> None:
    users.add_user(ctx, actor=None, user=ROOT)
    for person in people:
        users.add_user(ctx, actor="root", user=person)


def test_the_first_admin_of_an_empty_store_adds_themselves_and_it_is_audited(
    ctx: AppContext,
) -> None:
    users.add_user(ctx, actor=None, user=ROOT)
    assert _usernames(ctx) == ["root"]
    assert _events(ctx) == [("user.bootstrapped", "root", "root")]


@pytest.mark.parametrize(
    ("actor", "first", "error", "words"),
    [
        (None, f.NATIONAL, NotAllowed, "the first one must be an admin"),
        (None, f.SUPERVISOR, NotAllowed, "the first one must be an admin"),
        ("anyone", ROOT, NotFound, "no user 'anyone'"),
    ],
)
def test_the_bootstrap_is_only_for_an_admin_adding_themselves(
    ctx: AppContext, actor: str | None, first: User, error: type[BlueAlertError], words: str
) -> None:
    with pytest.raises(error, match=words):
        users.add_user(ctx, actor=actor, user=first)
    assert (_usernames(ctx), _events(ctx)) == ([], [])


@pytest.mark.parametrize(
    ("actor", "error", "words"),
    [
        (None, NotAllowed, r"say who is acting \(--as ADMIN\)"),
        ("anyone", NotFound, "no user 'anyone'"),  # --as must name an existing user
        ("tx.kim", NotAllowed, "tx.kim is not an admin"),
        ("natl.brooks", NotAllowed, "natl.brooks is not an admin"),
    ],
)
def test_after_the_first_admin_only_an_admin_adds_people(
    ctx: AppContext, actor: str | None, error: type[BlueAlertError], words: str
) -> None:
    _with_root(ctx, f.TX_COORDINATOR, f.NATIONAL)
    before = (_usernames(ctx), _events(ctx))
    with pytest.raises(error, match=words):
        users.add_user(ctx, actor=actor, user=f.user("mallory", Role.NATIONAL_COORDINATOR))
    assert (_usernames(ctx), _events(ctx)) == before


def test_an_admin_adds_changes_and_removes_people(ctx: AppContext) -> None:
    _with_root(ctx, f.SUPERVISOR)
    promoted = users.change_user(
        ctx,
        actor="root",
        username="sgt.reyes",
        change=UserChange(roles=frozenset({Role.STATE_COORDINATOR}), states=frozenset({"TX"})),
    )
    assert (promoted.roles, promoted.agency_ori, promoted.states) == (
        frozenset({Role.STATE_COORDINATOR}),
        None,
        frozenset({"TX"}),
    )
    with transaction(ctx) as tx:
        assert tx.users.get("sgt.reyes") == promoted
    users.remove_user(ctx, actor="root", username="sgt.reyes")
    assert _usernames(ctx) == ["root"]
    assert _events(ctx)[-3:] == [
        ("user.added", "root", "sgt.reyes"),
        ("user.changed", "root", "sgt.reyes"),
        ("user.removed", "root", "sgt.reyes"),
    ]


@pytest.mark.parametrize("actor", ["tx.kim", "anyone"])
def test_only_an_admin_changes_or_removes_people(ctx: AppContext, actor: str) -> None:
    _with_root(ctx, f.TX_COORDINATOR, f.SUPERVISOR)
    before = (users.list_users(ctx), _events(ctx))
    with pytest.raises((NotAllowed, NotFound)):
        users.change_user(
            ctx, actor=actor, username="sgt.reyes", change=UserChange(roles=frozenset({Role.ADMIN}))
        )
    with pytest.raises((NotAllowed, NotFound)):
        users.remove_user(ctx, actor=actor, username="sgt.reyes")
    assert (users.list_users(ctx), _events(ctx)) == before


def test_a_change_that_breaks_a_role_scope_changes_nothing(ctx: AppContext) -> None:
    _with_root(ctx, f.SUPERVISOR)
    before = users.list_users(ctx)
    with pytest.raises(ValidationError, match="states"):
        users.change_user(
            ctx,
            actor="root",
            username="sgt.reyes",
            change=UserChange(roles=frozenset({Role.STATE_COORDINATOR})),
        )
    assert users.list_users(ctx) == before


def test_a_removed_person_no_longer_acts_but_their_alerts_remain(ctx: AppContext) -> None:
    _with_root(ctx, f.ORIGINATOR, f.SUPERVISOR)
    alert = drafted(ctx)
    users.remove_user(ctx, actor="root", username="dep.odell")
    with pytest.raises(NotFound, match=r"user 'dep\.odell' was removed"):
        drafted(ctx)
    with transaction(ctx) as tx:
        assert tx.alerts.get(alert.reference).author == "dep.odell"
    with pytest.raises(InvalidInput, match="already exists"):
        users.add_user(ctx, actor="root", user=f.ORIGINATOR)


def test_the_last_admin_stays(ctx: AppContext) -> None:
    _with_root(ctx)
    with pytest.raises(NotAllowed, match="root is the last admin"):
        users.remove_user(ctx, actor="root", username="root")
    demoted = UserChange(roles=frozenset({Role.NATIONAL_COORDINATOR}))
    with pytest.raises(NotAllowed, match="root is the last admin"):
        users.change_user(ctx, actor="root", username="root", change=demoted)
    users.add_user(ctx, actor="root", user=SECOND_ADMIN)
    users.change_user(ctx, actor="root", username="root", change=demoted)
    with pytest.raises(NotAllowed, match="root is not an admin"):
        users.remove_user(ctx, actor="root", username="ops")
    assert _usernames(ctx) == ["ops", "root"]


def test_a_store_that_ever_held_people_has_no_second_bootstrap(ctx: AppContext) -> None:
    _with_root(ctx, SECOND_ADMIN)
    users.remove_user(ctx, actor="ops", username="root")
    with pytest.raises(NotAllowed, match="say who is acting"):
        users.add_user(ctx, actor=None, user=f.user("newroot", Role.ADMIN))


def test_two_first_admins_at_once_make_one(ctx: AppContext) -> None:
    start = threading.Barrier(4)

    def bootstrap(n: int) -> str:
        start.wait()
        try:
            users.add_user(ctx, actor=None, user=f.user(f"root{n}", Role.ADMIN))
        except NotAllowed:
            return "refused"
        return "added"

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(bootstrap, range(4)))
    assert outcomes == ["added", "refused", "refused", "refused"]
    assert len(_usernames(ctx)) == 1
    assert [e[0] for e in _events(ctx)] == ["user.bootstrapped"]
