"""An alert's content: what an alert file holds, and what one version carries."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self

from pydantic import BeforeValidator, Field, field_validator, model_validator

from bluealert.domain.model import (
    ORI,
    CountyFips,
    LongText,
    Model,
    ShortText,
    StateCode,
    UtcDatetime,
)
from bluealert.domain.vocabulary import AlertKind, OfficerStatus, Status

Sex = Literal["male", "female", "unknown"]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]


class Place(Model):
    description: ShortText
    lat: Latitude | None = None
    lon: Longitude | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self


class Incident(Model):
    occurred_at: UtcDatetime
    location: Place
    narrative: LongText = ""


class Agency(Model):
    ori: ORI
    name: ShortText


class Officer(Model):
    """An officer involved. The name stays out of public outputs until identity_released."""

    agency: Agency
    status: OfficerStatus
    name: ShortText | None = None
    rank: ShortText | None = None
    sex: Sex = Field(default="unknown", description="Spanish texts agree with it: 'Agente herida'.")
    identity_released: bool = False


def _parse_range(value: object) -> object:
    """Accept 30, "30", "25-30" or {"low": 25, "high": 30}."""
    if isinstance(value, int) and not isinstance(value, bool):
        return {"low": value, "high": value}
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-|to)\s*(\d+)\s*|\s*(\d+)\s*", value)
        if not match:
            raise ValueError("write a number or a range such as 25-30")
        low, high, single = match.groups()
        return {"low": int(single or low), "high": int(single or high)}
    return value


class Range(Model):
    low: int = Field(ge=0)
    high: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.low > self.high:
            raise ValueError("the low end of a range must not exceed the high end")
        return self

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


RangeField = Annotated[Range, BeforeValidator(_parse_range)]
ImageType = Literal["image/jpeg", "image/png", "image/webp"]


class PhotoRef(Model):
    """A stored photo, addressed by the SHA-256 of its (metadata-stripped) content."""

    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    sha1: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = Field(
        default=None, description="The digest CAP 1.2 <resource> carries."
    )
    media_type: ImageType
    size: int = Field(gt=0)
    caption: ShortText | None = None


class SuspectSpanish(Model):
    """Spanish versions of a suspect's free text (what the glossary cannot translate)."""

    clothing: ShortText | None = None


class Suspect(Model):
    name: ShortText | None = None
    aliases: list[ShortText] = []
    sex: Sex = "unknown"
    race: ShortText | None = None
    age: RangeField | None = None
    height_in: RangeField | None = None
    weight_lb: RangeField | None = None
    hair: ShortText | None = None
    eyes: ShortText | None = None
    clothing: ShortText | None = None
    marks: ShortText | None = None
    weapon: ShortText | None = None
    armed_and_dangerous: bool = False
    photos: list[PhotoRef] = []
    es: SuspectSpanish = SuspectSpanish()


class Plate(Model):
    """A licence plate; '?' marks one unknown character, a trailing '*' any more."""

    state: StateCode | None = None
    number: Annotated[str, Field(pattern=r"^[A-Z0-9?]{1,8}\*?$")]
    registered_to_vehicle: bool | None = None

    @field_validator("number")
    @classmethod
    def _something_known(cls, number: str) -> str:
        if not any(ch.isalnum() for ch in number):
            raise ValueError(
                "a plate needs at least one known letter or digit ('?' and '*' stand for unknown "
                "ones); leave the plate out when none is known"
            )
        return number

    @property
    def is_partial(self) -> bool:
        return "?" in self.number or self.number.endswith("*")


class Sighting(Model):
    place: Place
    at: UtcDatetime


class Vehicle(Model):
    year: int | None = Field(default=None, ge=1900, le=2100)
    make: ShortText | None = None
    model: ShortText | None = None
    color: ShortText | None = None
    body_style: ShortText | None = None
    damage: ShortText | None = None
    plate: Plate | None = None
    direction_of_travel: ShortText | None = None
    last_seen: Sighting | None = None


MIN_RADIUS_KM = 0.1  # about the finest WEA can target (0.1 mile of overshoot, 47 CFR 10.450)


class Circle(Model):
    lat: Latitude
    lon: Longitude
    radius_km: float = Field(ge=MIN_RADIUS_KM, le=2000)


class AreaRequest(Model):
    """The requested area: a union of counties, whole states, polygons and circles."""

    counties: list[CountyFips] = []
    states: list[StateCode] = []
    polygons: list[list[tuple[Latitude, Longitude]]] = []
    circles: list[Circle] = []
    description: ShortText | None = None

    @model_validator(mode="before")
    @classmethod
    def _not_swapped(cls, data: Any) -> Any:
        """A 'latitude' beyond ±90 with a plausible longitude is lon,lat written the wrong way."""
        shapes = data.get("polygons") if isinstance(data, dict) else None
        for i, ring in enumerate(shapes if isinstance(shapes, list) else []):
            pairs = [p for p in ring if isinstance(p, list | tuple) and len(p) == 2]
            if any(isinstance(a, int | float) and abs(a) > 90 and abs(b) <= 90 for a, b in pairs):
                raise ValueError(
                    f"polygons.{i}: the points look like lon,lat; write each as lat,lon"
                )
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not (self.counties or self.states or self.polygons or self.circles):
            raise ValueError("name at least one county, state, polygon or circle")
        return self


class PublicText(Model):
    headline: Annotated[str, Field(max_length=160)] | None = None
    description: LongText | None = None
    instruction: LongText | None = None


class PublicTexts(Model):
    """Hand-written public texts; what is left out is composed from the structured facts."""

    en: PublicText = PublicText()
    es: PublicText = PublicText()


class SpanishTexts(Model):
    """Spanish versions of the alert's free-text fields. Where one is missing the Spanish
    texts say the standard Spanish instruction for the kind, the contact's phone numbers, or
    nothing — never the English sentence."""

    instructions: LongText | None = None
    contact: ShortText | None = None
    narrative: LongText | None = None


class AlertContent(Model):
    """Everything one version of an alert says. This is the alert file's schema."""

    kind: AlertKind
    status: Status = Status.ACTUAL
    plan: StateCode
    requesting_agency: Agency
    incident: Incident
    officers: list[Officer] = Field(min_length=1)
    suspects: list[Suspect] = []
    vehicles: list[Vehicle] = []
    instructions: LongText = "Do not approach. Call 911."
    contact: ShortText
    area: AreaRequest
    public_text: PublicTexts = PublicTexts()
    es: SpanishTexts = SpanishTexts()
    law_enforcement_notes: LongText = ""
    expires_at: UtcDatetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_attestations(cls, data: Any) -> Any:
        """Attestations are given by a person allowed to give them, never written in a file."""
        if isinstance(data, dict) and "attestations" in data:
            raise ValueError(
                "attestations: an alert file may not carry attestations; a supervisor of the "
                "requesting agency attests when submitting (alert submit --attest CLAIM)"
            )
        return data

    @property
    def armed_and_dangerous(self) -> bool:
        return any(s.armed_and_dangerous for s in self.suspects)
