"""The IPAWS client against the local stand-in, each in its own process, over real HTTP: a ping,
the COG's profile, an accepted post answered per channel, and every refusal IPAWS makes, each
checked on both sides (the client's IpawsRefused and what the stand-in recorded)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
import zeep
from lxml import etree

from bluealert.dispatch.ipaws import security
from bluealert.dispatch.ipaws.client import IpawsClient
from bluealert.dispatch.ipaws.standin import IpawsStandIn
from bluealert.dispatch.ipaws.wsdl import CAP_NS, WSDL_PATH
from bluealert.domain.alert import sample_alert
from bluealert.errors import IpawsRefused, ServiceUnreachable
from bluealert.formats.cap.build import build_cap
from bluealert.formats.cap.signature import CapSigner
from bluealert.formats.context import RenderContext
from tests import factories as f
from tests.ipaws_support import COG_ID, Identity, account, cog_account, identity, texas_profile

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
# Other COGs the stand-in knows, each with its own certificate.
LAE_ONLY, OKLAHOMA, DISABLED = 120998, 120997, 120996


@dataclass(frozen=True)
class World:
    stand_in: IpawsStandIn
    cogs: dict[int, Identity]
    stranger: Identity

    def client(self, cog: int = COG_ID, **changes: object) -> IpawsClient:
        values: dict[str, object] = {"cog_id": cog} | changes
        return IpawsClient(account(self.stand_in.url, self.cogs[cog], **values))

    def signed(self, cap: bytes, cog: int = COG_ID) -> bytes:
        who = self.cogs[cog]
        return CapSigner.from_pem(who.key_file.read_bytes(), who.pem).sign(cap)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("ipaws")
    cogs = {n: identity(folder, n) for n in (COG_ID, LAE_ONLY, OKLAHOMA, DISABLED)}
    accounts = [
        cog_account(cogs[COG_ID]),
        cog_account(cogs[LAE_ONLY], cog_id=LAE_ONLY, event_codes=frozenset({"LAE"})),
        cog_account(cogs[OKLAHOMA], cog_id=OKLAHOMA, geo_codes=frozenset({"040000"})),
        cog_account(cogs[DISABLED], cog_id=DISABLED, enabled=False),
    ]
    with IpawsStandIn(accounts, folder / "stand-in", clock_start=NOW) as running:
        yield World(running, cogs, identity(folder, "stranger"))


def _cap(now: datetime = NOW) -> bytes:
    return build_cap(sample_alert(f.alert_content(now), now=now), 1, RenderContext(now=now)).xml


def _last(world: World) -> dict[str, object]:
    return world.stand_in.requests()[-1]


def test_ping_and_the_cogs_profile(world: World) -> None:
    client = world.client()
    assert client.ping() == "PONG"
    assert client.cog_profile() == texas_profile()
    assert _last(world) | {"at": None} == {
        "at": None,
        "operation": "getRequest",
        "cog": COG_ID,
        "accepted": True,
    }


def test_an_accepted_post_is_answered_per_channel(world: World) -> None:
    signed = world.signed(_cap())
    answer = world.client().post_cap(signed)
    assert answer.identifier == "BLU-TX-2026-0000-v1"
    # The Texas plan blocks NWEM (BLOCKCHANNEL); the COG may use every other channel.
    assert [s.line() for s in answer.statuses] == [
        "CAPEXCH 200 N Ack",
        "CAPEXCH 202 N alert-signature-is-valid",
        "IPAWS 300 N Ack",
        "NWEM 401 N message-not-disseminated-as-NWEM",
        "EAS 500 N Ack",
        "CMAS 600 N Ack",
        "PUBLIC 800 N Ack",
    ]
    assert answer.summary() == (
        "IPAWS accepted BLU-TX-2026-0000-v1: NWEM message-not-disseminated-as-NWEM; "
        "EAS Ack; WEA Ack; public feed Ack"
    )
    posted = _last(world)
    assert (posted["operation"], posted["accepted"], posted["msgType"]) == (
        "postCAP",
        True,
        "Alert",
    )
    # The exact signed document went inside the SOAP body, signature and all.
    received = etree.fromstring(str(posted["cap"]).encode())
    sent = etree.fromstring(signed)
    exclusive = {"method": "c14n", "exclusive": True}
    assert etree.tostring(received, **exclusive) == etree.tostring(sent, **exclusive)


def _without_code(cap: bytes) -> bytes:
    root = etree.fromstring(cap)
    root.remove(root.find(f"{{{CAP_NS}}}code"))
    return etree.tostring(root)


def _tampered(signed: bytes) -> bytes:
    return signed.replace(b"Grey Ford F-150", b"Blue Ford F-150", 1)


@pytest.mark.parametrize(
    ("case", "code", "words"),
    [
        ("unknown COG", "unknown-cog", "no COG 777 is registered"),
        ("wrong user", "wrong-user", "that logon user is not COG 120999's"),
        ("wrong certificate", "wrong-certificate", "not signed with COG 120999's certificate"),
        ("CAP unsigned", "alert-not-signed", "carries no enveloped ds:Signature"),
        ("CAP signed by a stranger", "alert-signature-is-invalid", "with the COG's certificate"),
        ("CAP changed after signing", "alert-signature-is-invalid", "does not verify"),
        ("not IPAWS profile", "not-ipaws-profile", "<code>IPAWSv1.0</code> is required"),
        ("expired", "alert-expired", "the alert expired at 2026-11-23T09:00:00-06:00"),
        ("event not permitted", "event-code-not-permitted", "may not send event code BLU"),
        (
            "area not permitted",
            "geocode-not-permitted",
            r"may not alert SAME area\(s\) 048113, 048121",
        ),
        ("COG disabled", "cog-disabled", "is not enabled"),
    ],
)
def test_each_refusal_names_what_ipaws_refuses(
    world: World, case: str, code: str, words: str
) -> None:
    cap, client = world.signed(_cap()), world.client()
    match case:
        case "unknown COG":
            client = world.client(cog_id=777)
        case "wrong user":
            client = world.client(user="someone-else")
        case "wrong certificate":
            client = world.client(
                key_file=world.stranger.key_file, cert_file=world.stranger.cert_file
            )
        case "CAP unsigned":
            cap = _cap()
        case "CAP signed by a stranger":
            cap = CapSigner.from_pem(world.stranger.key_file.read_bytes(), world.stranger.pem).sign(
                _cap()
            )
        case "CAP changed after signing":
            cap = _tampered(cap)
        case "not IPAWS profile":
            cap = world.signed(_without_code(_cap()))
        case "expired":
            cap = world.signed(_cap(NOW - timedelta(days=2)))
        case "event not permitted" | "area not permitted" | "COG disabled":
            cog = {"event not permitted": LAE_ONLY, "area not permitted": OKLAHOMA}.get(
                case, DISABLED
            )
            client, cap = world.client(cog), world.signed(_cap(), cog)
    with pytest.raises(IpawsRefused, match=words) as refused:
        client.post_cap(cap)
    assert refused.value.code == code
    recorded = _last(world)
    assert (recorded["accepted"], recorded["error_code"]) == (False, code)
    assert refused.value.message.endswith(str(recorded["message"]))


def _raw(
    world: World, envelope: etree._Element | bytes, action: str = "postCAP"
) -> requests.Response:
    body = envelope if isinstance(envelope, bytes) else etree.tostring(envelope)
    headers = {
        "Content-Type": "text/xml; charset=utf-8",
        "SOAPAction": f'"http://gov.fema.ipaws.services/IPAWS_CAPService/{action}"',
    }
    return requests.post(world.stand_in.url, data=body, headers=headers, timeout=10)


def _refusal_code(response: requests.Response) -> str:
    assert response.status_code == 500
    root = etree.fromstring(response.content)
    return str(root.findtext(".//{http://gov.fema.ipaws.services/IPAWS_CAPService/}errorCode"))


def test_an_unsigned_request_is_refused(world: World) -> None:
    plain = zeep.Client(str(WSDL_PATH))  # the same request, no WS-Security
    header = plain.get_element(
        "{http://gov.fema.ipaws.services/IPAWS_CAPService/}CAPHeaderTypeDef"
    )(logonUser="tx-ops", logonCogId=COG_ID)
    envelope = plain.create_message(
        plain.service, "getRequest", requestAPI="REQUEST1", requestOperation="getACK",
        _soapheaders=[header],
    )  # fmt: skip
    assert _refusal_code(_raw(world, envelope, "getRequest")) == "not-signed"


def test_a_body_changed_after_signing_is_refused(world: World) -> None:
    envelope = world.client().request_envelope(world.signed(_cap()))
    assert _raw(world, envelope).status_code == 200  # as signed, it goes through
    envelope = world.client().request_envelope(world.signed(_cap()))
    headline = envelope.find(f".//{{{CAP_NS}}}headline")
    headline.text = "changed in transit"
    assert _refusal_code(_raw(world, envelope)) == "ws-security-signature-invalid"


def test_an_expired_request_timestamp_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "TIMESTAMP_LIFETIME", timedelta(seconds=-1))
    with pytest.raises(IpawsRefused, match="ws-security-timestamp") as refused:
        world.client().ping()
    assert "the request expired at" in str(refused.value)


def test_a_request_the_wsdl_does_not_allow_is_refused(world: World) -> None:
    envelope = world.client().request_envelope(world.signed(_cap()))
    alert = envelope.find(f".//{{{CAP_NS}}}alert")
    alert.remove(alert.find(f"{{{CAP_NS}}}sender"))
    response = _raw(world, envelope)
    assert _refusal_code(response) == "schema-invalid"
    assert b"sender" in response.content
    assert _refusal_code(_raw(world, b"<not-soap/>")) == "schema-invalid"
    no_header = world.client().request_envelope(world.signed(_cap()))
    no_header.remove(no_header.find("{http://schemas.xmlsoap.org/soap/envelope/}Header"))
    assert _refusal_code(_raw(world, no_header)) == "schema-invalid"
    assert (
        _refusal_code(
            _raw(world, world.client().request_envelope(world.signed(_cap())), "getMessage")
        )
        == "schema-invalid"
    )


def test_no_answer_is_unreachable_not_a_refusal(tmp_path: Path) -> None:
    cog = identity(tmp_path, COG_ID)
    closed = IpawsClient(account("http://127.0.0.1:9/IPAWS_CAPService/IPAWS", cog))
    with pytest.raises(ServiceUnreachable, match=r"127\.0\.0\.1:9"):
        closed.ping()
