"""Signing in, people and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from bluealert.app.accounts import TotpEnrolment
from bluealert.domain.accounts import MAX_PASSWORD, ApiScope
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role
from bluealert.store.accounts import StoredApiKey

Password = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_PASSWORD,
        json_schema_extra={"format": "password", "writeOnly": True},
    ),
]


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Password
    code: Annotated[str, Field(max_length=10, description="TOTP code (coordinators, admins).")] = ""


class SessionPublic(BaseModel):
    """Who is signed in. `csrf_token` is given once, at sign-in: send it as X-CSRF-Token."""

    username: str
    display_name: str
    roles: list[Role]
    agency_ori: str | None
    states: list[str]
    via: Literal["session", "api_key"]
    csrf_token: str | None = None


class UserPublic(BaseModel):
    username: str
    display_name: str
    roles: list[Role]
    agency_ori: str | None
    states: list[str]
    email: str | None = None

    @classmethod
    def of(cls, user: User) -> UserPublic:
        return cls(
            username=user.username,
            display_name=user.display_name,
            roles=sorted(user.roles),
            agency_ori=user.agency_ori,
            states=sorted(user.states),
            email=user.email,
        )


class UserCreate(BaseModel):
    """A new person and the password they will sign in with."""

    model_config = ConfigDict(extra="forbid")

    username: Annotated[str, Field(max_length=64)]
    display_name: Annotated[str, Field(max_length=200)]
    roles: Annotated[list[Role], Field(min_length=1, max_length=5)]
    agency_ori: Annotated[str | None, Field(max_length=9)] = None
    states: Annotated[list[Annotated[str, Field(max_length=2)]], Field(max_length=56)] = []
    email: Annotated[str | None, Field(max_length=254)] = None
    password: Password


class TotpEnrolmentPublic(BaseModel):
    """A TOTP secret, shown once: type it, open the otpauth:// URI, or scan the QR code."""

    secret: str
    uri: str
    qr_svg: str = Field(description="The URI as a QR code: an SVG data: URI for an <img>.")

    @classmethod
    def of(cls, enrolment: TotpEnrolment) -> TotpEnrolmentPublic:
        return cls(secret=enrolment.secret, uri=enrolment.uri, qr_svg=enrolment.qr_svg)


class UserCreated(BaseModel):
    user: UserPublic
    totp: TotpEnrolmentPublic | None = Field(
        default=None, description="For coordinators and admins: their second factor, shown once."
    )


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: Password
    new_password: Password


class TotpConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, Field(max_length=10)]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    owner_kind: Literal["user", "partner"]
    owner: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Annotated[list[ApiScope], Field(min_length=1, max_length=2)] = [ApiScope.READ]


class ApiKeyPublic(BaseModel):
    id: str
    name: str
    owner_kind: str
    owner: str
    scopes: list[str]
    created_at: datetime
    created_by: str
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, key: StoredApiKey) -> ApiKeyPublic:
        return cls(
            id=key.id,
            name=key.name,
            owner_kind=key.owner_kind,
            owner=key.owner,
            scopes=key.scopes,
            created_at=key.created_at,
            created_by=key.created_by,
            revoked_at=key.revoked_at,
            last_used_at=key.last_used_at,
        )


class ApiKeyCreated(BaseModel):
    key: ApiKeyPublic
    secret: str = Field(description="The key itself, shown this once: send it as Bearer.")


class SessionsEnded(BaseModel):
    ended: int
