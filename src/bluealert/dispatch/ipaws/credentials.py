"""The COG's key and certificate, checked before anything is signed with them.

FEMA issues them as a Java keystore, converted once to two PEM files (docs/ipaws.md). A file
that is not what its setting says is refused by the setting's name and the rule it breaks —
when the ipaws channel opens and by `bluealert ipaws ping` — never part-way through a post.
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from bluealert.errors import InvalidInput
from bluealert.formats.cap.signature import CapSigner

KEY_SETTING = "BLUEALERT_IPAWS_KEY"
CERT_SETTING = "BLUEALERT_IPAWS_CERT"


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}", field=setting) from error


def _private_key(path: Path) -> RSAPrivateKey:
    pem = _read(path, KEY_SETTING)
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError as error:  # cryptography's word for "encrypted, and no password given"
        message = f"{path} is encrypted: the service signs unattended, so it must not be"
        raise InvalidInput(message, field=KEY_SETTING) from error
    except (ValueError, UnsupportedAlgorithm) as error:
        message = f"{path} is not a PEM private key (-----BEGIN PRIVATE KEY-----)"
        raise InvalidInput(message, field=KEY_SETTING) from error
    if not isinstance(key, RSAPrivateKey):
        message = f"{path} holds a {type(key).__name__}: IPAWS signatures are RSA-SHA256"
        raise InvalidInput(message, field=KEY_SETTING)
    return key


def _certificate(path: Path) -> x509.Certificate:
    pem = _read(path, CERT_SETTING)
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        message = f"{path} is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
        raise InvalidInput(message, field=CERT_SETTING) from error


def load_signer(key_file: Path, cert_file: Path) -> CapSigner:
    """The COG's CAP signer: an unencrypted PEM RSA key, and a PEM certificate of that key."""
    key, certificate = _private_key(key_file), _certificate(cert_file)
    # A signature made with one key and sent with the certificate of another verifies
    # nowhere: IPAWS would refuse every message.
    der, spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(der, spki) != key.public_key().public_bytes(der, spki):
        message = f"{cert_file} does not certify the key in {key_file} ({KEY_SETTING})"
        raise InvalidInput(message, field=CERT_SETTING)
    return CapSigner(key, certificate)
