"""PostgreSQL LISTEN/NOTIFY: how scale-out dispatchers learn of a commit to the outbox at once.

`Outbox.add` runs `NOTIFY bluealert_outbox` inside the change's transaction; PostgreSQL delivers
it to every listener when, and only if, that transaction commits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import psycopg
from sqlalchemy.engine import make_url

from bluealert.store.outbox import NOTIFY_CHANNEL


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def outbox_commits(url: str) -> AsyncIterator[None]:
    """Yields once per notification (several commits may arrive as several yields)."""
    async with await psycopg.AsyncConnection.connect(_libpq_url(url), autocommit=True) as conn:
        await conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        async for _ in conn.notifies():
            yield None
