"""Highway signs over NTCIP 1203 against the local SNMP sign agent, through the whole engine:
an alert shows with its pages, an update moves to the other slot, the end blanks the sign (or
puts back what it showed), and every refusal a sign makes is a receipt naming its reason."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from bluealert.app import alerts as use_cases
from bluealert.app.context import AppContext, transaction
from bluealert.dispatch.channels.ntcip_mib import (
    BLANK,
    DMS_ACTIVATE_MESSAGE,
    DMS_ACTIVATE_MSG_ERROR,
    ActivateError,
    ActivationCode,
    Column,
    MemoryType,
    MessageId,
    MessageStatus,
    message_crc,
    message_oid,
)
from bluealert.dispatch.channels.snmp import NoAnswer, Refused, SnmpClient
from bluealert.dispatch.engine import Dispatcher
from bluealert.dispatch.sign_agent import SignAgent
from bluealert.dispatch.sign_mib import SignConfig, SignMib
from bluealert.domain.vocabulary import Resolution
from bluealert.store.tables import DeliveryRow
from tests.integration.dispatch.conftest import approved, partner

C = MemoryType.CHANGEABLE
COMMUNITY = "rw-7f3a"
PAGES = [
    ["BLUE ALERT", "GRY FORD F150", "TX LIC KZT4??1"],
    ["BLUE ALERT", "SUSPECT ARMED", "CALL 911"],
]


class SignThread:
    """The sign agent on its own event loop and thread (the engine runs in the test's)."""

    def __init__(self, config: SignConfig) -> None:
        self.agent = SignAgent(config)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def mib(self) -> SignMib:
        return self.agent.mib

    def _run(self) -> None:
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with self.agent:
            self._ready.set()
            await self._stop.wait()

    def __enter__(self) -> SignThread:
        self._thread.start()
        assert self._ready.wait(10), "the sign agent did not start"
        return self

    def __exit__(self, *_: object) -> None:
        assert self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


@pytest.fixture
def sign() -> Iterator[SignThread]:
    with SignThread(SignConfig(community=COMMUNITY)) as running:
        yield running


def sign_partner(
    ctx: AppContext,
    agent: SignThread,
    name: str = "I-35E NB at Loop 12",
    setup: dict[str, Any] | None = None,
    **changes: Any,
) -> int:
    fields = {"kind": "sign_system", "channel": "ntcip", "secret": COMMUNITY, "formats": ["dms"],
              "area": {"counties": ["48113"]},
              "sign": {"lines": 3, "characters": 18} | (setup or {})} | changes  # fmt: skip
    return partner(ctx, name, agent.agent.address, **fields)


def drain(ctx: AppContext) -> None:
    async def run() -> None:
        async with Dispatcher(ctx) as dispatcher:
            await dispatcher.drain()

    asyncio.run(run())


def receipts(ctx: AppContext) -> list[DeliveryRow]:
    with transaction(ctx) as tx:
        query = select(DeliveryRow).where(DeliveryRow.channel == "ntcip").order_by(DeliveryRow.id)
        return list(tx.session.scalars(query))


def test_an_alert_shows_its_pages_an_update_takes_the_other_slot_and_a_cancel_blanks(
    sctx: AppContext, sign: SignThread
) -> None:
    sign_partner(sctx, sign)
    alert = approved(sctx)
    drain(sctx)
    assert sign.mib.shown.pages == PAGES
    assert sign.mib.showing.memory is C
    assert sign.mib.showing.number == 1
    row = sign.mib.state.rows[(C, 1)]
    assert row.owner == f"bluealert {alert.reference}"
    assert row.priority == 200
    (first,) = receipts(sctx)
    assert first.state == "sent"
    assert first.detail.startswith("activated changeable 1; the sign shows changeable 1 (CRC 0x")
    assert "BLUE ALERT / GRY FORD F150 / TX LIC KZT4??1 | BLUE ALERT" in first.detail
    activation = sign.mib.activations[-1]
    assert (activation.priority, activation.message.crc) == (200, message_crc(row.multi))
    assert 1 <= activation.duration < 65535  # the alert expires: the sign clears it by then

    vehicle = alert.content.vehicles[0].model_copy(update={"color": "black"})
    content = alert.content.model_copy(update={"vehicles": [vehicle]})
    use_cases.update_alert(
        sctx,
        actor="tx.kim",
        key=alert.reference,
        content=content,
        note="n",
        base=alert.current.number,
    )
    drain(sctx)
    assert sign.mib.showing.number == 2  # never edits the message on display
    assert sign.mib.shown.pages[0] == ["BLUE ALERT", "BLK FORD F150", "TX LIC KZT4??1"]

    use_cases.cancel_alert(sctx, actor="tx.kim", key=alert.reference, reason="error")
    drain(sctx)
    assert sign.mib.showing == BLANK
    assert sign.mib.shown.pages == []
    assert sign.mib.state.rows[(C, 2)].status is MessageStatus.NOT_USED  # the slot is freed
    last = receipts(sctx)[-1]
    assert (last.state, last.detail) == ("sent", "blanked; the sign shows blank: (nothing)")


def test_restore_puts_back_the_dots_message_and_a_message_put_there_since_is_left_alone(
    sctx: AppContext, sign: SignThread
) -> None:
    travel_time = sign.mib.store(9, "[jl3]DOWNTOWN 12 MIN", owner="TxDOT ATMS", priority=50)
    sign.mib.display(travel_time)
    sign_partner(sctx, sign, setup={"after_end": "restore", "slot": 4})
    first = approved(sctx)
    drain(sctx)
    assert sign.mib.showing.number == 4
    assert sign.mib.state.rows[(C, 4)].owner == (
        f"bluealert {first.reference} before 3.9.{travel_time.crc:04X}"
    )
    use_cases.resolve_alert(
        sctx, actor="tx.kim", key=first.reference, resolution=Resolution.SUSPECT_APPREHENDED
    )
    drain(sctx)
    assert sign.mib.showing == travel_time
    assert sign.mib.shown.pages == [["DOWNTOWN 12 MIN"]]
    assert receipts(sctx)[-1].detail.startswith(
        f"restored changeable 9 (CRC 0x{travel_time.crc:04X})"
    )

    second = approved(sctx)
    drain(sctx)
    crash = sign.mib.store(8, "CRASH AHEAD[nl]LEFT LANE CLOSED", owner="operator", priority=255)
    sign.mib.display(crash)  # the operator takes the sign for an incident
    use_cases.cancel_alert(sctx, actor="tx.kim", key=second.reference, reason="error")
    drain(sctx)
    assert sign.mib.showing == crash
    last = receipts(sctx)[-1]
    assert last.state == "sent"
    assert last.detail.startswith("left as is: the sign shows changeable 8")


@pytest.mark.parametrize(
    ("config", "setup", "reason"),
    [
        (SignConfig(tags=frozenset({"nl", "np", "jl", "jp"})), {},
         "syntax_multi, unsupported_tag at character 1 ('[pt80o3][j'…)"),
        (SignConfig(characters=12), {}, "syntax_multi, text_too_big"),
        (SignConfig(lines=2), {}, "syntax_multi, text_too_big"),
        (SignConfig(max_pages=1), {}, "syntax_multi, too_many_pages"),
        (SignConfig(max_multi_length=40), {}, "refused a request: badValue (variable 1)"),
    ],
)  # fmt: skip
def test_what_the_sign_refuses_is_a_dead_letter_with_its_reason(
    sctx: AppContext, config: SignConfig, setup: dict[str, Any], reason: str
) -> None:
    with SignThread(_with(config)) as sign:
        sign_partner(sctx, sign, setup=setup)
        approved(sctx)
        drain(sctx)
        assert sign.mib.showing == BLANK
    (row,) = receipts(sctx)
    assert row.state == "dead"
    assert row.attempts == 1
    assert reason in row.detail


def _with(config: SignConfig) -> SignConfig:
    fields = {k: getattr(config, k) for k in config.__dataclass_fields__}
    return SignConfig(**(fields | {"community": COMMUNITY}))


def test_a_read_only_community_is_refused_and_a_sign_in_local_control_is_retried(
    sctx: AppContext, sign: SignThread
) -> None:
    sign_partner(sctx, sign, name="read only", secret="public")
    sign.mib.set([((1, 3, 6, 1, 4, 1, 1206, 4, 2, 3, 6, 1, 0), 2)])  # dmsControlMode local
    sign_partner(sctx, sign, name="local", setup={"slot": 5})
    approved(sctx)
    drain(sctx)
    by_name = {r.recipient: r for r in receipts(sctx)}
    read_only, local = by_name.values()
    assert read_only.state == "dead"
    assert "noSuchName (variable 1)" in read_only.detail  # SNMPv1's word for no access
    assert local.state == "retrying"
    assert "local_mode" in local.detail
    assert sign.mib.showing == BLANK


def test_a_wrong_community_gets_no_answer_and_is_retried(tmp_path: Any) -> None:
    async def run() -> None:
        async with SignAgent(SignConfig(community=COMMUNITY)) as agent:
            client = SnmpClient(timeout=0.3, retries=0)
            try:
                with pytest.raises(NoAnswer):
                    await client.get(
                        "127.0.0.1", agent.port, "guess", message_oid(Column.STATUS, C, 1)
                    )
                (count,) = await client.get(
                    "127.0.0.1", agent.port, COMMUNITY, (1, 3, 6, 1, 2, 1, 11, 4, 0)
                )
                assert count == 1  # snmpInBadCommunityNames
            finally:
                client.close()

    asyncio.run(run())


def test_activating_a_message_not_validated_or_with_a_wrong_crc_is_refused_over_snmp() -> None:
    multi = "BLUE ALERT"

    async def run() -> None:
        async with SignAgent(SignConfig(community=COMMUNITY)) as agent:
            client = SnmpClient(timeout=1.0, retries=0)

            async def set_(*bindings: Any) -> None:
                await client.set("127.0.0.1", agent.port, COMMUNITY, *bindings)

            async def activation_error() -> int:
                (error,) = await client.get(
                    "127.0.0.1", agent.port, COMMUNITY, DMS_ACTIVATE_MSG_ERROR
                )
                return int(error)

            def code(crc: int) -> bytes:
                return ActivationCode(60, 200, MessageId(C, 3, crc)).encode()

            try:
                await set_((message_oid(Column.STATUS, C, 3), MessageStatus.MODIFY_REQ))
                await set_((message_oid(Column.MULTI_STRING, C, 3), multi.encode()))
                with pytest.raises(Refused, match="genErr"):
                    await set_((DMS_ACTIVATE_MESSAGE, code(message_crc(multi))))
                assert await activation_error() == ActivateError.MESSAGE_STATUS
                await set_((message_oid(Column.STATUS, C, 3), MessageStatus.VALIDATE_REQ))
                with pytest.raises(Refused, match="genErr"):
                    await set_((DMS_ACTIVATE_MESSAGE, code(message_crc(multi) ^ 0x0101)))
                assert await activation_error() == ActivateError.MESSAGE_CRC
                assert agent.mib.showing == BLANK
                await set_((DMS_ACTIVATE_MESSAGE, code(message_crc(multi))))
                assert agent.mib.shown.pages == [["BLUE ALERT"]]
            finally:
                client.close()

    asyncio.run(run())
