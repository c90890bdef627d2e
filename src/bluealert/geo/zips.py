"""ZIP code → county and coordinates (ZIP centroids from the `zipcodes` package, mapped to
county FIPS at build time by scripts/build_geo_data.py)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from bluealert.errors import InvalidInput, NotFound
from bluealert.geo.counties import County, county


@dataclass(frozen=True)
class ZipCode:
    zip: str
    county: County
    lat: float
    lon: float
    city: str


@cache
def _table() -> dict[str, list[Any]]:
    raw = (files("bluealert.geo") / "data" / "zips.json.gz").read_bytes()
    zips: dict[str, list[Any]] = json.loads(gzip.decompress(raw))["zips"]
    return zips


def zip_lookup(code: str) -> ZipCode:
    if not re.fullmatch(r"[0-9]{5}", code):  # \d would take other scripts' digits
        raise InvalidInput("a ZIP code is 5 digits", field="zip")
    row = _table().get(code)
    if row is None:
        raise NotFound(f"no ZIP code {code} in the shipped table", field="zip")
    fips, lat, lon, city = row
    return ZipCode(code, county(fips), lat, lon, city)
