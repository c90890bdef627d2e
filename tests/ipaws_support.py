"""What the IPAWS tests share: a fictional COG, its key and certificate, and its profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bluealert.dispatch.ipaws.client import IpawsAccount
from bluealert.dispatch.ipaws.cog import CogProfile
from bluealert.dispatch.ipaws.identities import stand_in_identity
from bluealert.dispatch.ipaws.standin import CogAccount

COG_ID = 120999  # fictional; real COG ids are issued by FEMA
USER = "tx-ops"
# Fixed validity, never read from the clock (as tests/integration/formats/conftest.py does).
NOT_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Identity:
    key_file: Path
    cert_file: Path

    @property
    def pem(self) -> bytes:
        return self.cert_file.read_bytes()


def identity(folder: Path, cog: int | str) -> Identity:
    """An RSA key and a self-signed certificate named like FEMA's (CN=IPAWSOPEN_<cog>)."""
    return Identity(*stand_in_identity(folder, cog, NOT_BEFORE, NOT_AFTER))


def texas_profile(**changes: Any) -> CogProfile:
    """May send BLU and LAE to all of Texas, on every channel."""
    profile = CogProfile(
        COG_ID,
        "Texas DPS (fictional)",
        event_codes=frozenset({"BLU", "LAE"}),
        geo_codes=frozenset({"048000"}),
    )
    return replace(profile, **changes)


def cog_account(cog: Identity, **changes: Any) -> CogAccount:
    return CogAccount(texas_profile(**changes), USER, cog.pem)


def account(url: str, cog: Identity, **changes: Any) -> IpawsAccount:
    values: dict[str, Any] = {
        "url": url,
        "cog_id": COG_ID,
        "user": USER,
        "key_file": cog.key_file,
        "cert_file": cog.cert_file,
        "timeout_seconds": 10.0,
    }
    return IpawsAccount(**(values | changes))
