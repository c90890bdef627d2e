"""SNMP GET and SET for the sign channel, over pysnmp's asyncio API, values as plain Python.

    SnmpError
    ├── NoAnswer   the agent stayed silent: unreachable, or a community it does not know
    └── Refused    it answered with an error-status (noSuchName, badValue, genErr, noAccess…)

SNMPv1, the version NTCIP 1103 requires every sign to speak. One engine per channel; a
transport target per sign, kept.
"""

from __future__ import annotations

from typing import Any

from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    Integer32,
    ObjectIdentity,
    ObjectType,
    OctetString,
    SnmpEngine,
    UdpTransportTarget,
    get_cmd,
    set_cmd,
)
from pysnmp.proto.rfc1905 import EndOfMibView, NoSuchInstance, NoSuchObject

from bluealert.dispatch.channels.ntcip_mib import Oid

Value = int | bytes


class SnmpError(Exception):
    """An SNMP request that did not succeed."""


class NoAnswer(SnmpError):
    """No answer in time: the sign is unreachable, or it dropped a community it does not know."""


class Refused(SnmpError):
    """The agent answered with an error-status for variable `index` (1-based)."""

    def __init__(self, status: str, index: int) -> None:
        super().__init__(f"{status} (variable {index})")
        self.status = status
        self.index = index


class SnmpClient:
    def __init__(self, timeout: float, retries: int) -> None:
        self.timeout = timeout
        self.retries = retries
        self._engine: SnmpEngine | None = None
        self._targets: dict[tuple[str, int], UdpTransportTarget] = {}

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None
            self._targets.clear()

    async def _target(self, host: str, port: int) -> UdpTransportTarget:
        key = (host, port)
        if key not in self._targets:
            try:
                self._targets[key] = await UdpTransportTarget.create(
                    key, timeout=self.timeout, retries=self.retries
                )
            except (PySnmpError, OSError) as error:
                raise NoAnswer(f"cannot reach {host}:{port}: {error}") from error
        return self._targets[key]

    async def get(self, host: str, port: int, community: str, *oids: Oid) -> list[Value]:
        answer = await self._request(
            get_cmd, host, port, community, [ObjectType(ObjectIdentity(o)) for o in oids]
        )
        values = []
        for index, (_, value) in enumerate(answer, start=1):
            if isinstance(value, NoSuchObject | NoSuchInstance | EndOfMibView):
                raise Refused("noSuchObject", index)
            values.append(_plain(value))
        return values

    async def set(self, host: str, port: int, community: str, *bindings: tuple[Oid, Value]) -> None:
        await self._request(
            set_cmd,
            host,
            port,
            community,
            [ObjectType(ObjectIdentity(oid), _typed(value)) for oid, value in bindings],
        )

    async def _request(
        self, command: Any, host: str, port: int, community: str, bindings: list[ObjectType]
    ) -> Any:
        if self._engine is None:
            self._engine = SnmpEngine()
        target = await self._target(host, port)
        indication, status, index, answer = await command(
            self._engine,
            CommunityData(community, mpModel=0),
            target,
            ContextData(),
            *bindings,
            lookupMib=False,
        )
        if indication:
            raise NoAnswer(str(indication))
        if status:
            raise Refused(status.prettyPrint(), int(index))
        return answer


def _typed(value: Value) -> Any:
    return OctetString(value) if isinstance(value, bytes) else Integer32(value)


def _plain(value: Any) -> Value:
    if isinstance(value, OctetString):
        return bytes(value)
    return int(value)
