"""Partners, converted to and from rows. Repositories never commit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bluealert.domain.partner import Partner
from bluealert.errors import InvalidInput, NotFound
from bluealert.store.tables import PartnerRow


@dataclass(frozen=True, slots=True)
class StoredPartner:
    id: int
    partner: Partner
    enabled: bool
    created_at: datetime
    disabled_at: datetime | None

    @property
    def recipient(self) -> str:
        return f"p{self.id}"


def _stored(row: PartnerRow) -> StoredPartner:
    partner = Partner.model_validate(
        {
            "name": row.name,
            "kind": row.kind,
            "area": row.area,
            "formats": row.formats,
            "tier": row.tier,
            "statuses": row.statuses,
            "channel": row.channel,
            "address": row.address,
            "secret": row.secret,
            "contact": row.contact,
            "sign": row.sign,
        }
    )
    return StoredPartner(row.id, partner, row.enabled, row.created_at, row.disabled_at)


class PartnerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, partner: Partner, now: datetime) -> StoredPartner:
        row = PartnerRow(
            name=partner.name,
            kind=partner.kind.value,
            area=partner.area.model_dump(mode="json"),
            formats=list(partner.formats),
            tier=partner.tier.value,
            statuses=[s.value for s in partner.statuses],
            channel=partner.channel,
            address=partner.address,
            secret=partner.secret,
            contact=partner.contact,
            sign=partner.sign.model_dump(mode="json") if partner.sign else None,
            enabled=True,
            created_at=now,
        )
        self.session.add(row)
        try:
            self.session.flush()
        except IntegrityError as error:
            raise InvalidInput(
                f"a partner named {partner.name!r} is already registered", field="name"
            ) from error
        return _stored(row)

    def _row(self, key: str) -> PartnerRow:
        query = select(PartnerRow).where(PartnerRow.name == key)
        if key.isdigit():
            query = select(PartnerRow).where(PartnerRow.id == int(key))
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"no partner {key!r}", field="partner")
        return row

    def get(self, key: str) -> StoredPartner:
        """A partner by its name or its numeric id."""
        return _stored(self._row(key))

    def by_ids(self, ids: list[int]) -> dict[int, StoredPartner]:
        rows = self.session.scalars(select(PartnerRow).where(PartnerRow.id.in_(ids)))
        return {row.id: _stored(row) for row in rows}

    def disable(self, key: str, now: datetime) -> StoredPartner:
        row = self._row(key)
        if row.enabled:
            row.enabled, row.disabled_at = False, now
        self.session.flush()
        return _stored(row)

    def listed(self, *, include_disabled: bool = True) -> list[StoredPartner]:
        query = select(PartnerRow).order_by(PartnerRow.name)
        if not include_disabled:
            query = query.where(PartnerRow.enabled)
        return [_stored(row) for row in self.session.scalars(query)]

    def enabled(self, batch: int = 500) -> Iterator[StoredPartner]:
        """Every enabled partner, read in pages so that thousands never sit in memory."""
        after = 0
        while True:
            rows = list(
                self.session.scalars(
                    select(PartnerRow)
                    .where(PartnerRow.enabled, PartnerRow.id > after)
                    .order_by(PartnerRow.id)
                    .limit(batch)
                )
            )
            yield from (_stored(row) for row in rows)
            if len(rows) < batch:
                return
            after = rows[-1].id
