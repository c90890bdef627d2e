"""The 56 jurisdictions of 34 U.S.C. 50501: the 50 States, DC and 5 territories."""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.errors import UnknownJurisdiction


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    usps: str
    fips: str
    name: str
    time_zones: tuple[str, ...]
    territory: bool = False

    @property
    def time_zone(self) -> str:
        """The zone alerts of this jurisdiction are shown in (its most populous one)."""
        return self.time_zones[0]


def _j(usps: str, fips: str, name: str, *zones: str, territory: bool = False) -> Jurisdiction:
    return Jurisdiction(usps, fips, name, zones, territory)


_ALL = (
    _j("AL", "01", "Alabama", "America/Chicago"),
    _j("AK", "02", "Alaska", "America/Anchorage", "America/Adak"),
    _j("AZ", "04", "Arizona", "America/Phoenix", "America/Denver"),
    _j("AR", "05", "Arkansas", "America/Chicago"),
    _j("CA", "06", "California", "America/Los_Angeles"),
    _j("CO", "08", "Colorado", "America/Denver"),
    _j("CT", "09", "Connecticut", "America/New_York"),
    _j("DE", "10", "Delaware", "America/New_York"),
    _j("DC", "11", "District of Columbia", "America/New_York"),
    _j("FL", "12", "Florida", "America/New_York", "America/Chicago"),
    _j("GA", "13", "Georgia", "America/New_York"),
    _j("HI", "15", "Hawaii", "Pacific/Honolulu"),
    _j("ID", "16", "Idaho", "America/Boise", "America/Los_Angeles"),
    _j("IL", "17", "Illinois", "America/Chicago"),
    _j("IN", "18", "Indiana", "America/Indiana/Indianapolis", "America/Chicago"),
    _j("IA", "19", "Iowa", "America/Chicago"),
    _j("KS", "20", "Kansas", "America/Chicago", "America/Denver"),
    _j("KY", "21", "Kentucky", "America/New_York", "America/Chicago"),
    _j("LA", "22", "Louisiana", "America/Chicago"),
    _j("ME", "23", "Maine", "America/New_York"),
    _j("MD", "24", "Maryland", "America/New_York"),
    _j("MA", "25", "Massachusetts", "America/New_York"),
    _j("MI", "26", "Michigan", "America/Detroit", "America/Menominee"),
    _j("MN", "27", "Minnesota", "America/Chicago"),
    _j("MS", "28", "Mississippi", "America/Chicago"),
    _j("MO", "29", "Missouri", "America/Chicago"),
    _j("MT", "30", "Montana", "America/Denver"),
    _j("NE", "31", "Nebraska", "America/Chicago", "America/Denver"),
    _j("NV", "32", "Nevada", "America/Los_Angeles"),
    _j("NH", "33", "New Hampshire", "America/New_York"),
    _j("NJ", "34", "New Jersey", "America/New_York"),
    _j("NM", "35", "New Mexico", "America/Denver"),
    _j("NY", "36", "New York", "America/New_York"),
    _j("NC", "37", "North Carolina", "America/New_York"),
    _j("ND", "38", "North Dakota", "America/Chicago", "America/Denver"),
    _j("OH", "39", "Ohio", "America/New_York"),
    _j("OK", "40", "Oklahoma", "America/Chicago"),
    _j("OR", "41", "Oregon", "America/Los_Angeles", "America/Boise"),
    _j("PA", "42", "Pennsylvania", "America/New_York"),
    _j("RI", "44", "Rhode Island", "America/New_York"),
    _j("SC", "45", "South Carolina", "America/New_York"),
    _j("SD", "46", "South Dakota", "America/Chicago", "America/Denver"),
    _j("TN", "47", "Tennessee", "America/Chicago", "America/New_York"),
    _j("TX", "48", "Texas", "America/Chicago", "America/Denver"),
    _j("UT", "49", "Utah", "America/Denver"),
    _j("VT", "50", "Vermont", "America/New_York"),
    _j("VA", "51", "Virginia", "America/New_York"),
    _j("WA", "53", "Washington", "America/Los_Angeles"),
    _j("WV", "54", "West Virginia", "America/New_York"),
    _j("WI", "55", "Wisconsin", "America/Chicago"),
    _j("WY", "56", "Wyoming", "America/Denver"),
    _j("AS", "60", "American Samoa", "Pacific/Pago_Pago", territory=True),
    _j("GU", "66", "Guam", "Pacific/Guam", territory=True),
    _j("MP", "69", "Northern Mariana Islands", "Pacific/Saipan", territory=True),
    _j("PR", "72", "Puerto Rico", "America/Puerto_Rico", territory=True),
    _j("VI", "78", "U.S. Virgin Islands", "America/St_Thomas", territory=True),
)

JURISDICTIONS: dict[str, Jurisdiction] = {j.usps: j for j in _ALL}
BY_FIPS: dict[str, Jurisdiction] = {j.fips: j for j in _ALL}


def jurisdiction(code: str) -> Jurisdiction:
    """Look a jurisdiction up by USPS code ("TX") or FIPS code ("48")."""
    found = JURISDICTIONS.get(code.upper()) or BY_FIPS.get(code)
    if found is None:
        raise UnknownJurisdiction(f"{code!r} is not one of the 56 US states and territories")
    return found
