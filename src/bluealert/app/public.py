"""What the public may read: alerts that went out, filtered like the NWS alerts API.

Only Actual alerts that were activated are public; exercises, tests, drafts, pending and
rejected alerts never are. Callers render the public view (`domain.tiers.public_view`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from bluealert.app.context import AppContext, transaction
from bluealert.domain.alert import Alert
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.vocabulary import AlertState, Status
from bluealert.errors import NotFound
from bluealert.geo.areas import normalise_area
from bluealert.geo.subscription_areas import points_in_area
from bluealert.store.audit import last_seq

PUBLIC_STATES = (AlertState.ACTIVE, AlertState.CANCELLED, AlertState.RESOLVED, AlertState.EXPIRED)


@dataclass(frozen=True)
class PublicFilter:
    """NWS-like filters: `area=TX` is `state`, `zone`/`county` a county FIPS, `point` lat,lon."""

    active_only: bool = False
    state: str | None = None
    county: str | None = None
    point: tuple[float, float] | None = None
    since: datetime | None = None


def _sent(alert: Alert) -> datetime:
    version = alert.current
    return version.published_at or version.created_at


def _meets(alert: Alert, wanted: PublicFilter) -> bool:
    if wanted.since is not None and _sent(alert) < wanted.since:
        return False
    if wanted.state is None and wanted.county is None and wanted.point is None:
        return True
    area = normalise_area(alert.content.area)
    fips = [share.county.fips for share in area.counties]
    if wanted.state is not None:
        prefix = jurisdiction(wanted.state).fips
        if not any(code.startswith(prefix) for code in fips):
            return False
    if wanted.county is not None and wanted.county not in fips:
        return False
    if wanted.point is not None:
        lat, lon = wanted.point
        one = np.array([lat]), np.array([lon]), np.array([0.0])
        return bool(points_in_area(area.geometry, *one)[0])
    return True


def public_alerts(ctx: AppContext, wanted: PublicFilter) -> list[Alert]:
    """Public alerts meeting the filter, the most recently sent first."""
    states = (AlertState.ACTIVE,) if wanted.active_only else PUBLIC_STATES
    with transaction(ctx) as tx:
        found = tx.alerts.published(states=states, status=Status.ACTUAL.value)
    now = ctx.clock()
    if wanted.active_only:  # the expiry sweep runs on a timer; never show what is past due
        found = [a for a in found if a.expires_at is None or a.expires_at > now]
    return sorted((a for a in found if _meets(a, wanted)), key=_sent, reverse=True)


def public_alert(ctx: AppContext, key: str) -> Alert:
    """One public alert by reference or id; anything not public is 'not found', not 'refused'."""
    with transaction(ctx) as tx:
        alert = tx.alerts.get(key)
    if alert.state not in PUBLIC_STATES or alert.status is not Status.ACTUAL:
        raise NotFound(f"no public alert {key!r}")
    return alert


def public_photo(ctx: AppContext, sha256: str) -> tuple[str, bytes]:
    """A suspect photo that a public alert shows (CAP <resource> links here), and its type."""
    for alert in public_alerts(ctx, PublicFilter()):
        for suspect in alert.content.suspects:
            for photo in suspect.photos:
                if photo.sha256 == sha256:
                    with transaction(ctx) as tx:
                        return photo.media_type, tx.photos.read(sha256)
    raise NotFound(f"no public photo {sha256}")


def alerts_by_state(ctx: AppContext) -> dict[str, int]:
    """How many alerts are in each lifecycle state (for the metrics)."""
    with transaction(ctx) as tx:
        counts = tx.alerts.count_by_state()
    return {state.value: counts.get(state.value, 0) for state in AlertState}


def change_marker(ctx: AppContext) -> int:
    """A number that changes with every state change (each writes an audit event): a cheap
    test of whether a cached public answer is still current."""
    with transaction(ctx) as tx:
        return last_seq(tx.session)
