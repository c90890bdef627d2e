"""A local SNMP agent for highway signs: each sign on its own UDP port, for tests and the demo.

    async with SignAgent(SignConfig(lines=3, characters=18)) as sign:
        ...  # partner address 127.0.0.1:{sign.port}, community sign.config.community
        sign.mib.shown.pages  # what the sign now shows

Messages are read and written with pysnmp's SNMPv1/v2c message codec; the objects are a
`SignMib`. Like a real agent it answers in the version it was asked in, and drops (without an
answer) a request with a community it does not know, counting it in snmpInBadCommunityNames; a
SET with the read-only community is refused (v1 noSuchName, v2c noAccess). Only GET and SET
are served (the channel needs no walk).

`python -m bluealert.dispatch.sign_agent --signs 4 --port 16100` serves four signs on
ports 16100–16103 until stopped (the benchmark runs it as its own process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from types import TracebackType
from typing import Any, cast

from pyasn1.codec.ber import decoder, encoder
from pyasn1.error import PyAsn1Error
from pyasn1.type import univ
from pysnmp.proto import api

from bluealert.dispatch.sign_mib import ErrorStatus, NoSuchObject, SetRefused, SignConfig, SignMib

# SNMPv1 has fewer error codes; RFC 3584 §4.3 maps the v2c ones onto them.
V1_STATUS = {
    ErrorStatus.NO_ACCESS: ErrorStatus.NO_SUCH_NAME,
    ErrorStatus.NOT_WRITABLE: ErrorStatus.NO_SUCH_NAME,
    ErrorStatus.NO_CREATION: ErrorStatus.NO_SUCH_NAME,
    ErrorStatus.WRONG_TYPE: ErrorStatus.BAD_VALUE,
    ErrorStatus.WRONG_LENGTH: ErrorStatus.BAD_VALUE,
    ErrorStatus.WRONG_VALUE: ErrorStatus.BAD_VALUE,
}


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, agent: SignAgent) -> None:
        self.agent = agent
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        answer = self.agent.answer(data, str(addr[0]))
        if answer is not None and self.transport is not None:
            self.transport.sendto(answer, addr)


class SignAgent:
    """One sign answering SNMP on 127.0.0.1 (port 0 picks a free one)."""

    def __init__(self, config: SignConfig | None = None, *, port: int = 0) -> None:
        self.config = config or SignConfig()
        self.mib = SignMib(self.config)
        self.port = port
        self.requests = 0
        self._transport: asyncio.DatagramTransport | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    async def __aenter__(self) -> SignAgent:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            lambda: _Protocol(self), local_addr=("127.0.0.1", self.port)
        )
        self._transport = transport
        self.port = transport.get_extra_info("sockname")[1]
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._transport is not None:
            self._transport.close()

    def answer(self, data: bytes, requester: str) -> bytes | None:
        """The response to one datagram, or None when a real agent would stay silent."""
        try:
            version = int(api.decodeMessageVersion(data))
            module = api.PROTOCOL_MODULES[version]
            request, _ = decoder.decode(data, asn1Spec=module.Message())
        except (PyAsn1Error, KeyError, ValueError):
            return None  # not SNMP we speak: dropped, as snmpInASNParseErrs would count
        self.requests += 1
        community = bytes(module.apiMessage.get_community(request)).decode("latin-1")
        pdu = module.apiMessage.get_pdu(request)
        writes = pdu.isSameTypeWith(module.SetRequestPDU())
        if community not in (self.config.community, self.config.read_community):
            self.mib.bad_community += 1
            return None
        response = module.apiMessage.get_response(request)
        answer = module.apiMessage.get_pdu(response)
        bindings = [(tuple(oid), value) for oid, value in module.apiPDU.get_varbinds(pdu)]
        if writes and community != self.config.community:
            self._fail(module, version, answer, bindings, ErrorStatus.NO_ACCESS, 1)
        elif writes:
            self._write(module, version, answer, bindings, requester)
        elif pdu.isSameTypeWith(module.GetRequestPDU()):
            self._read(module, version, answer, bindings)
        else:
            self._fail(module, version, answer, bindings, ErrorStatus.GEN_ERR, 1)
        return bytes(encoder.encode(response))

    def _read(self, module: Any, version: int, answer: Any, bindings: list[Any]) -> None:
        found = []
        for index, (oid, _) in enumerate(bindings, start=1):
            try:
                found.append((oid, _typed(module, self.mib.get(oid))))
            except NoSuchObject:
                if version == api.SNMP_VERSION_1:
                    self._fail(module, version, answer, bindings, ErrorStatus.NO_SUCH_NAME, index)
                    return
                found.append((oid, module.NoSuchObject()))
        module.apiPDU.set_varbinds(answer, found)

    def _write(
        self, module: Any, version: int, answer: Any, bindings: list[Any], requester: str
    ) -> None:
        try:
            self.mib.set([(oid, _plain(value)) for oid, value in bindings], requester)
        except SetRefused as refused:
            self._fail(module, version, answer, bindings, refused.status, refused.index)
            return
        module.apiPDU.set_varbinds(answer, bindings)

    @staticmethod
    def _fail(
        module: Any,
        version: int,
        answer: Any,
        bindings: list[Any],
        status: ErrorStatus,
        index: int,
    ) -> None:
        if version == api.SNMP_VERSION_1:
            status = V1_STATUS.get(status, status)
        module.apiPDU.set_error_status(answer, int(status))
        module.apiPDU.set_error_index(answer, index)
        module.apiPDU.set_varbinds(answer, bindings)


def _typed(module: Any, value: int | bytes) -> Any:
    return module.OctetString(value) if isinstance(value, bytes) else module.Integer(value)


def _plain(value: Any) -> int | bytes:
    """An ASN.1 value as the MIB takes it: int or bytes (anything else is the wrong type)."""
    if isinstance(value, univ.OctetString):
        return bytes(value)
    try:
        return int(value)
    except (TypeError, ValueError, PyAsn1Error):
        return -1  # neither: refused by every object as out of range


async def _serve(signs: int, port: int, config: SignConfig) -> None:
    async with contextlib.AsyncExitStack() as stack:
        for n in range(signs):
            agent = await stack.enter_async_context(SignAgent(config, port=port + n if port else 0))
            print(f"sign {n + 1}: {agent.address}", flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signs", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="first port (0: any free ones)")
    parser.add_argument("--community", default=SignConfig.community)
    parser.add_argument("--lines", type=int, default=SignConfig.lines)
    parser.add_argument("--characters", type=int, default=SignConfig.characters)
    options = parser.parse_args()
    config = SignConfig(
        community=options.community, lines=options.lines, characters=options.characters
    )
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(options.signs, options.port, config))


if __name__ == "__main__":
    main()
