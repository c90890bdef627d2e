"""Highway signs over NTCIP 1203: the alert's pages written to a changeable message, shown.

For a version in force, on the sign named by the partner (address, SNMP write community):

1. read what the sign shows (dmsMsgTableSource) and the owners of our two slots;
2. take the slot not on display (`slot`, or `slot + 1` while `slot` is shown: an update never
   edits the message in view, which a sign refuses), set its dmsMessageStatus to modifyReq;
3. write dmsMessageMultiString (the pages composed for this sign's face and MULTI tags),
   dmsMessageOwner, dmsMessageRunTimePriority, beacon and pixel service off;
4. validateReq, then read dmsMessageStatus: valid, with the CRC we computed, or the sign's
   reason (dmsValidateMessageError, dmsMultiSyntaxError and its position);
5. write dmsActivateMessage: minutes until the alert expires, the partner's priority, the
   message's memory type, number and CRC;
6. read back dmsMsgTableSource and the current buffer's MULTI: the receipt says what it shows.

A cancel, resolve or expiry blanks the sign (or shows again the message it had before, by the
partner's `after_end`) — only while it still shows this alert: a message someone put there
since is left alone. The owner string remembers the earlier message ("bluealert REF before
3.9.1A2B"), so any worker, after any restart, can put it back.

Outcomes: a sign that does not answer is retried; one that is in local control or shows a
message of higher priority is retried later; a message or activation it refuses is a dead
letter naming the sign's reason (fix the partner's profile, then replay).
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import ClassVar

from bluealert.config import Settings
from bluealert.dispatch.channels.base import (
    ChannelLimits,
    Delivered,
    Envelope,
    Failed,
    Outcome,
    RetryAfter,
)
from bluealert.dispatch.channels.ntcip_mib import (
    BLANK,
    DMS_ACTIVATE_MESSAGE,
    DMS_ACTIVATE_MSG_ERROR,
    DMS_MSG_TABLE_SOURCE,
    DMS_MULTI_SYNTAX_ERROR,
    DMS_MULTI_SYNTAX_ERROR_POSITION,
    DMS_VALIDATE_MESSAGE_ERROR,
    OWNER_MAX,
    UNTIL_CHANGED,
    ActivateError,
    ActivationCode,
    Column,
    MemoryType,
    MessageId,
    MessageStatus,
    MultiSyntaxError,
    ValidateError,
    message_crc,
    message_oid,
)
from bluealert.dispatch.channels.snmp import NoAnswer, Refused, SnmpClient, Value
from bluealert.dispatch.publication import TierMessage
from bluealert.domain.partner import AfterEnd, SignSetup, sign_host_port
from bluealert.errors import BlueAlertError
from bluealert.formats.dms import compose_sign, sign_profile
from bluealert.formats.multi import read_multi

CHANGEABLE = MemoryType.CHANGEABLE
# Retried later, not a dead letter: the sign is busy with something that outranks us, or a
# technician holds it in local control.
WAIT_FOR = {ActivateError.PRIORITY: 60.0, ActivateError.LOCAL_MODE: 300.0}
_BEFORE = re.compile(r" before (\d+)\.(\d+)\.([0-9A-F]{4})$")


class SignRefused(Exception):
    """The sign refused a step; `wait` is set when trying later may succeed."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


@dataclass(frozen=True)
class Sign:
    """One sign as the channel addresses it."""

    host: str
    port: int
    community: str
    setup: SignSetup

    @property
    def slots(self) -> tuple[int, int]:
        return self.setup.slot, self.setup.slot + 1


def owner_string(reference: str, before: MessageId | None) -> str:
    """dmsMessageOwner: who wrote it, and the message to show again at the end."""
    owner = f"bluealert {reference}"
    if before is not None:
        owner += f" before {before.memory}.{before.number}.{before.crc:04X}"
    return owner[:OWNER_MAX]


def before_of(owner: str) -> MessageId | None:
    found = _BEFORE.search(owner)
    if found is None:
        return None
    return MessageId(MemoryType(int(found.group(1))), int(found.group(2)), int(found.group(3), 16))


def duration_minutes(expires_at: datetime | None, now: datetime) -> int:
    """Minutes to the alert's expiry, rounded up: the sign clears it by itself if the end never
    reaches it. 65535 (until replaced) for an alert without an expiry."""
    if expires_at is None:
        return UNTIL_CHANGED
    return max(1, min(UNTIL_CHANGED - 1, math.ceil((expires_at - now).total_seconds() / 60)))


