"""People and their roles, converted to and from rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role
from bluealert.errors import InvalidInput, NotFound
from bluealert.store.tables import UserRow


def _user(row: UserRow) -> User:
    return User(
        username=row.username,
        display_name=row.display_name,
        roles=frozenset(Role(r) for r in row.roles),
        agency_ori=row.agency_ori,
        states=frozenset(row.states),
    )


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> User:
        row = self.session.get(UserRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}", field="user")
        return _user(row)

    def add(self, user: User, now: datetime) -> None:
        if self.session.get(UserRow, user.username) is not None:
            raise InvalidInput(f"user {user.username!r} already exists", field="username")
        self.session.add(
            UserRow(
                username=user.username,
                display_name=user.display_name,
                roles=sorted(r.value for r in user.roles),
                agency_ori=user.agency_ori,
                states=sorted(user.states),
                created_at=now,
            )
        )
        self.session.flush()

    def everyone(self) -> list[User]:
        return [_user(r) for r in self.session.scalars(select(UserRow).order_by(UserRow.username))]
