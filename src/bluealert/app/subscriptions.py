"""Use cases for subscriptions: subscribe, unsubscribe, and who is inside an alert's area."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from shapely.geometry import Polygon
from shapely.prepared import prep

from bluealert.app.context import AppContext, transaction
from bluealert.domain.content import AreaRequest
from bluealert.domain.subscription import Subscription
from bluealert.geo.areas import NormalisedArea, normalise_area
from bluealert.geo.subscription_areas import points_in_area, subscription_reach
from bluealert.store.subscriptions import Candidate, SubscriptionRepository

WHOLE = 0.995


@dataclass(frozen=True, slots=True)
class Match:
    subscription_id: int
    channel: str
    address: str


def subscribe(ctx: AppContext, *, actor: str, subscription: Subscription) -> int:
    reach = subscription_reach(subscription)
    now = ctx.clock()
    with transaction(ctx) as tx:
        new_id = SubscriptionRepository(tx.session).add(subscription, reach.counties, now)
        tx.audit(
            "subscription.added",
            actor=actor,
            subject_type="subscription",
            subject_id=str(new_id),
            now=now,
            channel=subscription.channel,
            place_kind=subscription.place_kind,
            counties=len(reach.counties),
        )
    return new_id


def unsubscribe(ctx: AppContext, *, actor: str, subscription_id: int) -> None:
    now = ctx.clock()
    with transaction(ctx) as tx:
        SubscriptionRepository(tx.session).remove(subscription_id)
        tx.audit(
            "subscription.removed",
            actor=actor,
            subject_type="subscription",
            subject_id=str(subscription_id),
            now=now,
        )


def _refine(area: NormalisedArea, batch: list[Candidate], whole: set[str]) -> list[Candidate]:
    """Keep the candidates whose place truly meets the area; exact work only at the edges."""
    sure: list[Candidate] = []
    edge_points: list[Candidate] = []
    shapes: list[Candidate] = []
    for c in batch:
        if c.county_fips in whole or not c.partial:
            sure.append(c)
        elif c.lat is not None:
            edge_points.append(c)
        elif c.polygon:
            shapes.append(c)
    if edge_points:
        lats = np.array([c.lat for c in edge_points], dtype=np.float64)
        lons = np.array([c.lon for c in edge_points], dtype=np.float64)
        radii = np.array([c.radius_km or 0.0 for c in edge_points], dtype=np.float64)
        hits = points_in_area(area.geometry, lats, lons, radii)
        sure += [c for c, hit in zip(edge_points, hits, strict=True) if hit]
    if shapes:
        prepared = prep(area.geometry)
        sure += [
            c
            for c in shapes
            if prepared.intersects(Polygon([(lon, lat) for lat, lon in c.polygon or []]))
        ]
    return sure


def match_subscribers(
    ctx: AppContext, area: AreaRequest, batch: int = 5000
) -> Iterator[list[Match]]:
    """Everyone whose place meets the area, in batches, each subscription once."""
    normalised = normalise_area(area)
    whole = {s.county.fips for s in normalised.counties if s.share >= WHOLE}
    counties = [s.county.fips for s in normalised.counties]
    seen: set[int] = set()
    with transaction(ctx) as tx:
        for candidates in SubscriptionRepository(tx.session).candidates(counties, batch):
            found = []
            for c in _refine(normalised, candidates, whole):
                if c.id not in seen:
                    seen.add(c.id)
                    found.append(Match(c.id, c.channel, c.address))
            if found:
                yield found
