"""Use cases for subscriptions: subscribe, unsubscribe, and who is inside an alert's area."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Subquery
from sqlalchemy.orm import Session

from bluealert.app.addresses import check_address
from bluealert.app.context import AppContext, transaction
from bluealert.domain.content import AreaRequest
from bluealert.domain.subscription import Subscription
from bluealert.geo.areas import normalise_area
from bluealert.geo.shapes import ring_polygon
from bluealert.geo.subscription_areas import points_in_area, subscription_reach
from bluealert.store.subscriptions import (
    Candidate,
    StoredSubscription,
    SubscriptionRepository,
    sure_between,
)


@dataclass(frozen=True, slots=True)
class Match:
    subscription_id: int
    channel: str
    address: str
    language: str


def subscribe(
    ctx: AppContext, *, actor: str, subscription: Subscription, confirmed: bool = True
) -> int:
    """Store a subscription. Only a confirmed one receives alerts: an operator's is confirmed
    at once; the public site's double opt-in passes `confirmed=False`, then `confirm`."""
    check_address(ctx.settings, subscription.channel, subscription.address)
    reach = subscription_reach(subscription)
    if subscription.place_kind == "zip":
        # Kept on the row so that the ZIP is refined at its centroid, like a point.
        subscription = subscription.model_copy(update={"lat": reach.lat, "lon": reach.lon})
    now = ctx.clock()
    with transaction(ctx) as tx:
        new_id = SubscriptionRepository(tx.session).add(
            subscription,
            reach.counties,
            now,
            confirmed=confirmed,
            unsubscribe_token=secrets.token_urlsafe(24),
        )
        tx.audit(
            "subscription.added",
            actor=actor,
            subject_type="subscription",
            subject_id=str(new_id),
            now=now,
            channel=subscription.channel,
            place_kind=subscription.place_kind,
            counties=len(reach.counties),
            confirmed=confirmed,
        )
    return new_id


def forget_gone_subscriptions(ctx: AppContext, gone: dict[int, str], channel: str) -> list[int]:
    """Remove the subscriptions whose address the channel's service reports gone (a push
    subscription the browser dropped: 404 or 410), each audited with what the service said."""
    now = ctx.clock()
    with transaction(ctx) as tx:
        repository = SubscriptionRepository(tx.session)
        removed = repository.existing(list(gone))
        for subscription_id in removed:
            repository.remove(subscription_id)
            tx.audit(
                "subscription.removed",
                actor="dispatch",
                subject_type="subscription",
                subject_id=str(subscription_id),
                now=now,
                reason=f"the {channel} service reports it gone: {gone[subscription_id]}",
            )
    return removed


def confirm_subscription(ctx: AppContext, *, actor: str, subscription_id: int) -> None:
    now = ctx.clock()
    with transaction(ctx) as tx:
        SubscriptionRepository(tx.session).confirm(subscription_id, now)
        tx.audit(
            "subscription.confirmed",
            actor=actor,
            subject_type="subscription",
            subject_id=str(subscription_id),
            now=now,
        )


def unsubscribe_by_token(ctx: AppContext, token: str) -> bool:
    """RFC 8058 one-click: the token in the List-Unsubscribe link removes its subscription."""
    with transaction(ctx) as tx:
        found = SubscriptionRepository(tx.session).by_token(token)
    if found is None:
        return False
    unsubscribe(ctx, actor="one-click", subscription_id=found)
    return True


def list_subscriptions(
    ctx: AppContext, *, channel: str | None = None, after: int = 0, limit: int = 100
) -> list[StoredSubscription]:
    with transaction(ctx) as tx:
        return SubscriptionRepository(tx.session).listed(channel=channel, after=after, limit=limit)


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


def _points_meeting(area: BaseGeometry, candidates: list[Candidate]) -> list[Candidate]:
    lats = np.array([c.lat for c in candidates], dtype=np.float64)
    lons = np.array([c.lon for c in candidates], dtype=np.float64)
    radii = np.array([c.radius_km or 0.0 for c in candidates], dtype=np.float64)
    hits = points_in_area(area, lats, lons, radii)
    return [c for c, hit in zip(candidates, hits, strict=True) if hit]


def _shapes_meeting(area: BaseGeometry, candidates: list[Candidate]) -> list[Candidate]:
    shapes = [ring_polygon(c.polygon or []) for c in candidates]
    hits = shapely.intersects(area, shapes)
    return [c for c, hit in zip(candidates, hits, strict=True) if hit]


def _refine(area: BaseGeometry, batch: list[Candidate]) -> list[Candidate]:
    """Keep the candidates whose place truly meets the area; exact work only at the edges."""
    sure = [c for c in batch if c.sure]
    points = [c for c in batch if not c.sure and c.lat is not None and c.lon is not None]
    shapes = [c for c in batch if not c.sure and c.lat is None and c.polygon]
    if points:
        sure += _points_meeting(area, points)
    if shapes:
        sure += _shapes_meeting(area, shapes)
    return sure


def match_subscribers(
    ctx: AppContext, area: AreaRequest, batch: int = 5000
) -> Iterator[list[Match]]:
    """Everyone whose place meets the area, in batches, each subscription once."""
    with transaction(ctx) as tx:
        yield from matches_in(tx.session, area, batch)


@dataclass(frozen=True)
class AreaMatcher:
    """An alert's area made ready once for matching subscribers, page after page."""

    geometry: BaseGeometry
    counties: list[str]
    covered: list[str]  # FIPS of the counties the area covers whole

    @classmethod
    def of(cls, area: AreaRequest) -> AreaMatcher:
        normalised = normalise_area(area)
        shapely.prepare(normalised.geometry)
        return cls(
            normalised.geometry,
            [s.county.fips for s in normalised.counties],
            [s.county.fips for s in normalised.counties if s.covered],
        )

    def refined(self, candidates: list[Candidate]) -> list[Match]:
        return [
            Match(c.id, c.channel, c.address, c.language)
            for c in _refine(self.geometry, candidates)
        ]

    def last(self, session: Session) -> int | None:
        """The highest subscription id that may be inside the area (None: nobody)."""
        return SubscriptionRepository(session).last_reaching(self.counties)

    def sure_between(self, after: int, through: int) -> Subquery:
        """The subscriptions after `after` up to `through` surely inside the area, without
        looking at their shapes: a subquery, for the database to plan them itself."""
        return sure_between(self.counties, self.covered, after, through)

    def between(self, session: Session, after: int, through: int) -> tuple[list[Match], int]:
        """Who else is inside the area among subscriptions after `after` up to `through` (those
        at its edges, matched against its shape here), and how many were looked at."""
        repository = SubscriptionRepository(session)
        candidates, looked = repository.candidates_between(
            self.counties, self.covered, after, through
        )
        return self.refined(candidates), looked


def matches_in(session: Session, area: AreaRequest, batch: int = 5000) -> Iterator[list[Match]]:
    """`match_subscribers` inside the caller's transaction (the planner writes as it reads)."""
    matcher = AreaMatcher.of(area)
    repository = SubscriptionRepository(session)
    for candidates in repository.candidates(matcher.counties, matcher.covered, batch):
        found = matcher.refined(candidates)
        if found:
            yield found
