"""The database tables. Domain values become rows only here, at the storage edge."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (which keeps no zone) too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are never stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UserRow(Base):
    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON)
    agency_ori: Mapped[str | None] = mapped_column(String(9))
    states: Mapped[list[str]] = mapped_column(JSON)
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlertRow(Base):
    __tablename__ = "alerts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    plan_state: Mapped[str] = mapped_column(String(2), index=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(10))
    author: Mapped[str] = mapped_column(ForeignKey("users.username"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("users.username"))
    activated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolution: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Indexed: every step on an alert reads the alerts linked to it (`linked_to`).
    linked_alert_id: Mapped[str | None] = mapped_column(ForeignKey("alerts.id"), index=True)


class AlertVersionRow(Base):
    __tablename__ = "alert_versions"

    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    msg_type: Mapped[str] = mapped_column(String(10))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    # Given only by `alert submit --attest`, never read from the content (issue 8).
    attestations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    contributions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # What the step that wrote the version did otherwise than asked (an expiry capped).
    notices: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class ReferenceCounterRow(Base):
    """The last sequence number given out per state and year (TX-2026-0007)."""

    __tablename__ = "reference_counters"

    state: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class ActivationRequestRow(Base):
    __tablename__ = "activation_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"), index=True)
    to_state: Mapped[str] = mapped_column(String(2), index=True)
    state: Mapped[str] = mapped_column(String(10))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)


class PhotoRow(Base):
    __tablename__ = "photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime())
    stored_by: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """Work for the dispatcher, written in the same transaction as the change it announces."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The last subscription whose deliveries are planned: planning commits a page at a time
    # and resumes after it (another dispatcher, or this one after a crash).
    planned_through: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("ix_outbox_pending", "dispatched_at", "id"),)


class AuditEventRow(Base):
    """One link of the hash chain; `hash` covers `prev_hash` and the canonical content."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(50), index=True)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Which canonical form `hash` was computed over (store.audit: 1 today), so that a later
    # form can be introduced without making the events already written stop verifying.
    hash_format: Mapped[int] = mapped_column(Integer, server_default="1")


class AuditHeadRow(Base):
    """The chain's head: the last seq and hash, so that deleting the newest event shows."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class SubscriptionRow(Base):
    """Someone to tell: a channel, an address, and the place they care about."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(500))
    place_kind: Mapped[str] = mapped_column(String(10))
    place: Mapped[str] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    polygon: Mapped[list[list[float]] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    # Double opt-in: only a confirmed subscription receives (the CLI's operator confirms).
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The secret in the one-click unsubscribe link (RFC 8058); never shown elsewhere.
    unsubscribe_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A web push subscription's browser keys ({"p256dh", "auth"}): needed to encrypt to it.
    push_keys: Mapped[dict[str, str] | None] = mapped_column(JSON)


class SubscriptionCountyRow(Base):
    """The counties a subscription reaches; `partial` when only part of the county."""

    __tablename__ = "subscription_counties"

    county_fips: Mapped[str] = mapped_column(String(5), primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True
    )
    partial: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (Index("ix_subscription_counties_subscription", "subscription_id"),)


class PartnerRow(Base):
    """A registered dissemination partner (broadcaster, sign system, police system, peer)."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    area: Mapped[dict[str, Any]] = mapped_column(JSON)
    formats: Mapped[list[str]] = mapped_column(JSON)
    tier: Mapped[str] = mapped_column(String(20))
    statuses: Mapped[list[str]] = mapped_column(JSON)
    channel: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(500))
    # Needed in clear to sign each webhook (Standard Webhooks is HMAC); never printed.
    secret: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(200))
    # The ntcip channel's sign: profile, MULTI tags, slots, priority, what follows an end.
    sign: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    enabled: Mapped[bool] = mapped_column(Boolean, index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class RenderingRow(Base):
    """One format of one published version, rendered once by the dispatcher for every worker.

    `refusal` holds why a renderer refused (SAME for a Cancel, teletype beyond five states)."""

    __tablename__ = "renderings"

    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    format: Mapped[str] = mapped_column(String(20), primary_key=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    refusal: Mapped[str | None] = mapped_column(Text)
    rendered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeliveryRow(Base):
    """The receipt of one delivery: (alert version, event, recipient, channel), keyed uniquely
    so that a crash, a redelivered batch or a second worker never makes a second one."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"))
    version: Mapped[int] = mapped_column(Integer)
    event: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(20))  # p<partner id> or s<subscription id>
    channel: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(500))
    tier: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    state: Mapped[str] = mapped_column(String(12))
    priority: Mapped[int] = mapped_column(Integer)  # 0: received an earlier version, goes first
    attempts: Mapped[int] = mapped_column(Integer)
    announced_at: Mapped[datetime] = mapped_column(UtcDateTime())  # approval or change time
    planned_at: Mapped[datetime] = mapped_column(UtcDateTime())
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_deliveries_alert", "alert_id", "version", "event"),
        Index("ix_deliveries_state", "state", "next_attempt_at"),
        Index("ix_deliveries_recipient", "alert_id", "recipient", "channel"),
    )


class CredentialRow(Base):
    """A person's password hash, second factor and failed-login state."""

    __tablename__ = "credentials"

    username: Mapped[str] = mapped_column(ForeignKey("users.username"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SessionRow(Base):
    """A signed-in browser session; only the SHA-256 of its token is kept."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ApiKeyRow(Base):
    """A machine's key: shown once, kept as the SHA-256 of its secret part."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    owner_kind: Mapped[str] = mapped_column(String(10))
    owner: Mapped[str] = mapped_column(String(100), index=True)
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class TipRow(Base):
    """A tip from the public about an alert (law-enforcement data, never public)."""

    __tablename__ = "tips"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    alert_id: Mapped[str] = mapped_column(ForeignKey("alerts.id"), index=True)
    seen: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    contact: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reviewed_by: Mapped[str | None] = mapped_column(String(64))
    review_note: Mapped[str] = mapped_column(Text, default="")
