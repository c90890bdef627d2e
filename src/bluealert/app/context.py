"""What every use case is handed: settings, the database, a clock and an id maker."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bluealert.app.doorbell import doorbell_address, ring
from bluealert.config import Settings
from bluealert.logs import get_logger
from bluealert.store import audit
from bluealert.store.activation_requests import ActivationRequestRepository
from bluealert.store.alerts import AlertRepository
from bluealert.store.engine import make_engine, session_factory
from bluealert.store.outbox import Outbox
from bluealert.store.photos import PhotoStore
from bluealert.store.users import UserRepository

log = get_logger("bluealert.app")


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class AppContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Callable[[], datetime] = utc_now
    make_id: Callable[[], str] = new_id
    # Called after a commit that wrote outbox rows: how the embedded dispatcher is woken at
    # once instead of polling. Called from the committing thread; listeners must be quick.
    outbox_listeners: list[Callable[[], None]] = field(default_factory=list)
    # How many committed transactions of this process changed something (wrote an audit
    # event): lets a cache see this process's own changes without asking the database.
    changes: int = 0


def open_app(settings: Settings, clock: Callable[[], datetime] = utc_now) -> AppContext:
    engine = make_engine(settings.resolved_database_url)
    ctx = AppContext(settings, engine, session_factory(engine), clock)
    address = doorbell_address(settings.data_dir)
    ctx.outbox_listeners.append(lambda: ring(address))  # a server's dispatcher, elsewhere
    return ctx


@dataclass
class Transaction:
    """One unit of work: repositories over one session, committed once by the use case."""

    session: Session
    ctx: AppContext
    alerts: AlertRepository = field(init=False)
    users: UserRepository = field(init=False)
    outbox: Outbox = field(init=False)
    requests: ActivationRequestRepository = field(init=False)
    photos: PhotoStore = field(init=False)
    committed_events: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.alerts = AlertRepository(self.session)
        self.users = UserRepository(self.session)
        self.outbox = Outbox(self.session)
        self.requests = ActivationRequestRepository(self.session)
        self.photos = PhotoStore(self.session, self.ctx.settings.photo_dir)

    def audit(
        self,
        action: str,
        *,
        actor: str,
        subject_type: str,
        subject_id: str,
        now: datetime,
        **data: Any,
    ) -> None:
        row = audit.record(
            self.session,
            at=now,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            data=data,
        )
        self.committed_events.append(
            {
                "action": action.replace(".", "_"),
                "actor": actor,
                subject_type: subject_id,
                "audit_seq": row.seq,
            }
        )


@contextmanager
def transaction(ctx: AppContext) -> Iterator[Transaction]:
    """Commit when the block ends normally; roll everything back when it raises.

    Each audit event is logged (with its `action` and ids) only once the commit succeeded.
    """
    with ctx.sessions() as session:
        with session.begin():
            tx = Transaction(session, ctx)
            yield tx
        if tx.committed_events:
            ctx.changes += 1
        for event in tx.committed_events:
            log.info(event["action"], extra=event)
        if tx.outbox.written:
            for listener in list(ctx.outbox_listeners):
                listener()
