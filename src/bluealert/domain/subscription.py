"""A subscription: who wants alerts, by which channel, for which place."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Literal, Self

from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import Field, field_validator, model_validator

from bluealert.domain.content import Latitude, Longitude
from bluealert.domain.model import Model
from bluealert.domain.partner import address_problem

PlaceKind = Literal["county", "zip", "state", "point", "polygon"]
SubscriptionChannel = Literal["email", "webhook", "mqtt", "web_push", "cap_push", "apprise"]


def _unb64url(value: str, name: str) -> bytes:
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{name} is not base64url") from None


class PushKeys(Model):
    """A browser's push subscription keys, as `PushSubscription.toJSON().keys` gives them."""

    p256dh: Annotated[str, Field(min_length=80, max_length=100)] = Field(
        description="The browser's P-256 public key, uncompressed, base64url (RFC 8291 §3.2)."
    )
    auth: Annotated[str, Field(min_length=16, max_length=30)] = Field(
        description="The browser's 16-byte authentication secret, base64url (RFC 8291 §3.2)."
    )

    @field_validator("p256dh")
    @classmethod
    def _a_point_on_p256(cls, value: str) -> str:
        raw = _unb64url(value, "p256dh")
        # RFC 8291 §3.2: the uncompressed form, 65 bytes starting 0x04, a point on P-256.
        if len(raw) != 65 or raw[0] != 4:
            raise ValueError("p256dh is an uncompressed P-256 point (65 bytes, 0x04 first)")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
        except ValueError:
            raise ValueError("p256dh is not a point on the P-256 curve") from None
        return value

    @field_validator("auth")
    @classmethod
    def _sixteen_bytes(cls, value: str) -> str:
        if len(_unb64url(value, "auth")) != 16:  # RFC 8291 §3.2: 16 random octets
            raise ValueError("auth is 16 bytes")
        return value


class Subscription(Model):
    channel: SubscriptionChannel
    address: Annotated[str, Field(min_length=1, max_length=500)]
    place_kind: PlaceKind
    place: Annotated[str, Field(max_length=100)] = Field(
        default="", description="The county FIPS, ZIP code or state code (empty for shapes)."
    )
    lat: Latitude | None = None
    lon: Longitude | None = None
    radius_km: float | None = Field(default=None, ge=0, le=500)
    polygon: list[tuple[Latitude, Longitude]] | None = None
    language: Literal["en", "es"] = "en"
    keys: PushKeys | None = Field(
        default=None, description="A web_push subscription's browser keys (p256dh, auth)."
    )

    @model_validator(mode="after")
    def _place_fits_its_kind(self) -> Self:
        if self.place_kind in ("county", "zip", "state") and not self.place:
            raise ValueError(f"a {self.place_kind} subscription names its {self.place_kind}")
        if self.place_kind == "point" and (self.lat is None or self.lon is None):
            raise ValueError("a point subscription gives lat and lon (and a radius in km)")
        if self.place_kind == "polygon" and not self.polygon:
            raise ValueError("a polygon subscription gives its points")
        problem = address_problem(self.channel, self.address)
        if problem:
            raise ValueError(f"address: {problem}")
        if self.channel == "web_push" and self.keys is None:
            raise ValueError("keys: a web_push subscription gives its browser keys (p256dh, auth)")
        if self.channel != "web_push" and self.keys is not None:
            raise ValueError("keys: only a web_push subscription has keys")
        return self

    @property
    def proves_consent(self) -> bool:
        """A browser's push subscription exists only once its user allowed notifications, and
        only that browser can read what is sent to it: it needs no confirmation message."""
        return self.channel == "web_push"
