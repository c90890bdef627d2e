"""PUT /alerts/{ref} names its base (issue 8): `base` in the body (409 stale-version naming the
current version) or the ETag as If-Match (412); neither is a 428; a refusal changes nothing."""

from __future__ import annotations

from typing import Any

from tests.integration.web.conftest import SignedIn, Web
from tests.integration.web.test_alert_api import _active, people

__all__ = ["people"]  # the fixture, used by name


def _update(signed: SignedIn, reference: str, contact: str, **extra: Any) -> Any:
    seen = signed.client.get(f"/api/v1/alerts/{reference}/restricted").json()
    content = seen["versions"][-1]["content"] | {"contact": contact}
    body = {"content": content, "note": contact} | extra.pop("body", {})
    headers = signed.headers() | extra.pop("headers", {})
    return signed.client.put(f"/api/v1/alerts/{reference}", json=body, headers=headers)


def _restricted(signed: SignedIn, reference: str) -> Any:
    return signed.client.get(f"/api/v1/alerts/{reference}/restricted").json()


def test_an_update_naming_no_base_is_a_428_and_changes_nothing(
    web: Web, people: dict[str, SignedIn]
) -> None:
    reference = _active(web, people)
    kim = people["tx.kim"]
    before = _restricted(kim, reference)
    refused = _update(kim, reference, "Call 911 or DPS")
    assert refused.status_code == 428
    problem = refused.json()
    assert (problem["type"], problem["field"]) == ("/problems/precondition-required", "base")
    assert "base (its number) in the body, or the alert's ETag as If-Match" in problem["detail"]
    assert _restricted(kim, reference) == before


def test_an_update_from_a_base_no_longer_current_is_a_409_naming_the_current_version(
    web: Web, people: dict[str, SignedIn]
) -> None:
    reference = _active(web, people)
    kim, patel = people["tx.kim"], people["tx.patel"]
    first = _update(patel, reference, "Call 911 or DPS", body={"base": 1})
    assert first.status_code == 200, first.text
    assert [v["number"] for v in first.json()["versions"]] == [1, 2]
    before = _restricted(kim, reference)
    second = _update(kim, reference, "Call 911 or TxDOT", body={"base": 1})
    assert second.status_code == 409
    problem = second.json()
    assert problem["type"] == "/problems/stale-version"
    assert (problem["field"], problem["current_version"]) == ("base", 2)
    assert problem["detail"].startswith(f"base: {reference} is at version 2 (written by tx.patel")
    assert _restricted(kim, reference) == before


def test_base_and_if_match_are_both_checked(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    kim = people["tx.kim"]
    etag = kim.client.get(f"/api/v1/alerts/{reference}/restricted").headers["etag"]
    moved = _update(kim, reference, "Call 911 or DPS", body={"base": 1})
    assert moved.status_code == 200, moved.text
    # The base is current (2), but the ETag is version 1's: refused as the ETag says.
    stale_tag = _update(kim, reference, "Call 911", body={"base": 2}, headers={"if-match": etag})
    assert stale_tag.status_code == 412
    assert stale_tag.json()["type"] == "/problems/precondition-failed"
    fresh = kim.client.get(f"/api/v1/alerts/{reference}/restricted").headers["etag"]
    both = _update(kim, reference, "Call 911", body={"base": 2}, headers={"if-match": fresh})
    assert both.status_code == 200, both.text
    assert both.json()["versions"][-1]["number"] == 3


def test_a_base_that_is_no_version_number_is_a_422(web: Web, people: dict[str, SignedIn]) -> None:
    reference = _active(web, people)
    refused = _update(people["tx.kim"], reference, "Call 911", body={"base": 0})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["base"]
