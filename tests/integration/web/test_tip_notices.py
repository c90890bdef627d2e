"""A tip from the public is made known at once to the alert's agency and its state's
coordinators: a count of unreviewed tips in the law-enforcement view, and a mail through a
real SMTP server (aiosmtpd on loopback) that never carries what the tip says."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi.testclient import TestClient

from bluealert.app.context import transaction
from bluealert.app.demo_data import seed_demo_people
from bluealert.config import Settings
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role
from bluealert.web import create_app
from tests.conftest import Clock
from tests.integration.web.conftest import FAST_HASHING, Web
from tests.integration.web.server_process import free_port

WITNESS = "Silver pickup, TX plate ABC-1234, heading north on I-35 past exit 468"
CONTACT = "witness@example.org, 555-0142"
PLACE = "I-35 northbound at exit 468, Denton"
TOLD = {"reyes@lpcso.example", "odell@lpcso.example", "kim@txdps.example"}
NOT_TOLD = {
    "other@agency.example",  # an originator of another agency
    "lee@ok.example",  # Oklahoma's coordinator
    "brooks@national.example",  # a national coordinator: reads every state's, told of none
    "admin@network.example",
}


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(  # noqa: N802 (aiosmtpd names its hooks so)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))  # type: ignore[arg-type]
        return "250 Message accepted"

    def parsed(self) -> list[EmailMessage]:
        return [message_from_bytes(data, policy=default) for _, data in self.messages]  # type: ignore[misc]


def _with_emails(web: Web) -> None:
    emails = {
        "sgt.reyes": "reyes@lpcso.example",
        "dep.odell": "odell@lpcso.example",
        "tx.kim": "kim@txdps.example",  # tx.patel, Texas' other coordinator, has none
        "ok.lee": "lee@ok.example",
        "natl.brooks": "brooks@national.example",
        "admin": "admin@network.example",
    }
    with transaction(web.ctx) as tx:
        for username, email in emails.items():
            tx.users.save(tx.users.get(username).model_copy(update={"email": email}))
        other = User(
            username="dep.other",
            display_name="Deputy of another agency",
            roles=frozenset({Role.ORIGINATOR}),
            agency_ori="OK0550000",
            email="other@agency.example",
        )
        tx.users.add(other, web.clock.now)


def _web(tmp_path: Path, clock: Clock, smtp_port: int) -> Iterator[Web]:
    settings = Settings(
        data_dir=tmp_path / "data", smtp_url=f"smtp://127.0.0.1:{smtp_port}", **FAST_HASHING
    )
    app = create_app(settings, clock=clock, background=False)
    with TestClient(app, base_url="https://testserver") as client:
        ctx = app.state.web.ctx
        seed_demo_people(ctx)
        web = Web(client, ctx, clock, settings.data_dir)
        _with_emails(web)
        yield web


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def mail_web(tmp_path: Path, clock: Clock, mailbox: tuple[Mailbox, int]) -> Iterator[Web]:
    yield from _web(tmp_path, clock, mailbox[1])


def _tip(web: Web) -> dict[str, Any]:
    return {
        "seen": WITNESS,
        "location": PLACE,
        "seen_at": (web.clock.now - timedelta(minutes=10)).isoformat(),
        "contact": CONTACT,
    }


def test_the_agency_and_the_state_coordinators_are_mailed(
    mail_web: Web, mailbox: tuple[Mailbox, int]
) -> None:
    alert = mail_web.active_alert()
    answer = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    assert answer.status_code == 201
    box = mailbox[0]
    recipients = [rcpt for rcpt, _ in box.messages]
    assert all(len(rcpt) == 1 for rcpt in recipients)  # nobody sees who else was told
    assert {rcpt[0] for rcpt in recipients} == TOLD
    assert not {rcpt[0] for rcpt in recipients} & NOT_TOLD
    for message in box.parsed():
        assert message["To"] in TOLD
        assert message["From"] == Settings(data_dir=mail_web.data_dir).mail_from
        assert message["Subject"] == f"New tip on Blue Alert {alert.reference} (1 unreviewed)"
        text = message.get_content()
        assert f"bluealert tips list {alert.reference} --unreviewed" in text
        for said in (WITNESS, CONTACT, PLACE, "ABC-1234", "555-0142"):
            assert said not in text
            assert said not in str(message)


def test_each_new_tip_says_how_many_wait(mail_web: Web, mailbox: tuple[Mailbox, int]) -> None:
    alert = mail_web.active_alert()
    for _ in range(2):
        mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    subjects = [m["Subject"] for m in mailbox[0].parsed() if m["To"] == "kim@txdps.example"]
    assert subjects == [
        f"New tip on Blue Alert {alert.reference} (1 unreviewed)",
        f"New tip on Blue Alert {alert.reference} (2 unreviewed)",
    ]


def test_law_enforcement_sees_the_unreviewed_count_and_the_public_does_not(
    mail_web: Web,
) -> None:
    alert = mail_web.active_alert()
    coordinator = mail_web.sign_in("tx.kim")
    url = f"/api/v1/alerts/{alert.reference}/restricted"
    before = coordinator.client.get(url)
    assert before.json()["unreviewed_tips"] == 0
    posted = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    after = coordinator.client.get(url, headers={"if-none-match": before.headers["etag"]})
    assert after.status_code == 200  # the count changed: not "not modified"
    assert after.json()["unreviewed_tips"] == 1
    listed = coordinator.client.get("/api/v1/restricted/alerts").json()["alerts"]
    assert [(a["reference"], a["unreviewed_tips"]) for a in listed] == [(alert.reference, 1)]
    review = f"/api/v1/alerts/{alert.reference}/tips/{posted.json()['id']}/review"
    assert coordinator.client.post(review, json={}, headers=coordinator.headers()).is_success
    assert coordinator.client.get(url).json()["unreviewed_tips"] == 0
    public = mail_web.client.get(f"/api/v1/alerts/{alert.reference}").text
    assert "unreviewed" not in public
    assert WITNESS not in public


def test_a_new_tip_is_no_reason_to_refuse_an_update_by_etag(mail_web: Web) -> None:
    alert = mail_web.active_alert()
    coordinator = mail_web.sign_in("tx.kim")
    read = coordinator.client.get(f"/api/v1/alerts/{alert.reference}/restricted")
    mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    content = read.json()["versions"][-1]["content"]
    update = coordinator.client.put(
        f"/api/v1/alerts/{alert.reference}",
        json={"content": content, "note": "same facts"},
        headers={**coordinator.headers(), "if-match": read.headers["etag"]},
    )
    assert update.status_code != 412, update.text
    stale = coordinator.client.put(
        f"/api/v1/alerts/{alert.reference}",
        json={"content": content, "note": "again"},
        headers={**coordinator.headers(), "if-match": read.headers["etag"]},
    )
    assert stale.status_code == 412  # the alert itself changed: refused as before


def test_a_mail_server_that_does_not_answer_loses_no_tip(
    tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    for web in _web(tmp_path, clock, free_port()):  # nothing listens there
        alert = web.active_alert()
        with caplog.at_level(logging.INFO, logger="bluealert.dispatch"):
            answer = web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(web))
        assert answer.status_code == 201
        failed = [r for r in caplog.records if r.getMessage() == "tip_notice_failed"]
        assert failed
        assert failed[0].alert == alert.reference  # type: ignore[attr-defined]
        assert WITNESS not in caplog.text
