"""Signing in: passwords (argon2id), the TOTP second factor, lockout, sessions, API keys.

Every sign-in, failure, lockout, key use and refusal is an audit event.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.app.users import add_user
from bluealert.domain.accounts import (
    ApiScope,
    LoginRecord,
    needs_second_factor,
    password_problem,
    session_expired,
)
from bluealert.domain.people import User
from bluealert.errors import (
    AccountLocked,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from bluealert.store.accounts import (
    ApiKeyRepository,
    CredentialRepository,
    SessionRepository,
    StoredApiKey,
    StoredSession,
)

ISSUER = "bluealert"
WRONG = "wrong username, password or code"
TOUCH_EVERY = timedelta(seconds=60)  # a session's last_seen_at is written at most once a minute


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _hasher(ctx: AppContext) -> PasswordHasher:
    settings = ctx.settings
    return PasswordHasher(
        time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
    )


@dataclass(frozen=True)
class TotpEnrolment:
    """A new TOTP secret, shown once: as text, as an otpauth:// URI and as a QR code (SVG)."""

    secret: str
    uri: str
    qr_svg: str


def _enrolment(username: str, secret: str) -> TotpEnrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    return TotpEnrolment(secret, uri, segno.make(uri, error="m").svg_data_uri(scale=4))


def _audit(tx: Transaction, action: str, actor: str, subject: str, **data: object) -> None:
    tx.audit(
        action, actor=actor, subject_type="account", subject_id=subject, now=tx.ctx.clock(), **data
    )


def set_password(
    ctx: AppContext, *, actor: str, username: str, password: str
) -> TotpEnrolment | None:
    """Set a password; for a role that needs a second factor and has none yet, a TOTP secret
    too (returned to be shown once). Every session of the person ends."""
    problem = password_problem(password, username)
    if problem:
        raise InvalidInput(problem, field="password")
    hashed = _hasher(ctx).hash(password)
    with transaction(ctx) as tx:
        user = tx.users.get(username)
        credentials = CredentialRepository(tx.session)
        had_totp = (found := credentials.find(username)) is not None and bool(found.totp_secret)
        credentials.set_password(username, hashed, ctx.clock())
        enrolment = None
        if needs_second_factor(user) and not had_totp:
            enrolment = _enrolment(username, pyotp.random_base32())
            credentials.set_totp(username, enrolment.secret, confirmed=True)
        SessionRepository(tx.session).remove_all(username)
        _audit(tx, "account.password_set", actor, username, totp_enrolled=enrolment is not None)
    return enrolment


def add_person(
    ctx: AppContext, *, actor: str | None, user: User, password: str
) -> TotpEnrolment | None:
    """Add a person who signs in with `password` (checked before anything is stored).

    `actor` is the admin adding them; None only for the first admin of an empty store."""
    problem = password_problem(password, user.username)
    if problem:
        raise InvalidInput(problem, field="password")
    add_user(ctx, actor=actor, user=user)
    return set_password(
        ctx, actor=actor or user.username, username=user.username, password=password
    )


def change_password(ctx: AppContext, *, username: str, current: str, new: str) -> None:
    """A person's own change: the current password first. Every session ends."""
    with transaction(ctx) as tx:
        found = CredentialRepository(tx.session).find(username)
    if found is None or not _password_matches(ctx, found.password_hash, current):
        raise NotAuthenticated("the current password is wrong")
    set_password(ctx, actor=username, username=username, password=new)


def start_totp_enrolment(ctx: AppContext, *, username: str) -> TotpEnrolment:
    """A new secret for the person's authenticator; it replaces the old one once confirmed."""
    enrolment = _enrolment(username, pyotp.random_base32())
    with transaction(ctx) as tx:
        CredentialRepository(tx.session).set_totp(username, enrolment.secret, confirmed=False)
        _audit(tx, "account.totp_enrolment_started", username, username)
    return enrolment


