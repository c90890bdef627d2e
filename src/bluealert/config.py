"""One typed Settings object, built by a factory and passed in. Nothing connects at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bluealert.errors import InvalidInput, rule_of

PAIRED_KEYS = {"cap_signing_cert": "cap_signing_key", "ipaws_cert": "ipaws_key"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BLUEALERT_", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file and photos live."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; a SQLite file under data_dir when unset."
    )
    cap_sender: str = "bluealert@bluealert.example"
    station_id: str = "BLUALERT"
    base_url: str = "http://127.0.0.1:8000"
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    api_max_body_bytes: int = Field(
        default=11 * 1024 * 1024, gt=0, description="Largest request body the API reads."
    )
    argon2_memory_kib: int = Field(
        default=65536, ge=8, description="argon2id memory per hash (RFC 9106: 64 MiB)."
    )
    argon2_time_cost: int = Field(default=3, ge=1, le=20, description="argon2id passes.")
    session_idle_minutes: int = Field(
        default=30, ge=1, le=30, description="Sign-in ends after this long idle (CJIS: 30 at most)."
    )
    login_rate_per_minute: int = Field(
        default=10, ge=1, description="Sign-in attempts per client address per minute."
    )
    public_write_rate_per_minute: int = Field(
        default=6, ge=1, description="Subscriptions, unsubscriptions and tips per address a minute."
    )
    expiry_interval_seconds: float = Field(
        default=5.0, gt=0, le=3600, description="How often the server expires alerts on time."
    )
    cap_signing_key: Path | None = Field(default=None, description="PEM RSA key signing CAP.")
    cap_signing_cert: Path | None = Field(
        default=None, validate_default=True, description="Its PEM certificate."
    )
    cap_trust_store: Path | None = Field(
        default=None, description="PEM bundle of certificates trusted for CAP signatures."
    )
    audit_signing_key: Path | None = Field(
        default=None,
        description="PEM Ed25519 or RSA key signing audit checkpoints; one is created in "
        "data_dir (audit-signing-key.pem) when unset.",
    )
    audit_checkpoint_dir: Path | None = Field(
        default=None, description="Where `audit checkpoint` writes when given no --out."
    )

    broker_url: str | None = Field(
        default=None,
        description="RabbitMQ URL (amqp://user:pass@host:5672/): the scale-out mode when set.",
    )
    broker_queue: str = Field(
        default="bluealert.deliveries", description="The RabbitMQ queue of delivery batches."
    )
    smtp_url: str = Field(
        default="smtp://127.0.0.1:25", description="SMTP server the email channel sends through."
    )
    mail_from: str = Field(
        default="Blue Alert <alerts@bluealert.example>", description="The From of alert emails."
    )
    mqtt_url: str = Field(
        default="mqtt://127.0.0.1:1883", description="MQTT broker the MQTT channel publishes to."
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    webhook_rate_per_second: float = Field(default=5000.0, gt=0)
    email_rate_per_second: float = Field(default=200.0, gt=0)
    mqtt_rate_per_second: float = Field(default=2000.0, gt=0)
    vapid_key: Path | None = Field(
        default=None,
        description="PEM P-256 key signing web push (RFC 8292); one is created in data_dir "
        "(vapid-key.pem, mode 0600) when unset.",
    )
    webhook_signing_key: Path | None = Field(
        default=None,
        description="PEM Ed25519 key signing the webhooks of subscribers, who hold no secret "
        "(Standard Webhooks v1a); one is created in data_dir (webhook-signing-key.pem, mode "
        "0600) when unset.",
    )
    vapid_subject: str = Field(
        default="mailto:alerts@bluealert.example",
        pattern=r"^(mailto:\S+@\S+|https://\S+)$",
        description="Who push services contact about this node (RFC 8292 §2.1): mailto: or https:.",
    )
    web_push_services: list[str] = Field(
        default=[
            "fcm.googleapis.com",
            "updates.push.services.mozilla.com",
            "web.push.apple.com",
            ".notify.windows.com",
        ],
        description="Hosts (or .suffixes) of the push services subscriptions may name.",
    )
    web_push_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    web_push_rate_per_second: float = Field(default=1000.0, gt=0)
    apprise_rate_per_second: float = Field(
        default=100.0, gt=0, description="All Apprise services together; each has its own too."
    )
    cap_push_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    cap_push_rate_per_second: float = Field(default=200.0, gt=0)
    ipaws_url: str | None = Field(
        default=None,
        description="The IPAWS-OPEN CAP service endpoint (FEMA's test environment first); "
        "unset, the ipaws channel sends nothing.",
    )
    ipaws_cog_id: int | None = Field(default=None, gt=0, description="The COG id FEMA issued.")
    ipaws_user: str | None = Field(default=None, description="The COG's IPAWS logon user.")
    ipaws_key: Path | None = Field(default=None, description="PEM RSA key of the COG.")
    ipaws_cert: Path | None = Field(
        default=None, validate_default=True, description="PEM certificate FEMA issued."
    )
    ipaws_timeout_seconds: float = Field(default=30.0, gt=0, le=300)
    ipaws_rate_per_second: float = Field(default=20.0, gt=0)
    ntcip_timeout_seconds: float = Field(
        default=2.0, gt=0, le=30, description="How long a sign has to answer one SNMP request."
    )
    ntcip_retries: int = Field(
        default=1, ge=0, le=5, description="SNMP requests sent again to a sign that is silent."
    )
    ntcip_rate_per_second: float = Field(default=100.0, gt=0, description="Signs written a second.")
    delivery_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a worker holds a batch before another may take it over.",
    )
    dispatch_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        description="How often the dispatcher looks at the outbox when no commit woke it.",
    )
    retry_base_seconds: float = Field(
        default=2.0, gt=0, description="First retry waits up to this; each next one doubles."
    )

    @field_validator("cap_signing_cert", "ipaws_cert")
    @classmethod
    def _key_and_certificate_together(cls, cert: Path | None, info: ValidationInfo) -> Path | None:
        """A key without its certificate (or the other way) would quietly sign nothing."""
        key_field = PAIRED_KEYS[str(info.field_name)]
        key = info.data.get(key_field)
        variable = f"BLUEALERT_{key_field.upper()}"
        if key is not None and cert is None:
            raise ValueError(f"{variable} is set: set its certificate too (both or neither)")
        if cert is not None and key is None and key_field in info.data:
            raise ValueError(f"set {variable} too: a certificate signs nothing without its key")
        return cert

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, url: str | None) -> str | None:
        """SQLite or PostgreSQL (through psycopg 3, the driver bluealert ships with)."""
        if not url:
            return None
        scheme, separator, rest = url.partition("://")
        if not separator:
            raise ValueError("write a URL such as postgresql://user@host:5432/bluealert")
        if scheme in {"postgres", "postgresql", "postgresql+psycopg"}:
            return f"postgresql+psycopg://{rest}"
        if scheme == "sqlite":
            return url
        raise ValueError(
            f"bluealert runs on SQLite or PostgreSQL, not {scheme!r}; "
            "e.g. postgresql://user@host:5432/bluealert"
        )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'bluealert.db').resolve()}"

    @property
    def photo_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def generated_vapid_key(self) -> Path:
        """Where the node's own VAPID key lives when none is configured."""
        return self.data_dir / "vapid-key.pem"

    @property
    def generated_webhook_key(self) -> Path:
        """Where the node's own webhook signing key lives when none is configured."""
        return self.data_dir / "webhook-signing-key.pem"

    @property
    def generated_audit_key(self) -> Path:
        """Where the node's own audit key lives when no key is configured."""
        return self.data_dir / "audit-signing-key.pem"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; a bad value is refused naming its variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = [
            f"BLUEALERT_{'_'.join(map(str, e['loc'])).upper()}: {rule_of(e['msg'])}"
            for e in error.errors()
        ]
        raise InvalidInput("; ".join(problems)) from error
