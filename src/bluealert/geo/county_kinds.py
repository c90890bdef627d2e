"""What each county-equivalent is called: County, Parish, Borough, city, Municipio, …

The shipped boundaries carry bare names ("Baltimore", "Richmond"), and a bare name can mean two
places: Baltimore city (24510) is not Baltimore County (24005), and Virginia has a Fairfax
city beside Fairfax County. The Census Bureau's legal/statistical area descriptions tell them
apart; this is that table for the county-equivalents in the shipped data.
"""

from __future__ import annotations

COUNTY = "County"
CITY = "city"
BARE = ""  # the name says it all: "District of Columbia", "Guam", "Carson City"

BY_STATE = {
    "LA": "Parish",
    "PR": "Municipio",
    "VI": "Island",
    "AS": "District",
    "MP": "Municipality",
    "GU": BARE,
    "DC": BARE,
}

ALASKA = {
    "Borough": "02013 02060 02068 02090 02100 02122 02130 02150 02164 02170 02185 02188 02195",
    "Census Area": "02016 02050 02070 02105 02158 02180 02198 02240 02261 02290",
    "City and Borough": "02110 02220 02275 02282",
    "Municipality": "02020 02230",
}
BY_FIPS = {fips: kind for kind, codes in ALASKA.items() for fips in codes.split()}
BY_FIPS |= {"24510": CITY, "29510": CITY, "32510": BARE}

PLURALS = {
    COUNTY: "counties",
    "Parish": "parishes",
    "Borough": "boroughs",
    "Census Area": "census areas",
    "City and Borough": "cities and boroughs",
    "Municipality": "municipalities",
    "Municipio": "municipios",
    "Island": "islands",
    "District": "districts",
    CITY: "cities",
}


def county_kind(fips: str, state: str) -> str:
    """The Census description of the county-equivalent `fips` in `state` (USPS)."""
    if fips in BY_FIPS:
        return BY_FIPS[fips]
    if state == "VA" and int(fips[2:]) >= 510:  # Virginia's independent cities are 510 and up
        return CITY
    return BY_STATE.get(state, COUNTY)


def full_name(name: str, kind: str) -> str:
    """'Dallas County', 'Orleans Parish', 'Richmond city', 'Guam'."""
    return f"{name} {kind}" if kind else name
