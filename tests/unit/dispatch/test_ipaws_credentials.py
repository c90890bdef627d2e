"""The COG's key and certificate files: each rule they can break is refused by the setting's
name and the rule, before anything is signed; a good pair signs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bluealert.dispatch.ipaws.credentials import load_signer
from bluealert.dispatch.ipaws.identities import stand_in_identity
from bluealert.errors import InvalidInput
from bluealert.formats.cap.signature import TrustStore, verify_cap
from tests.ipaws_support import COG_ID, NOT_BEFORE, Identity, identity

NOT_PEM = b"keytool output: this is a Java keystore, not a PEM file\n"


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Identity:
    return identity(tmp_path_factory.mktemp("cog"), COG_ID)


def _encrypted(pair: Identity, path: Path) -> None:
    key = serialization.load_pem_private_key(pair.key_file.read_bytes(), password=None)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"fema"),
        )
    )


def _ec_key(pair: Identity, path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def _another_certificate(pair: Identity, path: Path) -> None:
    other = identity(path.parent / "other", COG_ID)
    path.write_bytes(other.cert_file.read_bytes())


# (which file is replaced, how, the setting named, the rule's words)
CASES: list[tuple[str, Callable[[Identity, Path], None], str, str]] = [
    ("key", lambda _, p: p.write_bytes(NOT_PEM), "BLUEALERT_IPAWS_KEY", "is not a PEM private key"),
    ("key", lambda pair, p: p.write_bytes(pair.cert_file.read_bytes()), "BLUEALERT_IPAWS_KEY",
     "is not a PEM private key"),  # the certificate named where the key belongs
    ("key", _encrypted, "BLUEALERT_IPAWS_KEY", "is encrypted"),
    ("key", _ec_key, "BLUEALERT_IPAWS_KEY", "IPAWS signatures are RSA-SHA256"),
    ("key", lambda _, p: p.unlink(), "BLUEALERT_IPAWS_KEY", "cannot read"),
    ("cert", lambda _, p: p.write_bytes(NOT_PEM), "BLUEALERT_IPAWS_CERT",
     "is not a PEM certificate"),
    ("cert", lambda pair, p: p.write_bytes(pair.key_file.read_bytes()), "BLUEALERT_IPAWS_CERT",
     "is not a PEM certificate"),
    ("cert", _another_certificate, "BLUEALERT_IPAWS_CERT", "does not certify the key in"),
    ("cert", lambda _, p: p.unlink(), "BLUEALERT_IPAWS_CERT", "cannot read"),
]  # fmt: skip


@pytest.mark.parametrize(("which", "spoil", "setting", "rule"), CASES)
def test_a_file_that_breaks_a_rule_is_refused_by_the_settings_name(
    pair: Identity,
    tmp_path: Path,
    which: str,
    spoil: Callable[[Identity, Path], None],
    setting: str,
    rule: str,
) -> None:
    key_file, cert_file = tmp_path / "cog.key", tmp_path / "cog.pem"
    key_file.write_bytes(pair.key_file.read_bytes())
    cert_file.write_bytes(pair.cert_file.read_bytes())
    spoiled = key_file if which == "key" else cert_file
    spoil(pair, spoiled)
    with pytest.raises(InvalidInput) as refused:
        load_signer(key_file, cert_file)
    assert refused.value.field == setting
    assert str(refused.value).startswith(f"{setting}: ")
    assert rule in str(refused.value)
    assert str(spoiled) in str(refused.value)


def test_a_key_and_its_certificate_sign_what_the_certificate_verifies(pair: Identity) -> None:
    signed = load_signer(pair.key_file, pair.cert_file).sign(b"<alert>a Blue Alert</alert>")
    trusted = TrustStore.from_pem(pair.cert_file.read_bytes())
    assert verify_cap(signed, trusted, now=NOT_BEFORE).subject == f"CN=IPAWSOPEN_{COG_ID}"


@pytest.mark.parametrize(
    ("not_before", "not_after", "rule"),
    [
        (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 6, 30, 12, tzinfo=UTC),
         "expired on 2026-06-30 12:00 UTC"),
        (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC),
         "is not in force before 2027-01-01 00:00 UTC"),
    ],
)  # fmt: skip
def test_a_certificate_out_of_force_is_refused_by_the_settings_name(
    tmp_path: Path, not_before: datetime, not_after: datetime, rule: str
) -> None:
    key_file, cert_file = stand_in_identity(tmp_path, COG_ID, not_before, not_after)
    with pytest.raises(InvalidInput) as refused:
        load_signer(key_file, cert_file, now=datetime(2026, 11, 30, tzinfo=UTC))
    assert refused.value.field == "BLUEALERT_IPAWS_CERT"
    assert str(refused.value) == f"BLUEALERT_IPAWS_CERT: {cert_file} {rule}" + (
        ": ask FEMA for the COG's new certificate" if "expired" in rule else ""
    )


def test_a_certificate_is_in_force_to_its_last_second(tmp_path: Path) -> None:
    last = datetime(2026, 11, 30, 12, tzinfo=UTC)
    key_file, cert_file = stand_in_identity(tmp_path, COG_ID, last - timedelta(days=365), last)
    assert load_signer(key_file, cert_file, now=last) is not None
    with pytest.raises(InvalidInput):
        load_signer(key_file, cert_file, now=last + timedelta(seconds=1))
