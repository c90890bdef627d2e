"""A CAP signing key that is not a PEM file does not keep the API from starting: the CAP
renderings are refused as the error handler refuses a setting that breaks a rule (422, the
setting named in `field`), the other formats are served, and the fixed file is used without a
restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bluealert.app.demo_data import seed_demo_people
from bluealert.config import Settings
from bluealert.web import create_app
from tests.conftest import Clock
from tests.integration.web.conftest import FAST_HASHING, Web
from tests.ipaws_support import COG_ID, Identity, identity

NOT_PEM = b"keytool output: this is a Java keystore, not a PEM file\n"


@pytest.fixture
def signer(tmp_path: Path) -> Identity:
    return identity(tmp_path / "signer", COG_ID)


@pytest.fixture
def spoiled(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch, signer: Identity
) -> Iterator[Web]:
    """The app started on a signing key that is not PEM."""
    monkeypatch.setenv("TZ", "America/Chicago")
    signer.key_file.write_bytes(NOT_PEM)
    settings = Settings(
        data_dir=tmp_path / "data",
        cap_signing_key=signer.key_file,
        cap_signing_cert=signer.cert_file,
        **FAST_HASHING,
    )
    app = create_app(settings, clock=clock, background=False)
    with TestClient(app, base_url="https://testserver") as client:
        seed_demo_people(app.state.web.ctx)
        yield Web(client, app.state.web.ctx, clock, settings.data_dir)


def test_cap_is_refused_naming_the_setting_until_the_key_is_fixed(
    spoiled: Web, signer: Identity, tmp_path: Path
) -> None:
    alert = spoiled.active_alert()
    for path in (f"/api/v1/alerts/{alert.reference}/cap", f"/cap/BLU-{alert.reference}-v1.xml"):
        refused = spoiled.client.get(path)
        assert refused.status_code == 422, path
        assert refused.headers["content-type"] == "application/problem+json"
        problem = refused.json()
        assert (problem["type"], problem["field"]) == (
            "/problems/invalid-input",
            "BLUEALERT_CAP_SIGNING_KEY",
        )
        assert problem["detail"] == (
            f"BLUEALERT_CAP_SIGNING_KEY: {signer.key_file} is not a PEM private key "
            "(-----BEGIN PRIVATE KEY-----)"
        )
    reader = spoiled.sign_in("tx.kim").client
    base = f"/api/v1/alerts/{alert.reference}/versions/1"
    assert reader.get(f"{base}/cap-restricted").status_code == 422
    assert reader.get(f"{base}/same").text.startswith("ZCZC-")  # needs no key: served
    fixed = identity(tmp_path / "fixed", COG_ID)
    signer.key_file.write_bytes(fixed.key_file.read_bytes())  # PEM now, but not the cert's key
    mismatched = spoiled.client.get(f"/api/v1/alerts/{alert.reference}/cap")
    assert (mismatched.status_code, mismatched.json()["field"]) == (
        422,
        "BLUEALERT_CAP_SIGNING_CERT",
    )
    signer.cert_file.write_bytes(fixed.cert_file.read_bytes())
    served = spoiled.client.get(f"/api/v1/alerts/{alert.reference}/cap")
    assert served.status_code == 200
    assert served.headers["x-cap-signed"] == "yes"
    assert b"<Signature" in served.content
