"""Migrations that move data, from the revision before them, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, inspect, text

from bluealert.app.context import AppContext, open_app, transaction
from bluealert.config import Settings
from bluealert.domain.attestation import content_digest
from bluealert.store import migrate
from tests import factories as f
from tests.conftest import POSTGRES_ADMIN

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[AppContext]:
    """An app on an empty database of its own (not the session's migrated one)."""
    if backend == "sqlite":
        app = open_app(Settings(data_dir=tmp_path))
        yield app
        app.engine.dispose()
        return
    name = f"bluealert_migrate_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    app = open_app(
        Settings(data_dir=tmp_path, database_url=f"postgresql://postgres@127.0.0.1:5432/{name}")
    )
    yield app
    app.engine.dispose()
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _insert_old_alert(
    engine: Engine, alert_id: str, published: bool, content: dict[str, Any]
) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO alerts (id, reference, plan_state, state, status, author, created_at,"
                " reason) VALUES (:id, :ref, 'TX', :state, 'Actual', 'dep.odell', :at, '')"
            ),
            {
                "id": alert_id,
                "ref": f"TX-2026-{alert_id}",
                "state": "active" if published else "pending_approval",
                "at": NOW,
            },
        )
        connection.execute(
            text(
                "INSERT INTO alert_versions (alert_id, number, msg_type, content, created_at,"
                " created_by, published_at, note) VALUES (:id, 1, 'Alert', :content, :at,"
                " 'dep.odell', :published, '')"
            ),
            {
                "id": alert_id,
                "content": json.dumps(content),
                "at": NOW,
                "published": NOW if published else None,
            },
        )


def test_0004_moves_attestations_out_of_the_content(fresh: AppContext) -> None:
    migrate.upgrade(fresh.engine, "0003")
    with fresh.engine.begin() as connection:  # as the schema of 0003 holds a person
        connection.execute(
            text(
                "INSERT INTO users (username, display_name, roles, agency_ori, states, created_at)"
                " VALUES ('dep.odell', 'dep.odell', '[\"originator\"]', :ori, '[]', :at)"
            ),
            {"ori": f.ORI, "at": NOW},
        )
    given = [{"claim": "suspect_not_apprehended", "by": "sgt.reyes", "at": NOW.isoformat()}]
    facts = f.alert_content(NOW).model_dump(mode="json")
    for alert_id, published in (("0001", True), ("0002", False)):
        _insert_old_alert(fresh.engine, alert_id, published, {**facts, "attestations": given})
    migrate.upgrade(fresh.engine)
    assert migrate.schema_differences(fresh.engine) == []
    with transaction(fresh) as tx:
        active, pending = tx.alerts.get("TX-2026-0001"), tx.alerts.get("TX-2026-0002")
    # Published: kept, bound to version 1 and to the content as the domain digests it.
    [kept] = active.current.attestations
    assert (kept.claim.value, kept.by, kept.at, kept.version) == (
        "suspect_not_apprehended",
        "sgt.reyes",
        NOW,
        1,
    )
    expected = hashlib.sha256(
        json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    assert kept.content_sha256 == expected == content_digest(active.content)
    # Not yet approved: nothing shows who gave them, so they are dropped.
    assert pending.current.attestations == ()
    assert active.content == pending.content == f.alert_content(NOW)


def test_0009_gives_the_versions_written_before_it_no_notices(fresh: AppContext) -> None:
    migrate.upgrade(fresh.engine, "0008")
    with fresh.engine.begin() as connection:  # as the schema of 0008 holds them
        connection.execute(
            text(
                "INSERT INTO users (username, display_name, roles, agency_ori, states, created_at)"
                " VALUES ('dep.odell', 'dep.odell', '[\"originator\"]', :ori, '[]', :at)"
            ),
            {"ori": f.ORI, "at": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO alerts (id, reference, plan_state, state, status, author, created_at,"
                " reason) VALUES ('a8', 'TX-2026-0008', 'TX', 'draft', 'Actual', 'dep.odell',"
                " :at, '')"
            ),
            {"at": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO alert_versions (alert_id, number, msg_type, content, created_at,"
                " created_by, note, attestations, contributions) VALUES ('a8', 1, 'Alert',"
                " :content, :at, 'dep.odell', '', '[]', '[]')"
            ),
            {"content": json.dumps(f.alert_content(NOW).model_dump(mode="json")), "at": NOW},
        )
    migrate.upgrade(fresh.engine)
    assert migrate.current_revision(fresh.engine) >= "0009"  # head: 0009 or a later one
    assert migrate.schema_differences(fresh.engine) == []
    with transaction(fresh) as tx:
        assert tx.alerts.get("TX-2026-0008").current.notices == ()


def test_0014_indexes_the_links_between_alerts(fresh: AppContext) -> None:
    migrate.upgrade(fresh.engine)
    found = inspect(fresh.engine)
    indexed = {
        table: {tuple(i["column_names"]) for i in found.get_indexes(table)}
        for table in ("alerts", "activation_requests")
    }
    assert ("linked_alert_id",) in indexed["alerts"]
    assert ("source_alert_id",) in indexed["activation_requests"]
    assert migrate.schema_differences(fresh.engine) == []
