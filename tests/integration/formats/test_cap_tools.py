"""Our CAP checked by xmllint against the OASIS XSD, our signatures by xmlsec1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bluealert.domain import lifecycle
from bluealert.domain.alert import Alert, sample_alert
from bluealert.errors import SignatureRejected
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.parse import parse_xml
from bluealert.formats.cap.signature import CapSigner, TrustStore, _signing_certificate, verify_cap
from bluealert.formats.cap.validate import is_valid, validate_cap
from bluealert.formats.context import RenderContext
from tests import factories as f
from tests.integration.formats.conftest import Identity, run_tool

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
CTX = RenderContext(now=NOW)
XSD = f.TESTDATA / "cap12.xsd"


def _versions() -> Alert:
    plan = f.plan()
    alert = sample_alert(f.alert_content(NOW), now=NOW, reference="TX-2026-0042")
    alert = lifecycle.update(
        alert,
        alert.content,
        user=f.TX_COORDINATOR,
        plan=plan,
        note="more",
        now=NOW + timedelta(hours=1),
    )
    return lifecycle.cancel(
        alert, user=f.TX_COORDINATOR, plan=plan, reason="found", now=NOW + timedelta(hours=2)
    )


@pytest.mark.parametrize("scope", ["Public", "Restricted"])
@pytest.mark.parametrize("number", [1, 2, 3])
def test_every_message_we_build_passes_xmllint_and_our_validator(
    tmp_path: Path, scope: str, number: int
) -> None:
    xml = build_cap(_versions(), number, CTX, scope=scope).xml  # type: ignore[arg-type]
    path = tmp_path / "alert.xml"
    path.write_bytes(xml)
    checked = run_tool("xmllint", "--noout", "--schema", str(XSD), str(path))
    assert checked.returncode == 0, checked.stderr
    assert "validates" in checked.stderr
    assert is_valid(validate_cap(xml))


@pytest.mark.parametrize(
    ("plan", "area"),
    [
        ("AK", {"counties": ["02016"]}),  # across the antimeridian: a polygon each side
        ("RI", {"states": ["RI"]}),
        ("TX", {"circles": [{"lat": 33.7, "lon": -97.1, "radius_km": 80}]}),  # into Oklahoma
        ("PR", {"counties": ["72127"]}),
    ],
)
def test_areas_of_every_shape_pass_xmllint(tmp_path: Path, plan: str, area: dict[str, Any]) -> None:
    alert = sample_alert(f.alert_content(NOW, plan=plan, area=area), now=NOW)
    path = tmp_path / "alert.xml"
    path.write_bytes(build_cap(alert, 1, CTX).xml)
    checked = run_tool("xmllint", "--noout", "--schema", str(XSD), str(path))
    assert checked.returncode == 0, checked.stderr
    assert is_valid(validate_cap(path.read_bytes()))


def test_signed_cap_verifies_with_xmlsec1_and_tampering_fails(
    tmp_path: Path, signing: tuple[Identity, Identity, Identity]
) -> None:
    ca, signer, _ = signing
    signed = CapSigner(signer.key, signer.certificate).sign(build_cap(_versions(), 1, CTX).xml)
    path = tmp_path / "signed.xml"
    path.write_bytes(signed)
    args = ["--verify", "--enabled-key-data", "x509", "--trusted-pem", str(ca.cert_file)]
    args += ["--verification-gmt-time", f"{NOW:%Y-%m-%d %H:%M:%S}"]  # the tests' fixed time
    good = run_tool("xmlsec1", *args, str(path))
    assert good.returncode == 0, good.stderr
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(signed.replace(b"KZT4??1", b"KZT4771", 1))
    bad = run_tool("xmlsec1", *args, str(tampered))
    assert bad.returncode != 0
    still_valid = run_tool("xmllint", "--noout", "--schema", str(XSD), str(path))
    assert still_valid.returncode == 0, still_valid.stderr


def test_our_verifier_trusts_the_ca_and_refuses_strangers_and_tampering(
    signing: tuple[Identity, Identity, Identity],
) -> None:
    ca, signer, stranger = signing
    xml = build_cap(_versions(), 1, CTX).xml
    signed = CapSigner(signer.key, signer.certificate).sign(xml)
    assert (
        verify_cap(signed, TrustStore((ca.certificate,)), now=NOW).subject == "CN=bluealert-signer"
    )
    with pytest.raises(SignatureRejected, match="not in the trust store"):
        verify_cap(
            CapSigner(stranger.key, stranger.certificate).sign(xml),
            TrustStore((ca.certificate,)),
            now=NOW,
        )
    with pytest.raises(SignatureRejected, match="does not verify"):
        verify_cap(
            signed.replace(b"KZT4??1", b"KZT4771", 1),
            TrustStore((ca.certificate,)),
            now=NOW,
        )
    with pytest.raises(SignatureRejected, match="not signed"):
        verify_cap(xml, TrustStore((ca.certificate,)), now=NOW)


@pytest.mark.parametrize(
    "name", ["ipaws_real_LEW_polygon_signed.xml", "ipaws_real_RWT_cancel_signed.xml"]
)
def test_real_signed_ipaws_messages_verify_with_our_verifier(
    name: str, signing: tuple[Identity, Identity, Identity]
) -> None:
    data = f.testdata(name)
    fema = _signing_certificate(parse_xml(data))
    assert "IPAWS" in verify_cap(data, TrustStore((fema,)), now=NOW).subject
    with pytest.raises(SignatureRejected, match="not in the trust store"):
        verify_cap(data, TrustStore((signing[0].certificate,)), now=NOW)
    with pytest.raises(SignatureRejected, match="does not verify"):
        verify_cap(
            data.replace(b"<status>Actual", b"<status>Test", 1),
            TrustStore((fema,)),
            now=NOW,
        )


def test_the_loaded_key_signs_the_same_as_one_loaded_from_pem(
    signing: tuple[Identity, Identity, Identity],
) -> None:
    _, signer, _ = signing
    from_pem = CapSigner.from_pem(signer.key_file.read_bytes(), signer.cert_file.read_bytes())
    xml = build_cap(_versions(), 1, CTX).xml
    assert from_pem.sign(xml) == CapSigner(signer.key, signer.certificate).sign(xml)