class NtcipChannel:
    name: ClassVar[str] = "ntcip"

    def __init__(self, settings: Settings) -> None:
        per_request = settings.ntcip_timeout_seconds * (settings.ntcip_retries + 1)
        self.limits = ChannelLimits(
            rate_per_second=settings.ntcip_rate_per_second,
            batch_size=50,
            timeout_seconds=8 * per_request,  # the eight requests of one sign's update
            concurrency=32,
        )
        self.client = SnmpClient(settings.ntcip_timeout_seconds, settings.ntcip_retries)
        self._locks: dict[tuple[str, int], asyncio.Lock] = {}

    def skip_reason(self, message: TierMessage) -> str | None:
        return None  # a version in force is shown, every end blanks (or restores) the sign

    async def __aenter__(self) -> NtcipChannel:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.client.close()

    async def send(self, envelopes: Sequence[Envelope]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._deliver(e) for e in envelopes)))

    async def _deliver(self, envelope: Envelope) -> Outcome:
        recipient = envelope.recipient
        if recipient.sign is None or not recipient.secret:
            return Failed("the partner has no sign settings or community (partners add --sign-…)")
        host, port = sign_host_port(recipient.address)
        sign = Sign(host, port, recipient.secret, recipient.sign)
        # One conversation with a sign at a time: two would interleave their status changes.
        lock = self._locks.setdefault((host, port), asyncio.Lock())
        try:
            async with lock, asyncio.timeout(self.limits.timeout_seconds):
                if envelope.message.live:
                    return await self._display(sign, envelope.message)
                return await self._end(sign, envelope.message)
        except NoAnswer as error:
            return RetryAfter(
                f"no answer from the sign {recipient.address} ({error}; a wrong "
                "community gets no answer either)"
            )
        except TimeoutError:
            return RetryAfter(
                f"the sign {recipient.address} took over {self.limits.timeout_seconds:g} s"
            )
        except Refused as error:
            return Failed(f"the sign {recipient.address} refused a request: {error}")
        except SignRefused as error:
            if error.wait is not None:
                return RetryAfter(str(error), error.wait)
            return Failed(str(error))

    async def _get(self, sign: Sign, *oids: tuple[int, ...]) -> list[Value]:
        return await self.client.get(sign.host, sign.port, sign.community, *oids)

    async def _set(self, sign: Sign, *bindings: tuple[tuple[int, ...], Value]) -> None:
        await self.client.set(sign.host, sign.port, sign.community, *bindings)

    async def _situation(self, sign: Sign) -> tuple[MessageId, dict[int, str]]:
        """What the sign shows, and the owners of our two slots."""
        a, b = sign.slots
        raw, owner_a, owner_b = await self._get(
            sign,
            DMS_MSG_TABLE_SOURCE,
            message_oid(Column.OWNER, CHANGEABLE, a),
            message_oid(Column.OWNER, CHANGEABLE, b),
        )
        owners = {a: _text(owner_a), b: _text(owner_b)}
        return MessageId.decode(_octets(raw)), owners

    async def _display(self, sign: Sign, message: TierMessage) -> Outcome:
        if message.public_content is None:
            return Failed("no public content to compose the sign's pages from")
        setup = sign.setup
        profile = sign_profile(setup.lines, setup.characters, setup.pages, frozenset(setup.tags))
        try:
            multi = compose_sign(message.public_content, profile).multi
        except BlueAlertError as error:
            return Failed(f"no message fits this sign: {error}")
        shown, owners = await self._situation(sign)
        ours = shown.memory is CHANGEABLE and shown.number in owners
        slot = sign.slots[1] if ours and shown.number == sign.slots[0] else sign.slots[0]
        before = None
        if setup.after_end is AfterEnd.RESTORE:
            before = before_of(owners[shown.number]) if ours else shown
            before = None if before is None or before.memory is MemoryType.BLANK else before
        crc = await self._write(sign, slot, multi, owner_string(message.reference, before))
        now = datetime.now(UTC)
        target = MessageId(CHANGEABLE, slot, crc)
        await self._activate(sign, target, duration_minutes(message.expires_at, now))
        return Delivered(await self._shows(sign, f"activated changeable {slot}"))

    async def _write(self, sign: Sign, slot: int, multi: str, owner: str) -> int:
        """Write, validate and check one changeable message; its CRC."""
        await self._set(
            sign, (message_oid(Column.STATUS, CHANGEABLE, slot), MessageStatus.MODIFY_REQ)
        )
        await self._set(
            sign,
            (message_oid(Column.MULTI_STRING, CHANGEABLE, slot), multi.encode("ascii")),
            (message_oid(Column.OWNER, CHANGEABLE, slot), owner.encode("ascii", "replace")),
            (message_oid(Column.RUN_TIME_PRIORITY, CHANGEABLE, slot), sign.setup.priority),
            (message_oid(Column.BEACON, CHANGEABLE, slot), 0),
            (message_oid(Column.PIXEL_SERVICE, CHANGEABLE, slot), 0),
        )
        await self._set(
            sign, (message_oid(Column.STATUS, CHANGEABLE, slot), MessageStatus.VALIDATE_REQ)
        )
        status, crc = await self._validated(sign, slot)
        if status != MessageStatus.VALID:
            raise SignRefused(await self._invalid_reason(sign, multi))
        ours = message_crc(multi)
        if crc != ours:
            raise SignRefused(
                f"the sign's CRC 0x{int(crc):04X} is not ours 0x{ours:04X}: it holds another "
                "message than the one written"
            )
        return int(crc)

    async def _validated(self, sign: Sign, slot: int) -> tuple[int, int]:
        """dmsMessageStatus and CRC once the sign has finished validating (a few tries)."""
        for _ in range(20):
            status, crc = await self._get(
                sign,
                message_oid(Column.STATUS, CHANGEABLE, slot),
                message_oid(Column.CRC, CHANGEABLE, slot),
            )
            if status != MessageStatus.VALIDATING:
                return int(status), int(crc)
            await asyncio.sleep(0.1)
        raise NoAnswer("still validating after 2 s")

    async def _invalid_reason(self, sign: Sign, multi: str) -> str:
        error, syntax, position = await self._get(
            sign,
            DMS_VALIDATE_MESSAGE_ERROR,
            DMS_MULTI_SYNTAX_ERROR,
            DMS_MULTI_SYNTAX_ERROR_POSITION,
        )
        reason = f"the sign refused the message: {_name(ValidateError, error)}"
        if error == ValidateError.SYNTAX_MULTI:
            reason += f", {_name(MultiSyntaxError, syntax)}"
            if isinstance(position, int) and position > 0:
                reason += f" at character {position} ({multi[position - 1 : position + 9]!r}…)"
        return f"{reason}; MULTI {multi!r}"

    async def _activate(self, sign: Sign, message: MessageId, minutes: int) -> None:
        code = ActivationCode(minutes, sign.setup.priority, message)
        try:
            await self._set(sign, (DMS_ACTIVATE_MESSAGE, code.encode()))
        except Refused:
            (error,) = await self._get(sign, DMS_ACTIVATE_MSG_ERROR)
            why = _name(ActivateError, error)
            wait = WAIT_FOR.get(ActivateError(error)) if error in set(ActivateError) else None
            raise SignRefused(
                f"the sign refused to show {message.describe()}: {why}", wait
            ) from None

    async def _shows(self, sign: Sign, done: str) -> str:
        """What the sign now shows, read back from it, for the receipt."""
        raw, multi = await self._get(
            sign,
            DMS_MSG_TABLE_SOURCE,
            message_oid(Column.MULTI_STRING, MemoryType.CURRENT_BUFFER, 1),
        )
        text = read_multi(_text(multi)).text or "(nothing)"
        return f"{done}; the sign shows {MessageId.decode(_octets(raw)).describe()}: {text}"

    async def _end(self, sign: Sign, message: TierMessage) -> Outcome:
        shown, owners = await self._situation(sign)
        if shown.memory is not CHANGEABLE or shown.number not in owners:
            return Delivered(f"left as is: the sign shows {shown.describe()}, not this alert")
        owner = owners[shown.number]
        if owner.split(" ")[:2] != ["bluealert", message.reference]:
            return Delivered(f"left as is: the sign shows {owner!r}, not this alert")
        done = "blanked"
        before = before_of(owner) if sign.setup.after_end is AfterEnd.RESTORE else None
        if before is not None:
            try:
                await self._activate(sign, before, UNTIL_CHANGED)
                done = f"restored {before.describe()}"
            except SignRefused as refused:
                await self._activate(sign, BLANK, UNTIL_CHANGED)
                done = f"blanked (could not restore: {refused})"
        else:
            await self._activate(sign, BLANK, UNTIL_CHANGED)
        # The slot is free again; a refusal here changes nothing the public sees.
        try:
            oid = message_oid(Column.STATUS, CHANGEABLE, shown.number)
            await self._set(sign, (oid, MessageStatus.NOT_USED_REQ))
        except Refused:
            pass
        return Delivered(await self._shows(sign, done))


def _name(kind: type[ActivateError | ValidateError | MultiSyntaxError], value: Value) -> str:
    try:
        return kind(int(value)).name.lower()
    except (TypeError, ValueError):
        return f"code {value!r}"


def _octets(value: Value) -> bytes:
    if not isinstance(value, bytes):
        raise Refused("wrongType: an OCTET STRING expected", 1)
    return value


def _text(value: Value) -> str:
    return _octets(value).decode("latin-1")
