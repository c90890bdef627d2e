"""A stand-in push service that checks what a real one checks, and reads what a browser reads.

Like a browser and its push service together, it hands out subscriptions (an endpoint, the
browser's P-256 key `p256dh` and its 16-byte `auth` secret) made with the node's VAPID public
key, and for each push:
- checks the VAPID token (RFC 8292): the `vapid t=…, k=…` scheme, an ES256 JWT whose signature
  verifies with `k`, `k` equal to the key the subscription was made with (§4.2: else 403), `aud`
  the endpoint's origin, `exp` in the future and at most 24 hours ahead, `sub` a mailto: or
  https: contact (else 401);
- checks `Content-Encoding: aes128gcm` and a `TTL`, refuses more than 4096 bytes (413);
- decrypts the body as the browser would (RFC 8291, written here from the RFC, independent of
  the code that encrypted it) with the browser's private key, and keeps the plain text.
A subscription it was told to forget answers 410 Gone; /missing/… endpoints answer 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.integration.dispatch.conftest import Receiver


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def decrypt_aes128gcm(body: bytes, ua_private: ec.EllipticCurvePrivateKey, auth: bytes) -> bytes:
    """RFC 8291 §3.3–3.4 over RFC 8188 §2, one record, as a user agent decrypts."""
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public = body[21 : 21 + id_length]
    ciphertext = body[21 + id_length :]
    if id_length != 65 or len(ciphertext) > record_size:
        raise ValueError(f"key id of {id_length} bytes, record size {record_size}")
    sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public)
    ecdh_secret = ua_private.exchange(ec.ECDH(), sender)
    # RFC 8291 §3.4: the auth secret and both public keys go into the input keying material.
    prk_key = _hmac(auth, ecdh_secret)
    key_info = b"WebPush: info\x00" + point(ua_private.public_key()) + as_public
    ikm = _hmac(prk_key, key_info + b"\x01")
    # RFC 8188 §2.2–2.3: the content encryption key and nonce from the salt.
    prk = _hmac(salt, ikm)
    cek = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    # RFC 8188 §2: the last record ends with the delimiter 0x02, then zero padding.
    end = len(padded.rstrip(b"\x00")) - 1
    if end < 0 or padded[end] != 2:
        raise ValueError("no last-record delimiter")
    return padded[:end]


def verify_vapid(header: str, origin: str, expected_key: bytes, now: float) -> tuple[int, str]:
    """(0, "") when the Authorization header is a valid RFC 8292 token for `origin` signed with
    `expected_key`; else the status a push service answers and why."""
    scheme, _, params = header.partition(" ")
    if scheme.lower() != "vapid":
        return 401, f"scheme {scheme!r} is not vapid"
    fields = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
    token, key = fields.get("t", ""), fields.get("k", "")
    if unb64url(key) != expected_key:
        return 403, "k is not the key the subscription was made with"
    try:
        head, claims_part, signature = token.split(".")
        if json.loads(unb64url(head)).get("alg") != "ES256":
            return 401, "the token is not ES256"
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        public.verify(der, f"{head}.{claims_part}".encode(), ec.ECDSA(hashes.SHA256()))
        claims = json.loads(unb64url(claims_part))
    except (ValueError, InvalidSignature) as error:
        return 401, f"the token does not verify: {error or type(error).__name__}"
    if claims.get("aud") != origin:
        return 401, f"aud {claims.get('aud')!r} is not {origin}"
    if not now < claims.get("exp", 0) <= now + 24 * 3600:
        return 401, "exp is past or more than 24 hours ahead"
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        return 401, "sub is not a mailto: or https: contact"
    return 0, ""


@dataclass
class Browser:
    """One subscribed browser: its endpoint, keys, and the notifications it could read."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    read: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)  # lower-case names

    @property
    def keys(self) -> dict[str, str]:
        return {"p256dh": b64url(point(self.private_key.public_key())), "auth": b64url(self.auth)}


class PushService(Receiver):
    def __init__(self, application_server_key: str) -> None:
        super().__init__()
        self.server_key = unb64url(application_server_key)
        self.browsers: dict[str, Browser] = {}
        self.forgotten: set[str] = set()
        self.refused: list[tuple[str, int, str]] = []

    def subscribe(self, name: str) -> Browser:
        """What `PushManager.subscribe` gives a page: a new endpoint and the browser's keys."""
        import os

        browser = Browser(self.url(f"push/{name}"), ec.generate_private_key(ec.SECP256R1()),
                          os.urandom(16))  # fmt: skip
        self.browsers[f"/push/{name}"] = browser
        return browser

    def forget(self, browser: Browser) -> None:
        """The user revoked the permission: the push service answers 410 from now on."""
        self.forgotten.add(urlsplit(browser.endpoint).path)

    def _refuse(self, path: str, status: int, why: str) -> web.Response:
        self.refused.append((path, status, why))
        return web.Response(status=status, text=why)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        path = request.path
        if path in self.forgotten:
            return self._refuse(path, 410, "push subscription has unsubscribed or expired")
        browser = self.browsers.get(path)
        if browser is None:
            return self._refuse(path, 404, "no such subscription")
        origin = f"http://127.0.0.1:{self.port}"
        status, why = verify_vapid(
            request.headers.get("Authorization", ""), origin, self.server_key, time.time()
        )
        if status:
            return self._refuse(path, status, why)
        if request.headers.get("Content-Encoding") != "aes128gcm":
            return self._refuse(path, 400, "Content-Encoding is not aes128gcm")
        if not request.headers.get("TTL", "").isdigit():
            return self._refuse(path, 400, "no TTL")
        if len(body) > 4096:
            return self._refuse(path, 413, "payload too large")
        try:
            plain = decrypt_aes128gcm(body, browser.private_key, browser.auth)
        except (ValueError, InvalidTag) as error:
            return self._refuse(path, 400, f"cannot decrypt: {error!r}")
        browser.read.append(json.loads(plain))
        browser.headers.append({k.lower(): v for k, v in request.headers.items()})
        return web.Response(status=201, headers={"Location": f"{origin}/message/1"})
