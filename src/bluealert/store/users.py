"""People and their roles, converted to and from rows.

A removed person keeps their row (alerts and audit events name them) with `removed_at` set;
they no longer act, and are not listed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role
from bluealert.errors import InvalidInput, NotFound
from bluealert.store.tables import UserRow

# Any fixed number: the key of the PostgreSQL advisory lock that queues changes to the roster.
_ROSTER_LOCK = 0x626C7565  # "blue"


def _user(row: UserRow) -> User:
    return User(
        username=row.username,
        display_name=row.display_name,
        roles=frozenset(Role(r) for r in row.roles),
        agency_ori=row.agency_ori,
        states=frozenset(row.states),
        email=row.email,
    )


def _write(row: UserRow, user: User) -> None:
    row.display_name = user.display_name
    row.roles = sorted(r.value for r in user.roles)
    row.agency_ori = user.agency_ori
    row.states = sorted(user.states)
    row.email = user.email


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> User:
        """A current user; a removed one is not found."""
        return _user(self._current_row(username))

    def _current_row(self, username: str) -> UserRow:
        row = self.session.get(UserRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}", field="user")
        if row.removed_at is not None:
            raise NotFound(
                f"user {username!r} was removed on {row.removed_at:%Y-%m-%d}", field="user"
            )
        return row

    def add(self, user: User, now: datetime) -> None:
        if self.session.get(UserRow, user.username) is not None:
            raise InvalidInput(f"user {user.username!r} already exists", field="username")
        row = UserRow(username=user.username, created_at=now)
        _write(row, user)
        self.session.add(row)
        self.session.flush()

    def save(self, user: User) -> None:
        """Write a changed user (who must be current)."""
        _write(self._current_row(user.username), user)
        self.session.flush()

    def remove(self, username: str, now: datetime) -> None:
        self._current_row(username).removed_at = now
        self.session.flush()

    def lock_roster(self) -> None:
        """Queue this transaction behind any other that changes people (until it ends).

        SQLite transactions already queue (BEGIN IMMEDIATE); on PostgreSQL two first admins,
        or two admins removing each other, would otherwise each see the roster before the other.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ROSTER_LOCK})

    def anyone_ever(self) -> bool:
        """Whether the store has ever held a person (removed ones count)."""
        return bool(self.session.scalar(select(func.count()).select_from(UserRow)))

    def everyone(self) -> list[User]:
        query = select(UserRow).where(UserRow.removed_at.is_(None)).order_by(UserRow.username)
        return [_user(r) for r in self.session.scalars(query)]
