"""A subscription: who wants alerts, by which channel, for which place."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from bluealert.domain.content import Latitude, Longitude
from bluealert.domain.model import Model
from bluealert.domain.partner import address_problem

PlaceKind = Literal["county", "zip", "state", "point", "polygon"]
SubscriptionChannel = Literal["email", "webhook", "mqtt", "web_push", "cap_push"]


class Subscription(Model):
    channel: SubscriptionChannel
    address: Annotated[str, Field(min_length=1, max_length=500)]
    place_kind: PlaceKind
    place: Annotated[str, Field(max_length=100)] = Field(
        default="", description="The county FIPS, ZIP code or state code (empty for shapes)."
    )
    lat: Latitude | None = None
    lon: Longitude | None = None
    radius_km: float | None = Field(default=None, ge=0, le=500)
    polygon: list[tuple[Latitude, Longitude]] | None = None
    language: Literal["en", "es"] = "en"

    @model_validator(mode="after")
    def _place_fits_its_kind(self) -> Self:
        if self.place_kind in ("county", "zip", "state") and not self.place:
            raise ValueError(f"a {self.place_kind} subscription names its {self.place_kind}")
        if self.place_kind == "point" and (self.lat is None or self.lon is None):
            raise ValueError("a point subscription gives lat and lon (and a radius in km)")
        if self.place_kind == "polygon" and not self.polygon:
            raise ValueError("a polygon subscription gives its points")
        problem = address_problem(self.channel, self.address)
        if problem:
            raise ValueError(f"address: {problem}")
        return self
