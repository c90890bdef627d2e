"""The node's CAP signer: a key and a certificate named by settings (or options), checked
before anything is signed with them.

A file that is not what its setting says is refused by the setting's name and the rule it
breaks — by `render` and `cap sign`, by the API's renderings, when the dispatcher renders a
version — never as a ValueError from inside signing. The IPAWS channel checks the COG's pair
with the same rules (`dispatch.ipaws.credentials`).
"""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from bluealert.config import Settings
from bluealert.errors import InvalidInput
from bluealert.formats.cap.signature import CapSigner

KEY_SETTING = "BLUEALERT_CAP_SIGNING_KEY"
CERT_SETTING = "BLUEALERT_CAP_SIGNING_CERT"


def _read(path: Path, setting: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read {path}: {error.strerror}", field=setting) from error


def _private_key(path: Path, setting: str) -> RSAPrivateKey:
    pem = _read(path, setting)
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError as error:  # cryptography's word for "encrypted, and no password given"
        message = f"{path} is encrypted: the service signs unattended, so it must not be"
        raise InvalidInput(message, field=setting) from error
    except (ValueError, UnsupportedAlgorithm) as error:
        message = f"{path} is not a PEM private key (-----BEGIN PRIVATE KEY-----)"
        raise InvalidInput(message, field=setting) from error
    if not isinstance(key, RSAPrivateKey):
        message = f"{path} holds a {type(key).__name__}: IPAWS signatures are RSA-SHA256"
        raise InvalidInput(message, field=setting)
    return key


def _certificate(path: Path, setting: str) -> x509.Certificate:
    pem = _read(path, setting)
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        message = f"{path} is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
        raise InvalidInput(message, field=setting) from error


def load_signer(
    key_file: Path,
    cert_file: Path,
    *,
    key_setting: str = KEY_SETTING,
    cert_setting: str = CERT_SETTING,
) -> CapSigner:
    """A CAP signer: an unencrypted PEM RSA key, and a PEM certificate of that key; errors
    name `key_setting` or `cert_setting`."""
    key, certificate = _private_key(key_file, key_setting), _certificate(cert_file, cert_setting)
    # A signature made with one key and sent with the certificate of another verifies
    # nowhere: every receiver would refuse every message.
    der, spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if certificate.public_key().public_bytes(der, spki) != key.public_key().public_bytes(der, spki):
        message = f"{cert_file} does not certify the key in {key_file} ({key_setting})"
        raise InvalidInput(message, field=cert_setting)
    return CapSigner(key, certificate)


def configured_signer(settings: Settings) -> CapSigner | None:
    """The signer the settings name; None (CAP goes unsigned) unless both files are set."""
    key, cert = settings.cap_signing_key, settings.cap_signing_cert
    return load_signer(key, cert) if key and cert else None
