"""Credentials, sessions and API keys, converted to and from rows. Repositories never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bluealert.domain.accounts import LoginRecord
from bluealert.errors import NotFound
from bluealert.store.tables import ApiKeyRow, CredentialRow, SessionRow


@dataclass(frozen=True)
class Credentials:
    username: str
    password_hash: str
    totp_secret: str | None
    totp_confirmed: bool
    totp_last_step: int | None
    record: LoginRecord


@dataclass(frozen=True)
class StoredSession:
    token_hash: str
    username: str
    csrf_hash: str
    created_at: datetime
    last_seen_at: datetime


@dataclass(frozen=True)
class StoredApiKey:
    id: str
    secret_hash: str
    name: str
    owner_kind: str
    owner: str
    scopes: list[str]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None


def _credentials(row: CredentialRow) -> Credentials:
    record = LoginRecord(row.failures, row.lockouts, row.locked_until)
    return Credentials(
        row.username,
        row.password_hash,
        row.totp_secret,
        row.totp_confirmed,
        row.totp_last_step,
        record,
    )


def _key(row: ApiKeyRow) -> StoredApiKey:
    return StoredApiKey(
        row.id,
        row.secret_hash,
        row.name,
        row.owner_kind,
        row.owner,
        list(row.scopes),
        row.created_at,
        row.created_by,
        row.revoked_at,
        row.last_used_at,
    )


class CredentialRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, username: str, *, for_update: bool = False) -> Credentials | None:
        query = select(CredentialRow).where(CredentialRow.username == username)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _credentials(row) if row else None

    def set_password(self, username: str, password_hash: str, now: datetime) -> None:
        row = self.session.get(CredentialRow, username)
        if row is None:
            row = CredentialRow(username=username, totp_confirmed=False, failures=0, lockouts=0)
            self.session.add(row)
        row.password_hash, row.changed_at = password_hash, now
        self.session.flush()

    def set_totp(self, username: str, secret: str | None, *, confirmed: bool) -> None:
        row = self._row(username)
        row.totp_secret, row.totp_confirmed, row.totp_last_step = secret, confirmed, None

    def confirm_totp(self, username: str, step: int) -> None:
        row = self._row(username)
        row.totp_confirmed, row.totp_last_step = True, step

    def used_totp_step(self, username: str, step: int) -> None:
        self._row(username).totp_last_step = step

    def save_record(self, username: str, record: LoginRecord) -> None:
        row = self._row(username)
        row.failures, row.lockouts, row.locked_until = (
            record.failures,
            record.lockouts,
            record.locked_until,
        )

    def _row(self, username: str) -> CredentialRow:
        row = self.session.get(CredentialRow, username)
        if row is None:
            raise NotFound(f"{username!r} has no password set", field="username")
        return row


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, stored: StoredSession) -> None:
        self.session.add(
            SessionRow(
                token_hash=stored.token_hash,
                username=stored.username,
                csrf_hash=stored.csrf_hash,
                created_at=stored.created_at,
                last_seen_at=stored.last_seen_at,
            )
        )
        self.session.flush()

    def find(self, token_hash: str) -> StoredSession | None:
        row = self.session.get(SessionRow, token_hash)
        if row is None:
            return None
        return StoredSession(
            row.token_hash, row.username, row.csrf_hash, row.created_at, row.last_seen_at
        )

    def touch(self, token_hash: str, now: datetime) -> None:
        row = self.session.get(SessionRow, token_hash)
        if row is not None:
            row.last_seen_at = now

    def remove(self, token_hash: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    def remove_all(self, username: str) -> int:
        found = self.session.execute(delete(SessionRow).where(SessionRow.username == username))
        return int(getattr(found, "rowcount", 0) or 0)


class ApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: StoredApiKey) -> None:
        self.session.add(
            ApiKeyRow(
                id=key.id,
                secret_hash=key.secret_hash,
                name=key.name,
                owner_kind=key.owner_kind,
                owner=key.owner,
                scopes=key.scopes,
                created_at=key.created_at,
                created_by=key.created_by,
            )
        )
        self.session.flush()

    def find(self, key_id: str) -> StoredApiKey | None:
        row = self.session.get(ApiKeyRow, key_id)
        return _key(row) if row else None

    def everyone(self) -> list[StoredApiKey]:
        rows = self.session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.created_at, ApiKeyRow.id))
        return [_key(row) for row in rows]

    def revoke(self, key_id: str, now: datetime) -> None:
        row = self.session.get(ApiKeyRow, key_id)
        if row is None:
            raise NotFound(f"no API key {key_id!r}", field="key_id")
        row.revoked_at = row.revoked_at or now

    def used(self, key_id: str, now: datetime) -> None:
        row = self.session.get(ApiKeyRow, key_id)
        if row is not None:
            row.last_used_at = now
