"""The node publishes the public key that checks its subscribers' webhooks (v1a), with no login:
the same key every time, the one in the data directory (owner-only), and a configured key that
is not Ed25519 is refused by the setting's name."""

from __future__ import annotations

import base64
import stat
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from bluealert.app.webhook_key import webhook_private_key
from bluealert.errors import InvalidInput
from tests.integration.web.conftest import Web


def test_the_public_key_is_published_and_kept(web: Web) -> None:
    first = web.client.get("/api/v1/webhook-key")
    assert first.status_code == 200
    published = first.json()
    assert (published["scheme"], published["algorithm"]) == ("v1a", "Ed25519")
    assert published["public_key"].startswith("whpk_")
    raw = base64.b64decode(published["public_key"].removeprefix("whpk_"))
    stored = webhook_private_key(web.ctx.settings).public_key()
    assert raw == stored.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert web.client.get("/api/v1/webhook-key").json() == published
    path = web.ctx.settings.generated_webhook_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_key_that_is_not_ed25519_is_refused_naming_the_setting(web: Web) -> None:
    rsa = web.data_dir / "rsa.pem"
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
         "-out", str(rsa)],
        check=True, capture_output=True,
    )  # fmt: skip
    settings = web.ctx.settings.model_copy(update={"webhook_signing_key": rsa})
    with pytest.raises(InvalidInput) as refused:
        webhook_private_key(settings)
    assert refused.value.field == "BLUEALERT_WEBHOOK_SIGNING_KEY"
    assert "Ed25519" in str(refused.value)
