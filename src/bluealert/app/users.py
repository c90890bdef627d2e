"""Use cases for people: add and list."""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.app.context import AppContext, transaction
from bluealert.domain.people import User


def add_user(ctx: AppContext, *, actor: str, user: User) -> User:
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.add(user, now)
        tx.audit(
            "user.added",
            actor=actor,
            subject_type="user",
            subject_id=user.username,
            now=now,
            roles=sorted(user.roles),
            agency_ori=user.agency_ori,
            states=sorted(user.states),
        )
    return user


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
