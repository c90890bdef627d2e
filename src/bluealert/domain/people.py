"""People who act on alerts, with their roles and the agency or states they may act for."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bluealert.domain.model import ORI, Model, ShortText, StateCode
from bluealert.domain.vocabulary import Role
from bluealert.errors import NotAllowed

# An address to send notices to (a new tip about an alert): name@domain, nothing around it.
EmailAddress = Annotated[
    str, Field(max_length=254, pattern=r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
]
COORDINATOR_ROLES = frozenset({Role.STATE_COORDINATOR, Role.NATIONAL_COORDINATOR})
AGENCY_ROLES = frozenset({Role.ORIGINATOR, Role.SUPERVISOR})


class User(Model):
    username: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    display_name: ShortText
    roles: frozenset[Role] = Field(min_length=1)
    agency_ori: ORI | None = None
    states: frozenset[StateCode] = frozenset()
    email: EmailAddress | None = None  # where law-enforcement notices reach them, if anywhere

    @model_validator(mode="after")
    def _scoped(self) -> User:
        """Each role has the scope it needs, and no scope is given that no role uses."""
        if self.roles & AGENCY_ROLES and self.agency_ori is None:
            raise ValueError("agency_ori: originators and supervisors belong to an agency")
        if Role.STATE_COORDINATOR in self.roles and not self.states:
            raise ValueError("states: a state coordinator coordinates at least one state")
        if self.states and Role.STATE_COORDINATOR not in self.roles:
            raise ValueError(
                "states: only state coordinators are scoped to states "
                "(a national coordinator covers every state)"
            )
        if self.agency_ori is not None and not self.roles & AGENCY_ROLES:
            raise ValueError("agency_ori: only originators and supervisors act for an agency")
        return self

    def has(self, role: Role) -> bool:
        return role in self.roles

    def acts_for_agency(self, ori: str) -> bool:
        return self.agency_ori == ori

    def coordinates(self, state: str) -> bool:
        """Whether this person holds the coordinator role for `state`."""
        if Role.NATIONAL_COORDINATOR in self.roles:
            return True
        return Role.STATE_COORDINATOR in self.roles and state in self.states


class UserChange(Model):
    """A change to a person: each field given replaces the old value.

    A scope the new roles have no use for is dropped (an agency when no agency role is left,
    states when the state coordinator role is gone); one they still use is kept.
    """

    display_name: ShortText | None = None
    roles: frozenset[Role] | None = Field(default=None, min_length=1)
    agency_ori: ORI | None = None
    states: frozenset[StateCode] | None = None
    email: EmailAddress | None = None


def changed(user: User, change: UserChange) -> User:
    """The person after `change`; validated like a new one (ValidationError names the field)."""
    roles = change.roles or user.roles
    agency = change.agency_ori or (user.agency_ori if roles & AGENCY_ROLES else None)
    kept_states = user.states if Role.STATE_COORDINATOR in roles else frozenset()
    return User(
        username=user.username,
        display_name=change.display_name or user.display_name,
        roles=roles,
        agency_ori=agency,
        states=change.states if change.states is not None else kept_states,
        email=change.email or user.email,
    )


def require_admin(actor: User) -> None:
    """Adding, changing and removing people takes the admin role."""
    if not actor.has(Role.ADMIN):
        raise NotAllowed(
            f"{actor.username} is not an admin: adding, changing and removing people takes the "
            "admin role",
            field="actor",
        )
