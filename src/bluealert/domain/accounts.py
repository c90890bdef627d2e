"""Rules for signing in (pure: the clock and secrets come in as parameters).

Following the CJIS Security Policy (5.6 identification and authentication, 5.5.5 session
lock) and OWASP ASVS level 2 (V2 authentication, V3 session management).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role

# CJIS 5.6.2.2 "advanced authentication" for those who activate alerts or run the network.
SECOND_FACTOR_ROLES = frozenset({Role.STATE_COORDINATOR, Role.NATIONAL_COORDINATOR, Role.ADMIN})

MIN_PASSWORD = 12  # ASVS 2.1.1: at least 12 characters
MAX_PASSWORD = 128  # ASVS 2.1.2: at least 64 allowed; longer is refused, not cut
FAILURES_BEFORE_LOCK = 5  # CJIS 5.5.3: no more than 5 consecutive invalid attempts
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
IDLE_LIMIT = timedelta(minutes=30)  # CJIS 5.5.5: session lock after at most 30 minutes idle
SESSION_LIFETIME = timedelta(hours=12)  # a shift, then sign in again

# A few of the passwords that breach corpora list first (ASVS 2.1.7 asks for such a check).
COMMON_PASSWORDS = frozenset(
    {
        "123456789012",
        "password1234",
        "passwordpassword",
        "qwertyuiopas",
        "111111111111",
        "iloveyou1234",
        "bluealert123",
        "changeme1234",
        "administrator",
        "letmein12345",
    }
)


class ApiScope(StrEnum):
    """What an API key may do: read (GET), or also change things."""

    READ = "read"
    WRITE = "write"


def needs_second_factor(user: User) -> bool:
    return bool(user.roles & SECOND_FACTOR_ROLES)


def password_problem(password: str, username: str) -> str | None:
    """Why a password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"a password has at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password has at most {MAX_PASSWORD} characters"
    if username.lower() in password.lower():
        return "a password does not contain the username"
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return "that password is too common or too repetitive"
    return None


def lock_duration(lockouts_before: int) -> timedelta:
    """Each lockout lasts twice the one before it, from one minute up to an hour."""
    doubled: timedelta = FIRST_LOCK * (2 ** min(lockouts_before, 12))
    return min(doubled, LONGEST_LOCK)


@dataclass(frozen=True)
class LoginRecord:
    """An account's failed-login state."""

    failures: int = 0
    lockouts: int = 0
    locked_until: datetime | None = None

    def locked_at(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime) -> LoginRecord:
        """One more failure; the fifth in a row locks the account, longer each time."""
        failures = self.failures + 1
        if failures < FAILURES_BEFORE_LOCK:
            return LoginRecord(failures, self.lockouts, self.locked_until)
        return LoginRecord(0, self.lockouts + 1, now + lock_duration(self.lockouts))

    def after_success(self) -> LoginRecord:
        return LoginRecord()


def session_expired(
    created_at: datetime, last_seen_at: datetime, now: datetime, idle: timedelta = IDLE_LIMIT
) -> bool:
    return now - last_seen_at >= idle or now - created_at >= SESSION_LIFETIME
