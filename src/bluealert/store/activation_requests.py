"""Cross-state activation requests, kept as their domain value's JSON."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bluealert.domain.activation import ActivationRequest
from bluealert.errors import NotFound
from bluealert.store.tables import ActivationRequestRow


class ActivationRequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def save(self, request: ActivationRequest) -> None:
        row = self.session.get(ActivationRequestRow, request.id) or ActivationRequestRow(
            id=request.id
        )
        row.source_alert_id, row.to_state = request.source_alert_id, request.to_state
        row.state, row.body = request.state.value, request.model_dump(mode="json")
        self.session.add(row)
        self.session.flush()

    def get(self, request_id: str, *, for_update: bool = True) -> ActivationRequest:
        row = self.session.get(
            ActivationRequestRow,
            request_id,
            with_for_update=for_update,
            populate_existing=for_update,
        )
        if row is None:
            raise NotFound(f"no activation request {request_id!r}")
        return ActivationRequest.model_validate(row.body)

    def for_state(self, state: str) -> list[ActivationRequest]:
        rows = self.session.scalars(
            select(ActivationRequestRow).where(ActivationRequestRow.to_state == state)
        )
        return [ActivationRequest.model_validate(r.body) for r in rows]

    def for_alert(self, alert_id: str, *, for_update: bool = False) -> list[ActivationRequest]:
        """The requests an alert's state made to others about it."""
        query = select(ActivationRequestRow).where(ActivationRequestRow.source_alert_id == alert_id)
        if for_update:  # an answer given meanwhile is read, not overwritten
            query = query.with_for_update().execution_options(populate_existing=True)
        return [ActivationRequest.model_validate(r.body) for r in self.session.scalars(query)]
