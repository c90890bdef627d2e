"""Use cases for dissemination partners: register, list, show, disable."""

from __future__ import annotations

from bluealert.app.addresses import check_address
from bluealert.app.context import AppContext, transaction
from bluealert.domain.partner import Partner
from bluealert.store.partners import PartnerRepository, StoredPartner


def add_partner(ctx: AppContext, *, actor: str, partner: Partner) -> StoredPartner:
    check_address(ctx.settings, partner.channel, partner.address)
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.get(actor)  # an operator who exists; the API issue adds the admin role check
        stored = PartnerRepository(tx.session).add(partner, now)
        tx.audit(
            "partner.added",
            actor=actor,
            subject_type="partner",
            subject_id=str(stored.id),
            now=now,
            name=partner.name,
            kind=partner.kind.value,
            tier=partner.tier.value,
            channel=partner.channel,
            area=partner.area.describe(),
            statuses=[s.value for s in partner.statuses],
        )
    return stored


def disable_partner(ctx: AppContext, *, actor: str, key: str) -> StoredPartner:
    now = ctx.clock()
    with transaction(ctx) as tx:
        tx.users.get(actor)
        stored = PartnerRepository(tx.session).disable(key, now)
        tx.audit(
            "partner.disabled",
            actor=actor,
            subject_type="partner",
            subject_id=str(stored.id),
            now=now,
            name=stored.partner.name,
        )
    return stored


def get_partner(ctx: AppContext, key: str) -> StoredPartner:
    with transaction(ctx) as tx:
        return PartnerRepository(tx.session).get(key)


def list_partners(ctx: AppContext) -> list[StoredPartner]:
    with transaction(ctx) as tx:
        return PartnerRepository(tx.session).listed()
