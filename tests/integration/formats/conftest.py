"""Tools we did not write check our output; a missing tool fails the test, never skips it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

# Fixed validity, never read from the clock: from a fixed day to RFC 5280 §4.1.2.5's "no
# well-defined expiration" (99991231235959Z), so the same certificates verify on every day the
# tests run, in our verifier at the tests' fixed time and in tools that read the real clock.
NOT_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.UTC)


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = shutil.which(name)
    assert path is not None, f"{name} is not installed: make test installs it (Debian package)"
    return subprocess.run([path, *args], capture_output=True, text=True, timeout=120, check=False)


@dataclass(frozen=True)
class Identity:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate
    key_file: Path
    cert_file: Path


def _certificate(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name | None = None,
    issuer_key: rsa.RSAPrivateKey | None = None,
    ca: bool = False,
) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer or name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key or key, hashes.SHA256())
    )


def _identity(tmp: Path, subject: str, issuer: Identity | None = None) -> Identity:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _certificate(
        subject,
        key,
        issuer.certificate.subject if issuer else None,
        issuer.key if issuer else None,
        ca=issuer is None,
    )
    key_file, cert_file = tmp / f"{subject}.key", tmp / f"{subject}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Identity(key, cert, key_file, cert_file)


@pytest.fixture(scope="session")
def signing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Identity, Identity, Identity]:
    """A test CA, a signing identity it issued, and an identity nobody trusts."""
    tmp = tmp_path_factory.mktemp("keys")
    ca = _identity(tmp, "bluealert-test-ca")
    return ca, _identity(tmp, "bluealert-signer", issuer=ca), _identity(tmp, "stranger")
