"""Pydantic base model and field types shared by the domain's value objects."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, StringConstraints

from bluealert.domain.jurisdictions import JURISDICTIONS

ORI_PATTERN = re.compile(r"^[A-Z]{2}[A-Z0-9]{7}$")


class Model(BaseModel):
    """Frozen, strict about unknown fields, whitespace-trimmed."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def check_ori(value: str) -> str:
    value = value.upper()
    if not ORI_PATTERN.match(value):
        raise ValueError("an ORI is 9 characters: 2 letters of the state, then 7 letters or digits")
    if value[:2] not in JURISDICTIONS:
        raise ValueError(f"an ORI starts with a state code; {value[:2]!r} is not one")
    return value


def check_state(value: str) -> str:
    value = value.upper()
    if value not in JURISDICTIONS:
        raise ValueError(f"{value!r} is not a USPS code of the 56 states and territories")
    return value


def check_fips_county(value: str) -> str:
    if not re.fullmatch(r"\d{5}", value):
        raise ValueError("a county is its 5-digit FIPS code, e.g. 48113")
    return value


UtcDatetime = Annotated[AwareDatetime, AfterValidator(to_utc)]
ORI = Annotated[str, AfterValidator(check_ori)]
StateCode = Annotated[str, AfterValidator(check_state)]
CountyFips = Annotated[str, AfterValidator(check_fips_county)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]
