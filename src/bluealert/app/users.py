"""Use cases for people: add and list."""

from __future__ import annotations

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
