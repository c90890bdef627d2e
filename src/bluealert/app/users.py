"""Use cases for people: add, change, remove and list. Each takes an admin (issue 8).

The one exception is the first admin of an empty store, who adds themselves; that bootstrap is
audited as `user.bootstrapped`. The API reuses these use cases (its accounts add credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.domain.people import User, UserChange, changed, require_admin
from bluealert.domain.vocabulary import Role
from bluealert.errors import NotAllowed


def _audit(tx: Transaction, action: str, actor: str, user: User, now: datetime) -> None:
    tx.audit(
        action,
        actor=actor,
        subject_type="user",
        subject_id=user.username,
        now=now,
        roles=sorted(user.roles),
        agency_ori=user.agency_ori,
        states=sorted(user.states),
    )


def _admin(tx: Transaction, actor: str | None) -> User:
    """The acting admin: an existing, current person who holds the admin role."""
    if actor is None:
        raise NotAllowed(
            "say who is acting (--as ADMIN): people are added by an admin", field="actor"
        )
    admin = tx.users.get(actor)
    require_admin(admin)
    return admin


def add_user(ctx: AppContext, *, actor: str | None, user: User) -> User:
    """Add a person, as an admin; or, in a store that never held anyone, its first admin."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.lock_roster()
        if not tx.users.anyone_ever():
            _bootstrap(tx, actor, user, now)
            return user
        admin = _admin(tx, actor)
        tx.users.add(user, now)
        _audit(tx, "user.added", admin.username, user, now)
    return user


def _bootstrap(tx: Transaction, actor: str | None, user: User, now: datetime) -> None:
    if Role.ADMIN not in user.roles:
        raise NotAllowed(
            "the store has no people yet: the first one must be an admin "
            f"(users add NAME --role admin), not {', '.join(sorted(user.roles))}",
            field="roles",
        )
    if actor not in (None, user.username):
        tx.users.get(actor)  # nobody exists yet: names the missing user
    tx.users.add(user, now)
    _audit(tx, "user.bootstrapped", user.username, user, now)


def change_user(ctx: AppContext, *, actor: str, username: str, change: UserChange) -> User:
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.lock_roster()
        admin = _admin(tx, actor)
        after = changed(tx.users.get(username), change)
        if Role.ADMIN not in after.roles:
            _keep_an_admin(tx, username)
        tx.users.save(after)
        _audit(tx, "user.changed", admin.username, after, now)
    return after


def remove_user(ctx: AppContext, *, actor: str, username: str) -> User:
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.lock_roster()
        admin = _admin(tx, actor)
        removed = tx.users.get(username)
        _keep_an_admin(tx, username)
        tx.users.remove(username, now)
        _audit(tx, "user.removed", admin.username, removed, now)
    return removed


def _keep_an_admin(tx: Transaction, leaving: str) -> None:
    """The store always keeps one admin: without one nobody could add people again."""
    others = [u for u in tx.users.everyone() if u.has(Role.ADMIN) and u.username != leaving]
    if not others:
        raise NotAllowed(
            f"{leaving} is the last admin: add another admin before removing this one or "
            "taking away their admin role",
            field="roles",
        )


def list_users(ctx: AppContext) -> list[User]:
    with transaction(ctx) as tx:
        return tx.users.everyone()


def get_user(ctx: AppContext, username: str) -> User:
    with transaction(ctx) as tx:
        return tx.users.get(username)


@dataclass(frozen=True)
class KnownAgency:
    ori: str
    name: str | None  # as the newest alert it requested names it
    people: int


def list_agencies(ctx: AppContext) -> list[KnownAgency]:
    """Agencies this node knows: those its people act for and those that requested alerts."""
    with transaction(ctx) as tx:
        people = tx.users.everyone()
        alerts = tx.alerts.find(limit=10_000)
    names: dict[str, str] = {}
    for alert in reversed(alerts):  # oldest first, so the newest name wins
        agency = alert.content.requesting_agency
        names[agency.ori] = agency.name
    counts: dict[str, int] = {}
    for person in people:
        if person.agency_ori:
            counts[person.agency_ori] = counts.get(person.agency_ori, 0) + 1
    return [
        KnownAgency(ori, names.get(ori), counts.get(ori, 0)) for ori in sorted({*names, *counts})
    ]
