"""The node's signing key: an Ed25519 or RSA private key in a PEM file.

It signs audit checkpoints. bluealert creates an Ed25519 key in the data directory the first
time it needs one (readable by its owner only); an operator may name their own key instead
(`BLUEALERT_AUDIT_SIGNING_KEY`), for instance one kept on a separate volume.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from bluealert.errors import InvalidInput

SigningKey = Ed25519PrivateKey | RSAPrivateKey
PublicKey = Ed25519PublicKey | RSAPublicKey

# NIST SP 800-57 Part 1 rev. 5, table 2: RSA below 2048 bits no longer protects signatures.
MIN_RSA_BITS = 2048


def algorithm(key: SigningKey | PublicKey) -> str:
    """The signature algorithm a key makes: `Ed25519` or `RSA-SHA256` (PKCS #1 v1.5)."""
    return "Ed25519" if isinstance(key, Ed25519PrivateKey | Ed25519PublicKey) else "RSA-SHA256"


def key_id(key: PublicKey) -> str:
    """`sha256:` and the hex SHA-256 of the public key's DER SubjectPublicKeyInfo."""
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "sha256:" + hashlib.sha256(der).hexdigest()


def sign(key: SigningKey, message: bytes) -> bytes:
    if isinstance(key, Ed25519PrivateKey):
        return key.sign(message)
    return key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def verify(key: PublicKey, signature: bytes, message: bytes) -> None:
    """Raise cryptography's InvalidSignature unless `signature` is `key`'s over `message`."""
    if isinstance(key, Ed25519PublicKey):
        key.verify(signature, message)
    else:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())


def load(path: Path, field: str) -> SigningKey:
    """The PEM private key at `path`; `field` names the setting it came from in errors."""
    try:
        pem = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read the key {path}: {error.strerror}", field=field) from error
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise InvalidInput(
            f"{path} is not an unencrypted PEM private key: {error}", field=field
        ) from error
    if isinstance(key, Ed25519PrivateKey):
        return key
    if isinstance(key, RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise InvalidInput(
                f"{path} is a {key.key_size}-bit RSA key; use at least {MIN_RSA_BITS} bits",
                field=field,
            )
        return key
    raise InvalidInput(f"{path} is a {type(key).__name__}; use Ed25519 or RSA", field=field)


def create(path: Path) -> Ed25519PrivateKey:
    """Write a new Ed25519 key to `path`, readable by its owner only; never overwrite one."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written whole under a name of its own, then linked into place: link() fails when the key
    # exists (two first users racing must not leave two different keys behind), and whoever
    # loses the race reads a whole file, never one still being written.
    written = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    try:
        os.link(written, path)
    finally:
        written.unlink()
    return key
