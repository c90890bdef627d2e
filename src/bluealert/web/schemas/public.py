"""What the public sees of an alert: the public tier only, by construction.

`AlertContentPublic` has no field for law-enforcement notes or attestations, and its officers
come through `domain.tiers.public_view` (names withheld until released), so no route can
leak them by forgetting a filter.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from bluealert.domain.alert import Alert
from bluealert.domain.content import (
    Agency,
    AreaRequest,
    Incident,
    Officer,
    PublicTexts,
    Suspect,
    Vehicle,
)
from bluealert.domain.registry import plan_for
from bluealert.domain.tiers import public_view
from bluealert.domain.vocabulary import AlertKind, AlertState, MsgType, Resolution, Status
from bluealert.formats.cancellation import cancellation_of
from bluealert.formats.cap.area import cap_area_from_request
from bluealert.formats.cap.build import expires_at, identifier
from bluealert.formats.public_text import compose_public_text


class AlertContentPublic(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: AlertKind
    status: Status
    plan: str
    requesting_agency: Agency
    incident: Incident
    officers: list[Officer]
    suspects: list[Suspect]
    vehicles: list[Vehicle]
    instructions: str
    contact: str
    area: AreaRequest
    public_text: PublicTexts


class AlertPublic(BaseModel):
    """One alert as the public sees it, at its current version."""

    reference: str = Field(examples=["TX-2026-0007"])
    state: AlertState
    version: int
    msg_type: MsgType
    sent: datetime
    expires: datetime
    ended_at: datetime | None = None
    resolution: Resolution | None = None
    headline: str
    description: str
    instruction: str
    area_description: str
    same_codes: list[str]
    cap_identifier: str
    cap_url: str
    content: AlertContentPublic

    @classmethod
    def of(cls, alert: Alert, base_url: str) -> AlertPublic:
        version = alert.current
        content = public_view(version.content)
        texts = compose_public_text(content, "en", cancelled=cancellation_of(alert))
        area = cap_area_from_request(content.area)
        cap_id = identifier(alert, version.number, "Public")
        shown = {name: getattr(content, name) for name in AlertContentPublic.model_fields}
        return cls(
            reference=alert.reference,
            state=alert.state,
            version=version.number,
            msg_type=version.msg_type,
            sent=version.published_at or version.created_at,
            expires=expires_at(alert, version, plan_for(alert.plan)),
            ended_at=alert.ended_at,
            resolution=alert.resolution,
            headline=texts.headline or "",
            description=texts.description or "",
            instruction=texts.instruction or "",
            area_description=area.description,
            same_codes=area.same_codes,
            cap_identifier=cap_id,
            cap_url=f"{base_url}/cap/{cap_id}.xml",
            content=AlertContentPublic(**shown),
        )


class AlertsPublic(BaseModel):
    """A page of public alerts, the most recently sent first."""

    alerts: list[AlertPublic]
    next_cursor: str | None = Field(
        default=None, description="Pass as `cursor` for the next page; null on the last page."
    )
