"""A zeep client of the IPAWS-OPEN CAP service: postCAP, and getRequest's ping and COG profile.

Synchronous (zeep over requests): the channel runs it in threads. Every request carries the
`CAPHeaderTypeDef` SOAP header (logon user, COG id) and WS-Security (see `security`).

    IpawsClient(account).ping()          -> "PONG"
    IpawsClient(account).cog_profile()   -> CogProfile
    IpawsClient(account).post_cap(xml)   -> PostAnswer, or raises IpawsRefused / ServiceUnreachable
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import zeep
from lxml import etree
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError
from zeep.transports import Transport

from bluealert.config import Settings
from bluealert.dispatch.ipaws.answers import PostAnswer
from bluealert.dispatch.ipaws.cog import CogProfile, Parameter
from bluealert.dispatch.ipaws.security import SignedCapPlugin, WsSecurity
from bluealert.dispatch.ipaws.wsdl import (
    BINDING,
    CAP_NS,
    FAULT_DETAIL,
    HEADER,
    SERVICE_NS,
    WSDL_PATH,
)
from bluealert.errors import InvalidInput, IpawsRefused, ServiceUnreachable

# getRequest's API and operations, as a public IPAWS client names them (UNCONFIRMED against
# FEMA's specification, which is not public).
REQUEST_API = "REQUEST1"
PING, PROFILE = "getACK", "getCOGProfile"


@dataclass(frozen=True)
class IpawsAccount:
    """What FEMA issued to the COG, and where its service answers."""

    url: str
    cog_id: int
    user: str
    key_file: Path
    cert_file: Path
    timeout_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> IpawsAccount:
        """The account from BLUEALERT_IPAWS_*; refused by name when one is missing."""
        given = {
            "BLUEALERT_IPAWS_URL": settings.ipaws_url,
            "BLUEALERT_IPAWS_COG_ID": settings.ipaws_cog_id,
            "BLUEALERT_IPAWS_USER": settings.ipaws_user,
            "BLUEALERT_IPAWS_KEY": settings.ipaws_key,
            "BLUEALERT_IPAWS_CERT": settings.ipaws_cert,
        }
        missing = [name for name, value in given.items() if value is None]
        if missing:
            raise InvalidInput(f"not configured: set {', '.join(missing)}", field="ipaws")
        return cls(
            str(settings.ipaws_url),
            int(settings.ipaws_cog_id or 0),
            str(settings.ipaws_user),
            Path(str(settings.ipaws_key)),
            Path(str(settings.ipaws_cert)),
            settings.ipaws_timeout_seconds,
        )


def _refusal(fault: Fault) -> IpawsRefused | ServiceUnreachable:
    detail = fault.detail.find(f".//{FAULT_DETAIL}") if fault.detail is not None else None
    if detail is None:
        return ServiceUnreachable(f"IPAWS answered a SOAP fault ({fault.code}): {fault.message}")
    code = detail.findtext(f"{{{SERVICE_NS}}}errorCode") or "unknown"
    message = detail.findtext(f"{{{SERVICE_NS}}}message") or fault.message
    return IpawsRefused(code, message)


def parameter_items(result: Any) -> list[Parameter]:
    """getRequest's `responseParameterList` as (name, value, sub-items)."""
    found: list[Parameter] = []
    for item in getattr(result, "parameterListItem", None) or []:
        subs = tuple(
            (str(s.subParameterName or ""), str(s.subParameterValue or ""))
            for s in item.subParaListItem or []
        )
        found.append((str(item.parameterName or ""), str(item.parameterValue or ""), subs))
    return found


class IpawsClient:
    def __init__(self, account: IpawsAccount) -> None:
        self.account = account
        transport = Transport(
            timeout=account.timeout_seconds, operation_timeout=account.timeout_seconds
        )
        self._cap = SignedCapPlugin()
        self._client = zeep.Client(
            str(WSDL_PATH),
            transport=transport,
            wsse=WsSecurity(account.key_file, account.cert_file),
            plugins=[self._cap],
        )
        self._service = self._client.create_service(BINDING, account.url)
        self._header = self._client.get_element(HEADER)(
            logonUser=account.user, logonCogId=account.cog_id
        )
        self._alert = self._client.get_element(f"{{{CAP_NS}}}alert")

    def close(self) -> None:
        self._client.transport.session.close()

    def _call(self, operation: str, **values: Any) -> Any:
        try:
            return getattr(self._service, operation)(**values, _soapheaders=[self._header])
        except Fault as fault:
            raise _refusal(fault) from fault
        except (TransportError, requests.RequestException) as error:
            raise ServiceUnreachable(f"IPAWS at {self.account.url}: {error}") from error
        except ZeepError as error:
            raise ServiceUnreachable(f"IPAWS answered what the WSDL does not: {error}") from error

    def _get(self, operation: str) -> list[Parameter]:
        result = self._call("getRequest", requestAPI=REQUEST_API, requestOperation=operation)
        return parameter_items(result)

    def ping(self) -> str:
        """The service's own answer to a ping ("PONG" when it is there)."""
        answers = {name: value for name, value, _ in self._get(PING)}
        return answers.get("ACK", "")

    def cog_profile(self) -> CogProfile:
        return CogProfile.from_parameters(self._get(PROFILE))

    def _holding(self, signed: bytes) -> tuple[str, Any]:
        root = etree.fromstring(signed)
        self._cap.hold(root.findtext(f"{{{CAP_NS}}}identifier") or "", signed)
        return root.findtext(f"{{{CAP_NS}}}identifier") or "", self._alert.parse(
            root, self._client.wsdl.types
        )

    def request_envelope(self, signed: bytes) -> etree._Element:
        """The postCAP request as it would be sent, signed (to inspect it, and for tests)."""
        identifier, alert = self._holding(signed)
        try:
            envelope: etree._Element = self._client.create_message(
                self._service, "postCAP", alert=alert, _soapheaders=[self._header]
            )
        finally:
            self._cap.release(identifier)
        return envelope

    def post_cap(self, signed: bytes) -> PostAnswer:
        """Post one signed CAP message; IPAWS's per-channel answer."""
        identifier, alert = self._holding(signed)
        try:
            answer = self._call("postCAP", alert=alert)
        finally:
            self._cap.release(identifier)
        try:
            return PostAnswer.parse(str(answer))
        except ValueError as error:
            raise ServiceUnreachable(f"IPAWS answered what we cannot read: {error}") from error
