"""Who is asking: a person with a session cookie, or a machine with an API key."""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.app.accounts import ActiveSession
from bluealert.domain.accounts import ApiScope
from bluealert.domain.people import User
from bluealert.store.accounts import StoredApiKey

PARTNER = "partner"  # the role of a partner's API key (partners are not people)


@dataclass(frozen=True)
class Principal:
    name: str  # who the audit log names: a username, or partner:NAME
    roles: frozenset[str]
    agency_ori: str | None = None
    states: frozenset[str] = frozenset()
    user: User | None = None
    partner_tier: str | None = None
    session: ActiveSession | None = None
    key: StoredApiKey | None = None

    @classmethod
    def of_user(
        cls, user: User, *, session: ActiveSession | None = None, key: StoredApiKey | None = None
    ) -> Principal:
        return cls(
            user.username,
            frozenset(r.value for r in user.roles),
            user.agency_ori,
            frozenset(user.states),
            user,
            session=session,
            key=key,
        )

    @classmethod
    def of_partner(cls, name: str, tier: str, key: StoredApiKey) -> Principal:
        return cls(f"partner:{name}", frozenset({PARTNER}), partner_tier=tier, key=key)

    def may_write(self) -> bool:
        return self.key is None or ApiScope.WRITE.value in self.key.scopes

    @property
    def username(self) -> str:
        """The acting person (routes that act on alerts are open to people only)."""
        assert self.user is not None, "a route for people let a partner through"
        return self.user.username
