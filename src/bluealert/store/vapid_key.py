"""The node's VAPID key (RFC 8292): the P-256 key that signs every web push request.

bluealert creates one in the data directory the first time it needs one, readable by its owner
only (0600), and keeps it: browsers subscribed with its public half, and a push service refuses
a request signed by any other key (RFC 8292 §4.2), so a new key would silence every browser
subscribed so far. An operator may name their own key instead (`BLUEALERT_VAPID_KEY`).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from bluealert.errors import InvalidInput

VapidKey = ec.EllipticCurvePrivateKey


def load(path: Path, field: str) -> VapidKey:
    """The PEM P-256 private key at `path`; `field` names the setting it came from in errors."""
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
    # RFC 8292 §3.2: the key is on the P-256 curve (ES256 signatures).
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise InvalidInput(f"{path} is not a P-256 (prime256v1) EC key", field=field)
    return key


def create(path: Path) -> VapidKey:
    """Write a new P-256 key to `path`, readable by its owner only; never overwrite one."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two first pushes racing must not leave two different keys behind.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key


def application_server_key(key: VapidKey) -> str:
    """The public key as a browser's `PushManager.subscribe({applicationServerKey})` takes it:
    the uncompressed P-256 point (65 bytes), base64url without padding (RFC 8292 §3.2)."""
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()
