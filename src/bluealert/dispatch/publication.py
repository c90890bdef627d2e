"""One published version as the engine hands it out: rendered once, split by tier.

A recipient of the public tier is handed a `TierMessage` built from the public facts only;
the law-enforcement facts never enter it, so no channel can leak them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bluealert.domain.alert import Alert
from bluealert.domain.content import AlertContent
from bluealert.domain.delivery import Event
from bluealert.domain.partner import RESTRICTED_FORMATS, Tier
from bluealert.domain.tiers import public_view
from bluealert.domain.vocabulary import MsgType, Status
from bluealert.formats.cancellation import Cancellation, cancellation_of
from bluealert.formats.public_text import compose_public_text
from bluealert.geo.areas import normalise_area

PHOTO = "photo"  # the first suspect photo, kept beside the renderings for the email channel


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: built once, cached
class TierMessage:
    """What one tier may see of one version: its document, formats and texts."""

    tier: Tier
    alert_id: str
    reference: str
    version: int
    event: Event
    msg_type: MsgType
    status: Status
    states: tuple[str, ...]
    counties: tuple[str, ...]  # FIPS
    county_states: tuple[str, ...]  # the state of each county, in the same order
    earlier_counties: tuple[str, ...]  # the previous version's counties (for MQTT clearing)
    earlier_county_states: tuple[str, ...]
    expires_at: datetime | None
    document: dict[str, Any]
    formats: dict[str, bytes]
    refused: dict[str, str]
    texts: dict[str, dict[str, str]]  # language → headline, description, instruction
    photo: tuple[bytes, str] | None = None  # (content, media type)
    # The public facts and the Cancel, for a channel that composes per recipient (a sign's
    # pages depend on its face): never the law-enforcement content, whatever the tier.
    public_content: AlertContent | None = None
    cancellation: Cancellation | None = None

    @property
    def live(self) -> bool:
        """An alert in force (publish, update), as opposed to a cancel, resolve or expiry."""
        return not self.event.ends_alert


@dataclass(frozen=True)
class Publication:
    public: TierMessage
    restricted: TierMessage
    renderings: dict[str, bytes] = field(default_factory=dict)

    def view(self, tier: Tier) -> TierMessage:
        return self.restricted if tier is Tier.LAW_ENFORCEMENT else self.public


def as_of(alert: Alert, number: int) -> Alert:
    """The alert as it stood when version `number` was published."""
    return alert.model_copy(update={"versions": alert.versions[:number]})


def _texts(content: AlertContent, cancelled: Cancellation | None) -> dict[str, dict[str, str]]:
    texts = {}
    for language in ("en", "es"):
        t = compose_public_text(content, language, cancelled=cancelled)
        texts[language] = {
            "headline": t.headline or "",
            "description": t.description or "",
            "instruction": t.instruction or "",
        }
    return texts


def area_facts(content: AlertContent) -> dict[str, Any]:
    area = normalise_area(content.area)
    return {
        "description": area.description,
        "same": area.same_codes,
        "counties": [s.county.fips for s in area.counties],
        "county_states": [s.county.state for s in area.counties],
        "states": sorted({s.county.state for s in area.counties}),
    }


def _public_document(
    alert: Alert, number: int, event: Event, texts: dict[str, Any]
) -> dict[str, Any]:
    version = alert.versions[number - 1]
    content = public_view(version.content)
    return {
        "id": alert.id,
        "reference": alert.reference,
        "version": number,
        "event": event.value,
        "msgType": version.msg_type.value,
        "status": content.status.value,
        "kind": content.kind.value,
        "sent": (version.published_at or version.created_at).isoformat(),
        "expires": alert.expires_at.isoformat() if alert.expires_at else None,
        "texts": texts,
        "area": {k: v for k, v in area_facts(content).items() if k != "county_states"},
        "officers": [
            {"status": o.status.value, "agency": o.agency.name, "name": o.name, "rank": o.rank}
            for o in content.officers
        ],
        "suspects": [s.model_dump(mode="json", exclude={"photos"}) for s in content.suspects],
        "vehicles": [v.model_dump(mode="json") for v in content.vehicles],
        "instructions": content.instructions,
        "contact": content.contact,
    }


def _restricted_document(
    alert: Alert, number: int, event: Event, texts: dict[str, Any]
) -> dict[str, Any]:
    version = alert.versions[number - 1]
    document = _public_document(alert, number, event, texts)
    document["content"] = version.content.model_dump(mode="json")
    document["note"] = version.note
    document["reason"] = alert.reason  # the coordinator's own words: never in public
    return document


def build_publication(
    alert: Alert,
    number: int,
    event: Event,
    rendered: dict[str, tuple[bytes | None, str | None]],
    photo_type: str | None = None,
) -> Publication:
    """Split one version's renderings and facts into the public and the restricted message."""
    frozen = as_of(alert, number)
    version = frozen.current
    content = version.content
    # A Cancel version's texts say it is over (and how, when resolved); an expiry sends the
    # last version's texts under the type `alert.expired`.
    cancelled = cancellation_of(frozen, number)
    texts = _texts(content, cancelled)
    area = area_facts(content)
    earlier = area_facts(frozen.versions[-2].content) if number > 1 else area
    formats = {k: v for k, (v, _) in rendered.items() if v is not None and k != PHOTO}
    refused = {k: r for k, (_, r) in rendered.items() if r is not None}
    photo_bytes = rendered.get(PHOTO, (None, None))[0]
    photo = (photo_bytes, photo_type or "image/jpeg") if photo_bytes else None

    def message(tier: Tier, document: dict[str, Any], allowed: dict[str, bytes]) -> TierMessage:
        return TierMessage(
            tier=tier,
            alert_id=alert.id,
            reference=alert.reference,
            version=number,
            event=event,
            msg_type=version.msg_type,
            status=content.status,
            states=tuple(area["states"]),
            counties=tuple(area["counties"]),
            county_states=tuple(area["county_states"]),
            earlier_counties=tuple(earlier["counties"]),
            earlier_county_states=tuple(earlier["county_states"]),
            expires_at=alert.expires_at,
            document=document,
            formats=allowed,
            refused=refused,
            texts=texts,
            photo=photo,
            public_content=public_view(content),
            cancellation=cancelled,
        )

    public_formats = {k: v for k, v in formats.items() if k not in RESTRICTED_FORMATS}
    return Publication(
        public=message(Tier.PUBLIC, _public_document(frozen, number, event, texts), public_formats),
        restricted=message(
            Tier.LAW_ENFORCEMENT, _restricted_document(frozen, number, event, texts), formats
        ),
        renderings=formats,
    )