def _step_of(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step a code is valid for (one step of clock drift either way), or None.
    A code already used is refused (RFC 6238 5.2; ASVS 2.8.4)."""
    totp = pyotp.TOTP(secret)
    if not (code.isdigit() and len(code) == totp.digits):
        return None
    now_step = totp.timecode(now)
    for step in (now_step, now_step - 1, now_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


def confirm_totp(ctx: AppContext, *, username: str, code: str) -> None:
    with transaction(ctx) as tx:
        credentials = CredentialRepository(tx.session)
        found = credentials.find(username, for_update=True)
        if found is None or not found.totp_secret:
            raise NotFound("start an enrolment first", field="code")
        step = _step_of(found.totp_secret, code, ctx.clock(), found.totp_last_step)
        if step is None:
            raise InvalidInput("the code does not match the new secret", field="code")
        credentials.confirm_totp(username, step)
        _audit(tx, "account.totp_confirmed", username, username)


@dataclass(frozen=True)
class NewSession:
    """What a sign-in gives: the cookie's token and the CSRF token, each shown once."""

    user: User
    token: str
    csrf_token: str


def _refuse(ctx: AppContext, username: str, reason: str, client: str) -> None:
    """Count a failure (five in a row lock the account, longer each time) and audit it."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        credentials = CredentialRepository(tx.session)
        found = credentials.find(username, for_update=True)
        _audit(tx, "account.login_failed", username, username, reason=reason, client=client)
        if found is None:
            return
        record = found.record.after_failure(now)
        credentials.save_record(username, record)
        if record.locked_at(now) and not found.record.locked_at(now):
            until = record.locked_until.isoformat() if record.locked_until else None
            _audit(tx, "account.locked", "system", username, until=until, lockouts=record.lockouts)


def _locked_for(record: LoginRecord, now: datetime) -> int:
    assert record.locked_until is not None
    return max(1, ceil((record.locked_until - now).total_seconds()))


def log_in(ctx: AppContext, *, username: str, password: str, code: str, client: str) -> NewSession:
    """Check password and (for coordinators and admins) the TOTP code; open a session."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        found = CredentialRepository(tx.session).find(username)
        user = tx.users.get(username) if found else None
    if found is not None and found.record.locked_at(now):
        _refuse(ctx, username, "locked", client)
        raise AccountLocked(
            "the account is locked after repeated failed sign-ins; try again later",
            retry_after=_locked_for(found.record, now),
        )
    if not _password_matches(ctx, found.password_hash if found else None, password):
        _refuse(ctx, username, "password", client)
        raise NotAuthenticated(WRONG)
    assert found is not None
    assert user is not None
    step = None
    if needs_second_factor(user):
        if not found.totp_secret:
            _refuse(ctx, username, "no second factor enrolled", client)
            raise NotAuthenticated(
                "a second factor is required and none is enrolled: an admin sets one with "
                "`bluealert users password USER --password-stdin`"
            )
        step = _step_of(found.totp_secret, code, now, found.totp_last_step)
        if step is None:
            _refuse(ctx, username, "code", client)
            raise NotAuthenticated(WRONG)
    return _open_session(ctx, user, step, client)


def _password_matches(ctx: AppContext, password_hash: str | None, password: str) -> bool:
    """Verify; for an unknown username hash anyway, so that refusing it takes as long as
    refusing a known one (no telling who has an account)."""
    if password_hash is None:
        _hasher(ctx).hash(password)
        return False
    try:
        return _hasher(ctx).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _open_session(ctx: AppContext, user: User, step: int | None, client: str) -> NewSession:
    now = ctx.clock()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with transaction(ctx) as tx:
        credentials = CredentialRepository(tx.session)
        credentials.save_record(user.username, LoginRecord())
        if step is not None:
            credentials.used_totp_step(user.username, step)
        SessionRepository(tx.session).add(
            StoredSession(digest(token), user.username, digest(csrf), now, now)
        )
        _audit(tx, "account.login", user.username, user.username, client=client)
    return NewSession(user, token, csrf)


@dataclass(frozen=True)
class ActiveSession:
    user: User
    token_hash: str
    csrf_hash: str

    def csrf_matches(self, presented: str) -> bool:
        return hmac.compare_digest(self.csrf_hash, digest(presented))


def active_session(ctx: AppContext, token: str) -> ActiveSession:
    """The session of a cookie's token, kept alive; NotAuthenticated if unknown or idle too
    long (an expired session is removed and audited)."""
    now, token_hash = ctx.clock(), digest(token)
    idle = timedelta(minutes=ctx.settings.session_idle_minutes)
    with transaction(ctx) as tx:
        sessions = SessionRepository(tx.session)
        found = sessions.find(token_hash)
        if found is None:
            raise NotAuthenticated("the session has ended: sign in again")
        if session_expired(found.created_at, found.last_seen_at, now, idle):
            sessions.remove(token_hash)
            _audit(tx, "account.session_expired", "system", found.username)
        elif now - found.last_seen_at >= TOUCH_EVERY:
            sessions.touch(token_hash, now)
        user = tx.users.get(found.username)
    if session_expired(found.created_at, found.last_seen_at, now, idle):
        raise NotAuthenticated("the session ended after 30 minutes idle: sign in again")
    return ActiveSession(user, token_hash, found.csrf_hash)


def log_out(ctx: AppContext, session: ActiveSession) -> None:
    with transaction(ctx) as tx:
        SessionRepository(tx.session).remove(session.token_hash)
        _audit(tx, "account.logout", session.user.username, session.user.username)


def log_out_everywhere(ctx: AppContext, *, actor: str, username: str) -> int:
    """End every session of `username`; how many there were."""
    with transaction(ctx) as tx:
        ended = SessionRepository(tx.session).remove_all(username)
        _audit(tx, "account.logout_everywhere", actor, username, sessions=ended)
    return ended


def unlock_account(ctx: AppContext, *, actor: str, username: str) -> None:
    with transaction(ctx) as tx:
        CredentialRepository(tx.session).save_record(username, LoginRecord())
        _audit(tx, "account.unlocked", actor, username)


def record_refusal(ctx: AppContext, *, actor: str, method: str, route: str, why: str) -> None:
    """A permission refusal, for the audit log."""
    with transaction(ctx) as tx:
        tx.audit(
            "access.refused",
            actor=actor,
            subject_type="route",
            subject_id=f"{method} {route}"[:64],
            now=ctx.clock(),
            why=why,
        )


KEY_PREFIX = "bak"


@dataclass(frozen=True)
class NewApiKey:
    key: StoredApiKey
    secret: str  # the whole key, shown once


def create_api_key(
    ctx: AppContext,
    *,
    actor: str,
    name: str,
    owner_kind: str,
    owner: str,
    scopes: list[ApiScope],
) -> NewApiKey:
    """A key for a person's system or a partner, shown once and kept only as a hash."""
    if owner_kind not in ("user", "partner"):
        raise InvalidInput("a key belongs to a user or a partner", field="owner_kind")
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    stored = StoredApiKey(
        key_id,
        digest(secret),
        name,
        owner_kind,
        owner,
        sorted(s.value for s in scopes),
        ctx.clock(),
        actor,
        None,
        None,
    )
    with transaction(ctx) as tx:
        if owner_kind == "user":
            tx.users.get(owner)
        ApiKeyRepository(tx.session).add(stored)
        tx.audit(
            "api_key.created",
            actor=actor,
            subject_type="api_key",
            subject_id=key_id,
            now=stored.created_at,
            owner=f"{owner_kind}:{owner}",
            scopes=stored.scopes,
        )
    return NewApiKey(stored, f"{KEY_PREFIX}_{key_id}_{secret}")


def revoke_api_key(ctx: AppContext, *, actor: str, key_id: str) -> StoredApiKey:
    now = ctx.clock()
    with transaction(ctx) as tx:
        keys = ApiKeyRepository(tx.session)
        keys.revoke(key_id, now)
        tx.audit("api_key.revoked", actor=actor, subject_type="api_key", subject_id=key_id, now=now)
        found = keys.find(key_id)
    assert found is not None
    return found


def list_api_keys(ctx: AppContext) -> list[StoredApiKey]:
    with transaction(ctx) as tx:
        return ApiKeyRepository(tx.session).everyone()


def use_api_key(ctx: AppContext, presented: str, *, route: str) -> StoredApiKey:
    """The key a request presents, its use recorded and audited; NotAuthenticated if it is
    unknown, wrong or revoked."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise NotAuthenticated("not an API key this node gave out")
    key_id, secret = parts[1], parts[2]
    now = ctx.clock()
    with transaction(ctx) as tx:
        keys = ApiKeyRepository(tx.session)
        found = keys.find(key_id)
        good = found is not None and hmac.compare_digest(found.secret_hash, digest(secret))
        if found is None or not good or found.revoked_at is not None:
            why = "revoked" if found is not None and good else "unknown"
            tx.audit(
                "api_key.refused",
                actor=f"key:{key_id}"[:64],
                subject_type="api_key",
                subject_id=key_id[:64],
                now=now,
                why=why,
                route=route,
            )
        else:
            keys.used(key_id, now)
            tx.audit(
                "api_key.used",
                actor=f"{found.owner_kind}:{found.owner}"[:64],
                subject_type="api_key",
                subject_id=key_id,
                now=now,
                route=route,
            )
    if found is None or not good or found.revoked_at is not None:
        raise NotAuthenticated("the API key is unknown or revoked")
    return found
