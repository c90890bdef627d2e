"""schemathesis against /api/openapi.json: generated requests to every operation, signed in
as an admin (with an API key) on a small network. No answer may be a 5xx, and every answer
must match what the document declares (status, content type, body schema, headers).

Bounded: a few examples per operation, so that it runs in `make test` in a minute or two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bluealert.app import accounts
from bluealert.config import Settings
from bluealert.domain.accounts import ApiScope
from bluealert.web import create_app
from tests.conftest import Clock
from tests.integration.web.access_world import build_world
from tests.integration.web.conftest import FAST_HASHING

SIGNED_IN: dict[str, str] = {}
EXAMPLES = 6
# The two demands: no 5xx, and every answer as the document declares it. (Whether a
# request the schema allows is accepted is not one: "a latitude within ±90" is a rule the
# document states in words, not in the schema.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    clock = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    world = build_world(tmp_path_factory.mktemp("fuzz") / "data", clock)
    settings_ = Settings(
        data_dir=world.data_dir, login_rate_per_minute=10_000, public_write_rate_per_minute=10_000
    ).model_copy(update=FAST_HASHING)
    app = create_app(settings_, clock=clock, background=False)
    key = accounts.create_api_key(
        app.state.web.ctx,
        actor="admin",
        name="fuzz",
        owner_kind="user",
        owner="admin",
        scopes=[ApiScope.READ, ApiScope.WRITE],
    )
    SIGNED_IN["authorization"] = f"Bearer {key.secret}"
    return from_asgi("/api/openapi.json", app)


def _fuzz(operation: Any) -> str | None:
    """Generated cases for one operation; the first failure, described, or None."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=dict(SIGNED_IN), checks=CHECKS)

    try:
        run()
    except Exception as error:  # every failure is collected, then reported together
        return f"{operation.label}: {type(error).__name__}: {str(error)[:1500]}"
    return None


def test_every_operation_answers_as_documented(api_schema: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 60
    failures = [found for op in operations if (found := _fuzz(op)) is not None]
    assert failures == [], "\n\n".join(failures)


def test_the_document_is_openapi_31(api_schema: Any) -> None:
    assert api_schema.raw_schema["openapi"].startswith("3.1")
