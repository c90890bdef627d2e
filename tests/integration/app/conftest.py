"""Use cases on a real store (SQLite and PostgreSQL): people seeded, alerts taken through steps."""

from __future__ import annotations

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.domain.alert import Alert
from bluealert.domain.vocabulary import Claim
from tests import factories as f

TX_CLAIMS = [
    Claim.OFFICER_STATUS_CONFIRMED,
    Claim.SUSPECT_NOT_APPREHENDED,
    Claim.SUSPECT_POSES_SERIOUS_RISK,
]


def seed_people(ctx: AppContext) -> None:
    """The test people, written straight into the store (the users use cases have their own)."""
    with transaction(ctx) as tx:
        for user in f.ALL_USERS:
            tx.users.add(user, ctx.clock())


def drafted(ctx: AppContext, author: str = "dep.odell", **overrides: object) -> Alert:
    content = f.alert_content(ctx.clock(), **overrides)
    return use_cases.draft_alert(ctx, actor=author, content=content)


def pending(ctx: AppContext, author: str = "dep.odell", **overrides: object) -> Alert:
    alert = drafted(ctx, author, **overrides)
    submitted, _ = use_cases.submit_alert(
        ctx, actor="sgt.reyes", key=alert.reference, attest=TX_CLAIMS
    )
    return submitted


def active(ctx: AppContext, **overrides: object) -> Alert:
    return use_cases.approve_alert(ctx, actor="tx.kim", key=pending(ctx, **overrides).reference)
