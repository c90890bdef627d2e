"""A local stand-in for IPAWS-OPEN's CAP service, for tests, the demo and the benchmark.

It checks what IPAWS checks, in this order, and refuses with a SOAP 1.1 fault carrying a
`CAPServiceException` (errorCode, message) at the first failure:

1. the request is a SOAP envelope whose `CAPHeaderTypeDef` header and body are valid against
   the WSDL's own schema (`schema-invalid`), sent with the operation's SOAPAction;
2. WS-Security: a signed timestamp that has not expired, an X.509 BinarySecurityToken, an
   RSA-SHA256 signature over the body that python-xmlsec verifies (`not-signed`,
   `ws-security-…`);
3. the COG: known, its logon user, and the token is the certificate FEMA registered for it
   (`unknown-cog`, `wrong-user`, `wrong-certificate`);
4. postCAP only: the CAP's own signature verifies with `xmlsec1` trusting the COG's certificate
   (`alert-not-signed`, `alert-signature-is-invalid`), the IPAWS profile holds
   (`not-ipaws-profile`), no info block has expired (`alert-expired`), and the COG may send its
   event code to its SAME areas (`cog-disabled`, `event-code-not-permitted`,
   `geocode-not-permitted`).

An accepted message is answered per channel (see `answers`): EAS unless blocked, not
permitted or without `EAS-ORG`; WEA (CMAS) unless blocked, not permitted or without
`CMAMtext`; NWEM only where permitted; the public feed unless blocked. Each request and its
answer is appended to a JSON-lines record for tests to read.

The error codes are the stand-in's own: FEMA's are not public (UNCONFIRMED).
"""

from __future__ import annotations

import json
import multiprocessing as mp
import socket
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from aiohttp import web
from cryptography import x509
from lxml import etree

from bluealert.dispatch.ipaws.answers import ChannelStatus, PostAnswer
from bluealert.dispatch.ipaws.cog import CapFacts, CogProfile, cap_facts, preflight
from bluealert.dispatch.ipaws.verification import (
    Refused,
    verify_cap_signature,
    verify_ws_security,
)
from bluealert.dispatch.ipaws.wsdl import (
    CAP_NS,
    FAULT_DETAIL,
    GET_REQUEST,
    HEADER,
    POST_CAP,
    REQUEST_NS,
    RESPONSE_NS,
    SERVICE_NS,
    SOAP_ACTION,
    SOAP_NS,
    request_schema,
)
from bluealert.formats.cap.findings import Severity
from bluealert.formats.cap.profile_rules import ipaws_rules
from bluealert.formats.cap.times import parse_cap_time

PATH = "/IPAWS_CAPService/IPAWS"
OPERATIONS = {POST_CAP: "postCAP", GET_REQUEST: "getRequest"}
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class CogAccount:
    """What FEMA registered for one COG: its profile, logon user and certificate."""

    profile: CogProfile
    user: str
    certificate_pem: bytes


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def envelope(content: etree._Element) -> bytes:
    root = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soapenv": SOAP_NS})
    etree.SubElement(root, f"{{{SOAP_NS}}}Body").append(content)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def fault(code: str, message: str) -> bytes:
    body = etree.Element(f"{{{SOAP_NS}}}Fault")
    _text(body, "faultcode", "soapenv:Client")
    _text(body, "faultstring", message)
    detail = etree.SubElement(etree.SubElement(body, "detail"), FAULT_DETAIL)
    _text(detail, f"{{{SERVICE_NS}}}errorCode", code)
    _text(detail, f"{{{SERVICE_NS}}}message", message)
    return envelope(body)


def parameter_list(items: Sequence[tuple[str, str, Sequence[tuple[str, str]]]]) -> etree._Element:
    answer = etree.Element(f"{{{SERVICE_NS}}}getResponseTypeDef", nsmap={"resp": RESPONSE_NS})
    for name, value, subs in items:
        item = etree.SubElement(answer, f"{{{RESPONSE_NS}}}parameterListItem")
        _text(item, f"{{{RESPONSE_NS}}}parameterName", name)
        _text(item, f"{{{RESPONSE_NS}}}parameterValue", value)
        for sub_name, sub_value in subs:
            sub = etree.SubElement(item, f"{{{RESPONSE_NS}}}subParaListItem")
            _text(sub, f"{{{RESPONSE_NS}}}subParameterName", sub_name)
            _text(sub, f"{{{RESPONSE_NS}}}subParameterValue", sub_value)
    return answer


