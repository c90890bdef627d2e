"""People who act on alerts, with their roles and the agency or states they may act for."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bluealert.domain.model import ORI, Model, ShortText, StateCode
from bluealert.domain.vocabulary import Role

COORDINATOR_ROLES = frozenset({Role.STATE_COORDINATOR, Role.NATIONAL_COORDINATOR})
AGENCY_ROLES = frozenset({Role.ORIGINATOR, Role.SUPERVISOR})


class User(Model):
    username: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{1,63}$")]
    display_name: ShortText
    roles: frozenset[Role] = Field(min_length=1)
    agency_ori: ORI | None = None
    states: frozenset[StateCode] = frozenset()

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
