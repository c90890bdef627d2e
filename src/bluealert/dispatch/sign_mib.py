"""One highway sign's NTCIP 1203 objects, held in memory and checked as a real sign checks them.

The local sign agent (`bluealert.dispatch.sign_agent`) answers SNMP with it; tests read it
directly. It refuses what a sign refuses:

- a message edited unless it was first put in `modifying` (dmsMessageStatus modifyReq), or while
  the sign shows it;
- at validation (validateReq): a MULTI tag it does not support, a tag value out of range, more
  pages than dmsMaxNumberPages, more lines or characters than its face holds, a character its
  font lacks — the message goes to `error` and dmsMultiSyntaxError says why, and where;
- at activation: a message that is not `valid`, a CRC that is not the message's, a priority
  below that of the message shown, a sign in local control (dmsActivateMsgError says which).

A SET is all or nothing: the first refused variable undoes the ones before it (RFC 3416 §4.2.5).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import IntEnum

from bluealert.dispatch.channels.ntcip_mib import (
    BLANK,
    DMS_ACTIVATE_MESSAGE,
    DMS_ACTIVATE_MSG_ERROR,
    DMS_CONTROL_MODE,
    DMS_MAX_CHANGEABLE_MSG,
    DMS_MAX_MULTI_STRING_LENGTH,
    DMS_MAX_NUMBER_PAGES,
    DMS_MESSAGE_ENTRY,
    DMS_MESSAGE_TIME_REMAINING,
    DMS_MSG_REQUESTER_ID,
    DMS_MSG_TABLE_SOURCE,
    DMS_MULTI_SYNTAX_ERROR,
    DMS_MULTI_SYNTAX_ERROR_POSITION,
    DMS_NUM_CHANGEABLE_MSG,
    DMS_SUPPORTED_MULTI_TAGS,
    DMS_VALIDATE_MESSAGE_ERROR,
    OWNER_MAX,
    SNMP_IN_BAD_COMMUNITY_NAMES,
    ActivateError,
    ActivationCode,
    Column,
    ControlMode,
    MemoryType,
    MessageId,
    MessageStatus,
    MultiSyntaxError,
    Oid,
    ValidateError,
    message_crc,
)
from bluealert.formats.multi import TAG_BITS, Multi, MultiError, read_multi, tag_value_problem

Value = int | bytes


class ErrorStatus(IntEnum):
    """SNMP error-status (RFC 3416 §3; 0–5 are SNMPv1's)."""

    NO_ERROR = 0
    NO_SUCH_NAME = 2
    BAD_VALUE = 3
    GEN_ERR = 5
    NO_ACCESS = 6
    WRONG_TYPE = 7
    WRONG_LENGTH = 8
    WRONG_VALUE = 10
    NO_CREATION = 11
    NOT_WRITABLE = 17


class NoSuchObject(LookupError):
    """The sign has no such object."""


class SetRefused(Exception):
    """A SET the sign refuses; `index` is the 1-based variable that failed."""

    def __init__(self, status: ErrorStatus, index: int = 1, why: str = "") -> None:
        super().__init__(why or status.name)
        self.status = status
        self.index = index


@dataclass(frozen=True)
class SignConfig:
    """What the sign is: its face, its MULTI, its memory and its communities."""

    name: str = "sign"
    community: str = "administrator"  # read-write
    read_community: str = "public"  # read-only
    lines: int = 3
    characters: int = 18
    max_pages: int = 6
    max_multi_length: int = 1500
    tags: frozenset[str] = frozenset({"nl", "np", "pt", "jl", "jp", "fo", "sc"})
    changeable: int = 10  # dmsMaxChangeableMsg


@dataclass
class Row:
    multi: str = ""
    owner: str = ""
    crc: int = 0
    beacon: int = 0
    pixel_service: int = 0
    priority: int = 1
    status: MessageStatus = MessageStatus.NOT_USED


@dataclass
class SignState:
    rows: dict[tuple[int, int], Row]
    source: MessageId = BLANK
    shown_multi: str = ""
    shown_priority: int = 1
    time_remaining: int = 0
    requester: bytes = b"\0\0\0\0"
    control_mode: ControlMode = ControlMode.CENTRAL
    validate_error: ValidateError = ValidateError.NONE
    activate_error: ActivateError = ActivateError.NONE
    syntax_error: MultiSyntaxError = MultiSyntaxError.NONE
    syntax_position: int = 0


def _blank(number: int) -> Row | None:
    # NTCIP 1203 v03: blank messages 1..255 exist, are always valid and empty (never written,
    # so made on demand rather than copied with every SET).
    if 1 <= number <= 255:
        return Row(crc=BLANK.crc, status=MessageStatus.VALID, priority=number)
    return None


class SignMib:
    """The objects of one sign. `get` and `set` take OIDs as tuples and plain values."""

    def __init__(self, config: SignConfig) -> None:
        self.config = config
        rows = {(int(MemoryType.CHANGEABLE), n): Row() for n in range(1, config.changeable + 1)}
        self.state = SignState(rows)
        self.bad_community = 0
        self.activations: list[ActivationCode] = []  # every activation the sign accepted

    # --- what tests and the demo look at -------------------------------------------------

    @property
    def showing(self) -> MessageId:
        return self.state.source

    @property
    def shown(self) -> Multi:
        """The pages now on the sign's face (none when blank)."""
        return read_multi(self.state.shown_multi)

    def store(self, number: int, multi: str, owner: str = "", priority: int = 100) -> MessageId:
        """Put a valid message in changeable slot `number`, as the DOT's own system would."""
        row = Row(multi, owner, message_crc(multi), 0, 0, priority, MessageStatus.VALID)
        self.state.rows[(MemoryType.CHANGEABLE, number)] = row
        return MessageId(MemoryType.CHANGEABLE, number, row.crc)

    def display(self, message: MessageId) -> None:
        """Show a stored message at once (the DOT's operator at work)."""
        row = self._row(message.memory, message.number)
        assert row is not None, f"no message {message.describe()}"
        self._show(message, row)

    # --- GET ------------------------------------------------------------------------------

    def get(self, oid: Oid) -> Value:
        state = self.state
        scalars: dict[Oid, Value] = {
            DMS_SUPPORTED_MULTI_TAGS: self._tag_bitmap(),
            DMS_MAX_NUMBER_PAGES: self.config.max_pages,
            DMS_MAX_MULTI_STRING_LENGTH: self.config.max_multi_length,
            DMS_NUM_CHANGEABLE_MSG: sum(
                1
                for (memory, _), row in state.rows.items()
                if memory == MemoryType.CHANGEABLE and row.status != MessageStatus.NOT_USED
            ),
            DMS_MAX_CHANGEABLE_MSG: self.config.changeable,
            DMS_VALIDATE_MESSAGE_ERROR: state.validate_error,
            DMS_CONTROL_MODE: state.control_mode,
            DMS_MESSAGE_TIME_REMAINING: state.time_remaining,
            DMS_MSG_TABLE_SOURCE: state.source.encode(),
            DMS_MSG_REQUESTER_ID: state.requester,
            DMS_ACTIVATE_MSG_ERROR: state.activate_error,
            DMS_MULTI_SYNTAX_ERROR: state.syntax_error,
            DMS_MULTI_SYNTAX_ERROR_POSITION: state.syntax_position,
            SNMP_IN_BAD_COMMUNITY_NAMES: self.bad_community,
        }
        if oid in scalars:
            return scalars[oid]
        column, memory, number = self._message_index(oid)
        if memory == MemoryType.CURRENT_BUFFER and number == 1:
            return self._current(column)
        row = self._row(memory, number)
        if row is None:
            raise NoSuchObject(oid)
        return self._column(row, column, memory, number)

    def _row(self, memory: int, number: int) -> Row | None:
        if memory == MemoryType.BLANK:
            return _blank(number)
        return self.state.rows.get((memory, number))

    def _tag_bitmap(self) -> bytes:
        # Octet n holds tags 8n..8n+7, the lowest bit first (NTCIP 1203 v03 multiCfg.14).
        bits = sum(1 << TAG_BITS[t] for t in self.config.tags if t in TAG_BITS)
        return bits.to_bytes(4, "little")

    def _message_index(self, oid: Oid) -> tuple[Column, int, int]:
        n = len(DMS_MESSAGE_ENTRY)
        if len(oid) != n + 3 or oid[:n] != DMS_MESSAGE_ENTRY or oid[n] not in set(Column):
            raise NoSuchObject(oid)
        return Column(oid[n]), oid[n + 1], oid[n + 2]

    def _current(self, column: Column) -> Value:
        state = self.state
        row = Row(state.shown_multi, "", state.source.crc, 0, 0, state.shown_priority)
        row.status = MessageStatus.VALID
        return self._column(row, column, MemoryType.CURRENT_BUFFER, 1)

    @staticmethod
    def _column(row: Row, column: Column, memory: int, number: int) -> Value:
        values: dict[Column, Value] = {
            Column.MEMORY_TYPE: memory,
            Column.NUMBER: number,
            Column.MULTI_STRING: row.multi.encode("ascii", "replace"),
            Column.OWNER: row.owner.encode("ascii", "replace"),
            Column.CRC: row.crc,
            Column.BEACON: row.beacon,
            Column.PIXEL_SERVICE: row.pixel_service,
            Column.RUN_TIME_PRIORITY: row.priority,
            Column.STATUS: row.status,
        }
        return values[column]

    # --- SET ------------------------------------------------------------------------------

    def set(self, bindings: list[tuple[Oid, Value]], requester: str = "0.0.0.0") -> None:
        """Apply every binding or none; raises `SetRefused` naming the first that failed."""
        before = copy.deepcopy(self.state)
        try:
            for index, (oid, value) in enumerate(bindings, start=1):
                try:
                    self._set_one(oid, value)
                except SetRefused as refused:
                    refused.index = index
                    raise
        except SetRefused:
            errors = self._errors()
            self.state = before
            self._restore_errors(errors)
            raise

    def _errors(self) -> tuple[ActivateError, MultiSyntaxError, int]:
        s = self.state
        return s.activate_error, s.syntax_error, s.syntax_position

    def _restore_errors(self, errors: tuple[ActivateError, MultiSyntaxError, int]) -> None:
        # Why an activation failed stays readable after the failed SET (that is its purpose).
        s = self.state
        s.activate_error, s.syntax_error, s.syntax_position = errors

    def _set_one(self, oid: Oid, value: Value) -> None:
        if oid == DMS_ACTIVATE_MESSAGE:
            self._activate(_octets(value))
        elif oid == DMS_CONTROL_MODE:
            self.state.control_mode = ControlMode(_integer(value, 1, 6))
        else:
            try:
                column, memory, number = self._message_index(oid)
            except NoSuchObject:
                raise SetRefused(ErrorStatus.NOT_WRITABLE, why="not a writable object") from None
            self._set_column(column, memory, number, value)

    def _set_column(self, column: Column, memory: int, number: int, value: Value) -> None:
        row = self.state.rows.get((memory, number))
        if row is None or memory not in (MemoryType.CHANGEABLE, MemoryType.VOLATILE):
            raise SetRefused(ErrorStatus.NO_CREATION, why="no such changeable message")
        if column is Column.STATUS:
            self._request(row, MemoryType(memory), number, _integer(value, 1, 8))
            return
        if row.status is not MessageStatus.MODIFYING:
            raise SetRefused(ErrorStatus.GEN_ERR, why="the message is not being modified")
        if column is Column.MULTI_STRING:
            text = _octets(value)
            if len(text) > self.config.max_multi_length:
                raise SetRefused(
                    ErrorStatus.WRONG_LENGTH, why="longer than dmsMaxMultiStringLength"
                )
            row.multi = text.decode("latin-1")
        elif column is Column.OWNER:
            owner = _octets(value)
            if len(owner) > OWNER_MAX:
                raise SetRefused(ErrorStatus.WRONG_LENGTH, why="an owner is 127 octets at most")
            row.owner = owner.decode("latin-1")
        elif column is Column.RUN_TIME_PRIORITY:
            row.priority = _integer(value, 1, 255)
        elif column is Column.BEACON:
            row.beacon = _integer(value, 0, 1)
        elif column is Column.PIXEL_SERVICE:
            row.pixel_service = _integer(value, 0, 1)
        else:
            raise SetRefused(ErrorStatus.NOT_WRITABLE, why=f"{column.name} is read-only")

    def _request(self, row: Row, memory: MemoryType, number: int, request: int) -> None:
        shown = self.state.source.memory == memory and self.state.source.number == number
        if request == MessageStatus.MODIFY_REQ:
            if shown:
                raise SetRefused(ErrorStatus.GEN_ERR, why="the message is on display")
            row.status = MessageStatus.MODIFYING
        elif request == MessageStatus.VALIDATE_REQ:
            if row.status is not MessageStatus.MODIFYING:
                raise SetRefused(ErrorStatus.GEN_ERR, why="only a message being modified")
            self._validate(row)
        elif request == MessageStatus.NOT_USED_REQ:
            if shown:
                raise SetRefused(ErrorStatus.GEN_ERR, why="the message is on display")
            self.state.rows[(memory, number)] = Row()
        else:
            raise SetRefused(ErrorStatus.WRONG_VALUE, why="modifyReq, validateReq or notUsedReq")

    def _validate(self, row: Row) -> None:
        problem, position = self._syntax_problem(row.multi)
        state = self.state
        state.syntax_error, state.syntax_position = problem, position
        if problem is MultiSyntaxError.NONE:
            state.validate_error = ValidateError.NONE
            row.crc = message_crc(row.multi, row.beacon, row.pixel_service)
            row.status = MessageStatus.VALID
        else:
            state.validate_error = ValidateError.SYNTAX_MULTI
            row.status = MessageStatus.ERROR

    def _syntax_problem(self, multi: str) -> tuple[MultiSyntaxError, int]:
        config = self.config
        try:
            read = read_multi(multi)
        except MultiError as error:
            return MultiSyntaxError.OTHER, error.position
        for tag in read.tags:
            if tag.name not in config.tags:
                return MultiSyntaxError.UNSUPPORTED_TAG, tag.position
            if tag_value_problem(tag):
                return MultiSyntaxError.UNSUPPORTED_TAG_VALUE, tag.position
        if len(read.pages) > config.max_pages:
            return MultiSyntaxError.TOO_MANY_PAGES, 0
        for lines in read.pages:
            if len(lines) > config.lines or any(len(x) > config.characters for x in lines):
                return MultiSyntaxError.TEXT_TOO_BIG, 0
        for i, character in enumerate(multi, start=1):
            if not " " <= character <= "~":  # the sign's font: printable ASCII
                return MultiSyntaxError.CHARACTER_NOT_DEFINED, i
        return MultiSyntaxError.NONE, 0

    def _activate(self, raw: bytes) -> None:
        try:
            code = ActivationCode.decode(raw)
        except ValueError:
            raise SetRefused(ErrorStatus.WRONG_LENGTH, why="12 octets") from None
        error = self._activation_problem(code)
        self.state.activate_error = error
        if error is not ActivateError.NONE:
            raise SetRefused(ErrorStatus.GEN_ERR, why=f"activation refused: {error.name}")
        self.activations.append(code)
        self.state.requester = raw[8:]
        self.state.time_remaining = code.duration
        row = self._row(code.message.memory, code.message.number)
        assert row is not None  # checked by _activation_problem
        self._show(code.message, row)

    def _activation_problem(self, code: ActivationCode) -> ActivateError:
        message, state = code.message, self.state
        if state.control_mode is ControlMode.LOCAL:
            return ActivateError.LOCAL_MODE
        if message.memory not in (
            MemoryType.PERMANENT,
            MemoryType.CHANGEABLE,
            MemoryType.VOLATILE,
            MemoryType.BLANK,
        ):
            return ActivateError.MESSAGE_MEMORY_TYPE
        row = self._row(message.memory, message.number)
        if row is None:
            return ActivateError.MESSAGE_NUMBER
        if row.status is not MessageStatus.VALID:
            return ActivateError.MESSAGE_STATUS
        if row.crc != message.crc:
            return ActivateError.MESSAGE_CRC
        if code.priority < state.shown_priority and state.source.memory is not MemoryType.BLANK:
            return ActivateError.PRIORITY
        return ActivateError.NONE

    def _show(self, message: MessageId, row: Row) -> None:
        self.state.source = MessageId(message.memory, message.number, row.crc)
        self.state.shown_multi = row.multi
        self.state.shown_priority = row.priority


def _integer(value: Value, low: int, high: int) -> int:
    if not isinstance(value, int):
        raise SetRefused(ErrorStatus.WRONG_TYPE, why="an INTEGER")
    if not low <= value <= high:
        raise SetRefused(ErrorStatus.WRONG_VALUE, why=f"from {low} to {high}")
    return value


def _octets(value: Value) -> bytes:
    if not isinstance(value, bytes):
        raise SetRefused(ErrorStatus.WRONG_TYPE, why="an OCTET STRING")
    return value
