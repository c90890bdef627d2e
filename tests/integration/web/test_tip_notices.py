"""A tip from the public is made known at once to the alert's agency, its state's coordinators
and national coordinators: a count of unreviewed tips in the law-enforcement view, and a mail
through a real SMTP server (aiosmtpd on loopback) that never carries what the tip says, audited
as `tip.notified`."""

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

from bluealert.app.context import AppContext, transaction
from bluealert.app.demo_data import seed_demo_people
from bluealert.config import Settings
from bluealert.domain.people import User
from bluealert.domain.vocabulary import Role
from bluealert.store import audit
from bluealert.web import create_app
from tests.conftest import Clock
from tests.integration.web.conftest import FAST_HASHING, Web
from tests.integration.web.server_process import free_port

WITNESS = "Silver pickup, TX plate ABC-1234, heading north on I-35 past exit 468"
CONTACT = "witness@example.org, 555-0142"
PLACE = "I-35 northbound at exit 468, Denton"
TOLD = {
    "reyes@lpcso.example",
    "odell@lpcso.example",
    "kim@txdps.example",
    "brooks@national.example",  # a national coordinator, told as the state's are
}
TOLD_PEOPLE = ["dep.odell", "natl.brooks", "sgt.reyes", "tx.kim"]
NOT_TOLD = {
    "other@agency.example",  # an originator of another agency
    "lee@ok.example",  # Oklahoma's coordinator
    "admin@network.example",
}


class Mailbox:
    def __init__(self, refuse: frozenset[str] = frozenset()) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(  # noqa: N802 (aiosmtpd names its hooks so)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

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
def mailbox(request: pytest.FixtureRequest) -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(getattr(request, "param", frozenset())), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def mail_web(tmp_path: Path, clock: Clock, mailbox: tuple[Mailbox, int]) -> Iterator[Web]:
    yield from _web(tmp_path, clock, mailbox[1])


def _notified(ctx: AppContext, tip_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The `tip.notified` events of a tip: (actor, subject type, data)."""
    with transaction(ctx) as tx:
        return [
            (e.actor, e.subject_type, e.data)
            for e in audit.events(tx.session, subject_id=tip_id)
            if e.action == "tip.notified"
        ]


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


def test_a_mail_server_that_does_not_answer_loses_no_tip_and_the_audit_says_why(
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
        assert failed[0].action == "tip_notice_failed"  # type: ignore[attr-defined]
        assert WITNESS not in caplog.text
        tip_id = answer.json()["id"]
        listed = web.sign_in("tx.kim").client.get(f"/api/v1/alerts/{alert.reference}/tips")
        assert [t["id"] for t in listed.json()["tips"]] == [tip_id]  # kept
        [(_, _, data)] = _notified(web.ctx, tip_id)
        assert (data["to"], data["told"], data["refused"]) == (TOLD_PEOPLE, [], [])
        assert data["failed"].startswith("Error connecting to 127.0.0.1 on port ")


def test_the_notice_is_audited_by_the_names_of_those_told_never_their_addresses(
    mail_web: Web, mailbox: tuple[Mailbox, int]
) -> None:
    alert = mail_web.active_alert()
    answer = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    tip_id = answer.json()["id"]
    [(actor, subject_type, data)] = _notified(mail_web.ctx, tip_id)
    assert (actor, subject_type) == ("system", "tip")
    assert data == {
        "alert": alert.reference,
        "to": TOLD_PEOPLE,
        "told": TOLD_PEOPLE,
        "refused": [],
        "failed": None,
    }
    with transaction(mail_web.ctx) as tx:
        written = " ".join(str(e.data) for e in audit.events(tx.session))
        assert audit.verify(tx.session).ok
    for address in TOLD | NOT_TOLD:
        assert address not in written


@pytest.mark.parametrize("mailbox", [frozenset({"kim@txdps.example"})], indirect=True)
def test_an_address_the_server_refuses_is_logged_and_audited_and_the_others_are_told(
    mail_web: Web, mailbox: tuple[Mailbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    alert = mail_web.active_alert()
    with caplog.at_level(logging.INFO, logger="bluealert.dispatch"):
        answer = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    assert answer.status_code == 201
    assert {rcpt[0] for rcpt, _ in mailbox[0].messages} == TOLD - {"kim@txdps.example"}
    [refused] = [r for r in caplog.records if r.getMessage() == "tip_notice_refused"]
    assert (refused.action, refused.tip) == ("tip_notice_refused", answer.json()["id"])  # type: ignore[attr-defined]
    [(_, _, data)] = _notified(mail_web.ctx, answer.json()["id"])
    assert (data["told"], data["refused"], data["failed"]) == (
        ["dep.odell", "natl.brooks", "sgt.reyes"],
        ["tx.kim"],
        None,
    )


def test_a_national_coordinator_without_an_email_is_not_told(
    mail_web: Web, mailbox: tuple[Mailbox, int]
) -> None:
    with transaction(mail_web.ctx) as tx:
        brooks = tx.users.get("natl.brooks")
        tx.users.save(brooks.model_copy(update={"email": None}))
    alert = mail_web.active_alert()
    answer = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    assert {rcpt[0] for rcpt, _ in mailbox[0].messages} == TOLD - {"brooks@national.example"}
    [(_, _, data)] = _notified(mail_web.ctx, answer.json()["id"])
    assert "natl.brooks" not in data["to"]


def test_two_people_at_one_address_get_one_message_and_both_are_named(
    mail_web: Web, mailbox: tuple[Mailbox, int]
) -> None:
    with transaction(mail_web.ctx) as tx:  # Texas' other coordinator reads the desk's mail too
        patel = tx.users.get("tx.patel")
        tx.users.save(patel.model_copy(update={"email": "kim@txdps.example"}))
    alert = mail_web.active_alert()
    answer = mail_web.client.post(f"/api/v1/alerts/{alert.reference}/tips", json=_tip(mail_web))
    desk = [rcpt for rcpt, _ in mailbox[0].messages if rcpt == ["kim@txdps.example"]]
    assert len(desk) == 1
    [(_, _, data)] = _notified(mail_web.ctx, answer.json()["id"])
    assert data["told"] == ["dep.odell", "natl.brooks", "sgt.reyes", "tx.kim", "tx.patel"]