def _parameters(root: etree._Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for p in root.iterfind(f"{{{CAP_NS}}}info/{{{CAP_NS}}}parameter"):
        name = p.findtext(f"{{{CAP_NS}}}valueName") or ""
        found.setdefault(name, []).append(p.findtext(f"{{{CAP_NS}}}value") or "")
    return found


def channel_statuses(profile: CogProfile, facts: CapFacts, root: etree._Element) -> PostAnswer:
    """What IPAWS would do with an accepted message on each of its channels."""
    parameters = _parameters(root)
    needs = {"EAS": "EAS-ORG", "CMAS": "CMAMtext"}

    def why_not(channel: str) -> str | None:
        if channel in facts.blocked:
            return "blocked by the sender"
        if channel not in profile.channels:
            return "not permitted to the COG"
        if channel in needs and not parameters.get(needs[channel]):
            return f"no {needs[channel]}"
        return None

    statuses = [
        ChannelStatus("CAPEXCH", 200, False, "Ack"),
        ChannelStatus("CAPEXCH", 202, False, "alert-signature-is-valid"),
        ChannelStatus("IPAWS", 300, False, "Ack"),
        *(ChannelStatus.of(c, why_not(c)) for c in ("NWEM", "EAS", "CMAS", "PUBLIC")),
    ]
    return PostAnswer(facts.identifier, tuple(statuses))


class StandInService:
    """The checks and the answers, without the HTTP around them."""

    def __init__(
        self,
        accounts: Sequence[CogAccount],
        folder: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.accounts = {a.profile.cog_id: a for a in accounts}
        self.clock = clock
        self.record = folder / "ipaws-requests.jsonl"
        self._trusted: dict[int, Path] = {}
        for account in accounts:
            path = folder / f"cog-{account.profile.cog_id}.pem"
            path.write_bytes(account.certificate_pem)
            self._trusted[account.profile.cog_id] = path

    def _log(self, entry: dict[str, Any]) -> None:
        with self.record.open("a") as out:
            out.write(json.dumps(entry) + "\n")

    async def handle(self, body: bytes, soap_action: str | None) -> tuple[int, bytes]:
        entry: dict[str, Any] = {"at": self.clock().isoformat()}
        try:
            answer = await self._answer(body, soap_action, entry)
        except Refused as refusal:
            entry |= {"accepted": False, "error_code": refusal.problem.code}
            entry["message"] = refusal.problem.message
            self._log(entry)
            return 500, fault(refusal.problem.code, refusal.problem.message)
        entry["accepted"] = True
        self._log(entry)
        return 200, envelope(answer)

    def _envelope(self, body: bytes) -> tuple[etree._Element, etree._Element, etree._Element]:
        try:
            root = etree.fromstring(body, SAFE_PARSER)
        except etree.XMLSyntaxError as error:
            raise Refused("schema-invalid", f"not XML: {error}") from None
        header = root.find(f"{{{SOAP_NS}}}Header/{HEADER}")
        request = root.find(f"{{{SOAP_NS}}}Body")
        if root.tag != f"{{{SOAP_NS}}}Envelope" or request is None or len(request) != 1:
            raise Refused("schema-invalid", "a SOAP 1.1 envelope with one body element is required")
        if header is None:
            raise Refused("schema-invalid", "the CAPHeaderTypeDef SOAP header is required")
        for element in (header, request[0]):
            schema = request_schema()
            if not schema.validate(element):
                name = etree.QName(element).localname
                problem = str(schema.error_log).splitlines()[-1].split(":ERROR:")[-1]
                raise Refused("schema-invalid", f"{name}: {problem}")
        return root, header, request[0]

    def _account(self, header: etree._Element, certificate: bytes) -> CogAccount:
        cog = header.findtext(f"{{{SERVICE_NS}}}logonCogId") or ""
        account = self.accounts.get(int(cog)) if cog.strip().isdigit() else None
        if account is None:
            raise Refused("unknown-cog", f"no COG {cog or '(none)'} is registered")
        if header.findtext(f"{{{SERVICE_NS}}}logonUser") != account.user:
            raise Refused("wrong-user", f"that logon user is not COG {cog}'s")
        registered = x509.load_pem_x509_certificate(account.certificate_pem)
        if x509.load_der_x509_certificate(certificate) != registered:
            raise Refused(
                "wrong-certificate", f"the request is not signed with COG {cog}'s certificate"
            )
        return account

    async def _answer(
        self, body: bytes, soap_action: str | None, entry: dict[str, Any]
    ) -> etree._Element:
        root, header, request = self._envelope(body)
        operation = OPERATIONS.get(request.tag, "")
        entry["operation"] = operation
        if soap_action is not None and soap_action.strip('"') != SOAP_ACTION.format(
            operation=operation
        ):
            raise Refused("schema-invalid", f"SOAPAction {soap_action} is not {operation}'s")
        account = self._account(header, verify_ws_security(root, datetime.now(UTC)))
        entry["cog"] = account.profile.cog_id
        if operation == "getRequest":
            return self._get_request(account, request)
        return await self._post_cap(account, request[0], entry)

    def _get_request(self, account: CogAccount, request: etree._Element) -> etree._Element:
        asked = request.findtext(f"{{{REQUEST_NS}}}requestOperation")
        if asked == "getACK":
            return parameter_list([("ACK", "PONG", ())])
        if asked == "getCOGProfile":
            return parameter_list(account.profile.parameters())
        raise Refused("unknown-operation", f"getRequest does not know {asked!r}")

    async def _post_cap(
        self, account: CogAccount, alert: etree._Element, entry: dict[str, Any]
    ) -> etree._Element:
        facts = cap_facts(alert)
        entry |= {"identifier": facts.identifier, "cap": etree.tostring(alert).decode()}
        for name in ("msgType", "status", "references"):
            entry[name] = alert.findtext(f"{{{CAP_NS}}}{name}")
        now = self.clock()
        await verify_cap_signature(alert, self._trusted[account.profile.cog_id], now)
        errors = [f for f in ipaws_rules(alert) if f.severity is Severity.ERROR]
        if errors:
            raise Refused("not-ipaws-profile", "; ".join(f.message for f in errors))
        for expires in alert.iterfind(f"{{{CAP_NS}}}info/{{{CAP_NS}}}expires"):
            if parse_cap_time(str(expires.text)) <= now:
                raise Refused("alert-expired", f"the alert expired at {expires.text}")
        checked = preflight(account.profile, facts)
        if checked.refusals:
            first = checked.refusals[0]
            raise Refused(first.code, checked.reason())
        answer = channel_statuses(account.profile, facts, alert)
        entry["answer"] = answer.text()
        response = etree.Element(f"{{{SERVICE_NS}}}postCAPResponseTypeDef")
        _text(response, f"{{{SERVICE_NS}}}postCAPReturn", answer.text())
        return response


def application(service: StandInService) -> web.Application:
    async def post(request: web.Request) -> web.Response:
        status, body = await service.handle(await request.read(), request.headers.get("SOAPAction"))
        return web.Response(status=status, body=body, content_type="text/xml", charset="utf-8")

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_post(PATH, post)
    return app


def _serve(accounts: Sequence[CogAccount], folder: str, port: int, start: datetime | None) -> None:
    t0 = time.monotonic()

    def clock() -> datetime:
        if start is None:
            return datetime.now(UTC)
        return start + timedelta(seconds=time.monotonic() - t0)

    service = StandInService(accounts, Path(folder), clock)
    web.run_app(application(service), host="127.0.0.1", port=port, print=None, handle_signals=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class IpawsStandIn:
    """The stand-in in its own process on loopback (it competes with no sender for a core).

    `clock_start`: the stand-in's time for alert expiry and certificates starts there and runs
    (tests run alerts on a fixed date); the real clock when None. WS-Security timestamps are
    always checked against the real clock, as the client stamps them with it.
    """

    def __init__(
        self,
        accounts: Sequence[CogAccount],
        folder: Path | None = None,
        *,
        clock_start: datetime | None = None,
        port: int = 0,
    ) -> None:
        self.accounts = list(accounts)
        self._temporary = tempfile.TemporaryDirectory() if folder is None else None
        self.folder = folder or Path(self._temporary.name)  # type: ignore[union-attr]
        self.port = port or _free_port()
        self.clock_start = clock_start
        self._process: Any = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PATH}"

    def requests(self) -> list[dict[str, Any]]:
        """What it received and answered, oldest first."""
        path = self.folder / "ipaws-requests.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    def posts(self) -> list[dict[str, Any]]:
        return [r for r in self.requests() if r.get("operation") == "postCAP"]

    def __enter__(self) -> IpawsStandIn:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._process = mp.get_context("fork").Process(
            target=_serve,
            args=(self.accounts, str(self.folder), self.port, self.clock_start),
            daemon=True,
        )
        self._process.start()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the IPAWS stand-in did not start on port {self.port}")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.join(10)
        if self._temporary is not None:
            self._temporary.cleanup()
