"""A state Blue Alert plan: triggers, required information, roles, duration, channels."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from pydantic import Field

from bluealert.domain.model import Model, ShortText, StateCode
from bluealert.domain.vocabulary import AlertKind, Claim, Role


class Requirement(StrEnum):
    """Information a plan requires before an alert may be issued."""

    SUSPECT_DESCRIPTION = "suspect_description"
    VEHICLE_DESCRIPTION = "vehicle_description"
    PLATE_OR_PARTIAL_PLATE = "plate_or_partial_plate"
    SUSPECT_OR_VEHICLE_DESCRIPTION = "suspect_or_vehicle_description"
    SUSPECT_PHOTO = "suspect_photo"
    LAST_KNOWN_LOCATION = "last_known_location"
    CONTACT = "contact"


class Channel(StrEnum):
    EAS = "eas"
    WEA = "wea"
    DMS = "dms"
    TELETYPE = "teletype"
    FEEDS = "feeds"
    EMAIL = "email"
    WEBHOOK = "webhook"
    MQTT = "mqtt"
    WEB_PUSH = "web_push"
    CAP_PUSH = "cap_push"


class NeighbourPolicy(StrEnum):
    NONE = "none"
    ADJACENT_STATES = "adjacent_states"
    STATES_IN_TRAVEL_ENVELOPE = "states_in_travel_envelope"


class StatePlan(Model):
    """A plan as a data file states it; validated on load."""

    state: StateCode | None = Field(
        default=None, description="The state it is issued under; None for the national model."
    )
    name: ShortText
    issuing_agency: ShortText
    legal_basis: ShortText
    triggers: list[AlertKind] = Field(min_length=1)
    requirements: list[Requirement] = []
    advisory: list[Requirement] = Field(
        default=[], description="Checked and shown, but not blocking."
    )
    required_claims: dict[AlertKind, list[Claim]] = {}
    requesting_roles: list[Role] = Field(min_length=1)
    activating_roles: list[Role] = Field(min_length=1)
    max_duration_hours: int = Field(gt=0, le=24 * 14)
    renewable: bool = True
    default_channels: list[Channel] = Field(min_length=1)
    neighbour_policy: NeighbourPolicy = NeighbourPolicy.ADJACENT_STATES

    @property
    def max_duration(self) -> timedelta:
        return timedelta(hours=self.max_duration_hours)

    def for_state(self, state: str) -> StatePlan:
        """The national model plan adopted as-is by a state with no variant of its own."""
        return self.model_copy(update={"state": state})
