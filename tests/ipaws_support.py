"""What the IPAWS tests share: a fictional COG, its key and certificate, and its profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bluealert.dispatch.ipaws.client import IpawsAccount
from bluealert.dispatch.ipaws.cog import CogProfile
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


def identity(folder: Path, name: str) -> Identity:
    """An RSA key and a self-signed certificate named like FEMA's (CN=IPAWSOPEN_<COG>)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Identity(key_file, cert_file)


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
