"""Each format of each published version, rendered once and kept for every worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bluealert.store.rows import insert_if_missing
from bluealert.store.tables import RenderingRow


class RenderingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def stored_formats(self, alert_id: str, version: int) -> set[str]:
        return set(
            self.session.scalars(
                select(RenderingRow.format).where(
                    RenderingRow.alert_id == alert_id, RenderingRow.version == version
                )
            )
        )

    def add(
        self,
        alert_id: str,
        version: int,
        name: str,
        now: datetime,
        *,
        content: bytes | None = None,
        refusal: str | None = None,
    ) -> None:
        insert_if_missing(
            self.session,
            RenderingRow,
            alert_id=alert_id,
            version=version,
            format=name,
            content=content,
            refusal=refusal,
            rendered_at=now,
        )

    def of_version(self, alert_id: str, version: int) -> dict[str, tuple[bytes | None, str | None]]:
        """Format name → (content, refusal)."""
        rows = self.session.execute(
            select(RenderingRow.format, RenderingRow.content, RenderingRow.refusal).where(
                RenderingRow.alert_id == alert_id, RenderingRow.version == version
            )
        )
        return {r[0]: (r[1], r[2]) for r in rows}
