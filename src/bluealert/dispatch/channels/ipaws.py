"""IPAWS-OPEN: the public CAP message, signed with the COG's certificate, posted over SOAP.

How WEA reaches phones and EAS reaches radio and television. The partner's address is the
COG id FEMA issued; the endpoint, logon user, key and certificate come from the settings
(`BLUEALERT_IPAWS_*`), and a partner naming another COG than the one configured is refused.

Before each post the COG's profile (fetched with getRequest, kept five minutes) is checked
against the message's event code and SAME areas: a message IPAWS would refuse is not sent, and
its dead letter says what the COG may not do. The receipt records IPAWS's answer per channel
(EAS, WEA, NWEM, the public feed). An update and a cancel (or a resolve, which IPAWS receives as
a Cancel) carry `references` to the earlier messages, as the CAP renderer writes them; an
expiry is not posted: IPAWS ends the alert itself at its `expires`.

A refusal (a CAPServiceException) is a dead letter; no answer, a timeout or a server fault is
retried. A key or certificate file that is not what its setting says stops the channel from
opening (the error names the setting): its deliveries wait, unclaimed, until it opens.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import ClassVar

from lxml import etree

from bluealert.config import Settings
from bluealert.dispatch.channels.base import (
    ChannelLimits,
    Delivered,
    Envelope,
    Failed,
    Outcome,
    RetryAfter,
)
from bluealert.dispatch.ipaws.client import IpawsAccount, IpawsClient
from bluealert.dispatch.ipaws.cog import CogProfile, cap_facts, preflight
from bluealert.dispatch.ipaws.credentials import load_signer
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.delivery import Event
from bluealert.errors import InvalidInput, InvalidMessage, IpawsRefused, ServiceUnreachable
from bluealert.formats.cap.parse import parse_xml
from bluealert.formats.cap.signature import DSIG, CapSigner

PROFILE_SECONDS = 300.0  # how long a fetched COG profile is trusted before asking again


def unsigned(cap: bytes) -> bytes:
    """The CAP message without its enveloped signature (IPAWS gets it signed by the COG)."""
    root = parse_xml(cap)
    for signature in root.findall(f"{{{DSIG}}}Signature"):
        root.remove(signature)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


class IpawsChannel:
    name: ClassVar[str] = "ipaws"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = ChannelLimits(
            rate_per_second=settings.ipaws_rate_per_second,
            batch_size=20,
            timeout_seconds=settings.ipaws_timeout_seconds,
            concurrency=4,
        )
        self._lock = threading.Lock()
        self._client: IpawsClient | None = None
        self._signer: CapSigner | None = None
        self._profile: tuple[float, CogProfile] | None = None

    def skip_reason(self, message: TierMessage) -> str | None:
        if message.event is Event.EXPIRE:
            return "IPAWS ends the alert itself at its expiry; nothing is posted"
        return None

    async def __aenter__(self) -> IpawsChannel:
        try:
            IpawsAccount.from_settings(self.settings)
        except InvalidInput:
            return self  # not configured: each delivery is a dead letter that says so
        await asyncio.to_thread(self._opened)  # refuses a bad key or certificate by name
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()

    def _opened(self) -> tuple[IpawsClient, CapSigner]:
        """The client and the COG's CAP signer, made on first use (zeep reads the WSDL)."""
        with self._lock:
            if self._client is None or self._signer is None:
                account = IpawsAccount.from_settings(self.settings)
                self._signer = load_signer(account.key_file, account.cert_file)
                self._client = IpawsClient(account)
            return self._client, self._signer

    def cog_profile(self, client: IpawsClient) -> CogProfile:
        with self._lock:
            if self._profile and time.monotonic() - self._profile[0] < PROFILE_SECONDS:
                return self._profile[1]
        profile = client.cog_profile()
        with self._lock:
            self._profile = (time.monotonic(), profile)
        return profile

    def _post(self, envelope: Envelope) -> Outcome:
        try:
            client, signer = self._opened()
        except (InvalidInput, OSError) as problem:
            return Failed(str(problem))
        cog, wanted = str(client.account.cog_id), envelope.recipient.address
        if wanted != cog:
            return Failed(f"this node holds the credentials of COG {cog}, not of COG {wanted}")
        message = envelope.message
        cap = message.formats.get("cap")
        if cap is None:
            return Failed(f"no CAP message to post: {message.refused.get('cap', 'not rendered')}")
        try:
            signed = signer.sign(unsigned(cap))
            checked = preflight(self.cog_profile(client), cap_facts(parse_xml(signed)))
            if not checked.cleared:
                return Failed(f"pre-flight: {checked.reason()}")
            return Delivered(client.post_cap(signed).summary())
        except (IpawsRefused, InvalidMessage) as refusal:
            return Failed(str(refusal))
        except ServiceUnreachable as error:
            return RetryAfter(str(error))

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        gate = asyncio.Semaphore(self.limits.concurrency)

        async def one(envelope: Envelope) -> Outcome:
            async with gate:
                return await asyncio.to_thread(self._post, envelope)

        return list(await asyncio.gather(*(one(e) for e in envelopes)))
