"""The local sign's MIB refuses what a real sign refuses (no sockets: the objects alone)."""

from __future__ import annotations

import pytest

from bluealert.dispatch.channels.ntcip_mib import (
    BLANK,
    DMS_ACTIVATE_MESSAGE,
    DMS_ACTIVATE_MSG_ERROR,
    DMS_CONTROL_MODE,
    DMS_MSG_TABLE_SOURCE,
    DMS_MULTI_SYNTAX_ERROR,
    DMS_MULTI_SYNTAX_ERROR_POSITION,
    DMS_SUPPORTED_MULTI_TAGS,
    DMS_VALIDATE_MESSAGE_ERROR,
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
from bluealert.dispatch.sign_mib import ErrorStatus, NoSuchObject, SetRefused, SignConfig, SignMib

C = MemoryType.CHANGEABLE


def status(n: int) -> tuple[int, ...]:
    return message_oid(Column.STATUS, C, n)


def write(mib: SignMib, n: int, multi: str, priority: int = 200) -> MessageStatus:
    """modifyReq, write, validateReq: the status the message ends in."""
    mib.set([(status(n), MessageStatus.MODIFY_REQ)])
    mib.set(
        [
            (message_oid(Column.MULTI_STRING, C, n), multi.encode("latin-1")),
            (message_oid(Column.RUN_TIME_PRIORITY, C, n), priority),
        ]
    )
    mib.set([(status(n), MessageStatus.VALIDATE_REQ)])
    return MessageStatus(mib.get(status(n)))


def activate(mib: SignMib, n: int, multi: str, priority: int = 200, crc: int | None = None) -> None:
    crc = message_crc(multi) if crc is None else crc
    code = ActivationCode(60, priority, MessageId(C, n, crc))
    mib.set([(DMS_ACTIVATE_MESSAGE, code.encode())])


@pytest.fixture
def mib() -> SignMib:
    return SignMib(
        SignConfig(lines=3, characters=18, max_pages=2, tags=frozenset({"nl", "np", "jl"}))
    )


def test_a_valid_message_is_shown_with_its_pages(mib: SignMib) -> None:
    multi = "[jl3]BLUE ALERT[nl]CALL 911[np]BLUE ALERT"
    assert write(mib, 1, multi) is MessageStatus.VALID
    assert mib.get(message_oid(Column.CRC, C, 1)) == message_crc(multi)
    activate(mib, 1, multi)
    assert mib.showing == MessageId(C, 1, message_crc(multi))
    assert mib.shown.pages == [["BLUE ALERT", "CALL 911"], ["BLUE ALERT"]]
    assert mib.get(DMS_MSG_TABLE_SOURCE) == bytes([3, 0, 1]) + message_crc(multi).to_bytes(2)
    assert mib.get(message_oid(Column.MULTI_STRING, MemoryType.CURRENT_BUFFER, 1)) == multi.encode()


@pytest.mark.parametrize(
    ("multi", "error", "position"),
    [
        ("[pt30o3]BLUE ALERT", MultiSyntaxError.UNSUPPORTED_TAG, 1),
        ("BLUE[fl]ALERT", MultiSyntaxError.UNSUPPORTED_TAG, 5),
        ("[jl9]BLUE ALERT", MultiSyntaxError.UNSUPPORTED_TAG_VALUE, 1),
        ("A[np]B[np]C", MultiSyntaxError.TOO_MANY_PAGES, 0),
        ("A[nl]B[nl]C[nl]D", MultiSyntaxError.TEXT_TOO_BIG, 0),
        ("NINETEEN CHARACTERS", MultiSyntaxError.TEXT_TOO_BIG, 0),
        ("BLUE ALERT[nl", MultiSyntaxError.OTHER, 11),
        ("ALERTE \u00e9", MultiSyntaxError.CHARACTER_NOT_DEFINED, 8),
    ],
)
def test_validation_refuses_what_the_sign_cannot_show(
    mib: SignMib, multi: str, error: MultiSyntaxError, position: int
) -> None:
    assert write(mib, 2, multi) is MessageStatus.ERROR
    assert mib.get(DMS_VALIDATE_MESSAGE_ERROR) == ValidateError.SYNTAX_MULTI
    assert mib.get(DMS_MULTI_SYNTAX_ERROR) == error
    assert mib.get(DMS_MULTI_SYNTAX_ERROR_POSITION) == position
    with pytest.raises(SetRefused):
        activate(mib, 2, multi)
    assert mib.get(DMS_ACTIVATE_MSG_ERROR) == ActivateError.MESSAGE_STATUS
    assert mib.showing == BLANK


def test_a_message_too_long_for_the_sign_is_refused_when_written() -> None:
    mib = SignMib(SignConfig(max_multi_length=20))
    mib.set([(status(1), MessageStatus.MODIFY_REQ)])
    with pytest.raises(SetRefused) as refused:
        mib.set([(message_oid(Column.MULTI_STRING, C, 1), b"X" * 21)])
    assert refused.value.status is ErrorStatus.WRONG_LENGTH


@pytest.mark.parametrize(
    ("prepare", "crc_offset", "priority", "expected"),
    [
        ("modifying", 0, 200, ActivateError.MESSAGE_STATUS),  # written, never validated
        ("unused", 0, 200, ActivateError.MESSAGE_STATUS),
        ("valid", 1, 200, ActivateError.MESSAGE_CRC),
        ("valid-under-higher", 0, 100, ActivateError.PRIORITY),
        ("local", 0, 200, ActivateError.LOCAL_MODE),
    ],
)
def test_activation_refusals(
    mib: SignMib, prepare: str, crc_offset: int, priority: int, expected: ActivateError
) -> None:
    multi = "BLUE ALERT"
    if prepare == "modifying":
        mib.set([(status(1), MessageStatus.MODIFY_REQ)])
        mib.set([(message_oid(Column.MULTI_STRING, C, 1), multi.encode())])
    elif prepare != "unused":
        assert write(mib, 1, multi) is MessageStatus.VALID
    if prepare == "valid-under-higher":
        mib.display(mib.store(9, "CRASH AHEAD", priority=250))
    if prepare == "local":
        mib.set([(DMS_CONTROL_MODE, 2)])
    before = mib.showing
    with pytest.raises(SetRefused) as refused:
        activate(mib, 1, multi, priority, message_crc(multi) + crc_offset)
    assert refused.value.status is ErrorStatus.GEN_ERR
    assert mib.get(DMS_ACTIVATE_MSG_ERROR) == expected
    assert mib.showing == before


@pytest.mark.parametrize(
    ("binding", "status_"),
    [
        ((message_oid(Column.MULTI_STRING, C, 1), b"A"), ErrorStatus.GEN_ERR),  # not modifying
        ((message_oid(Column.MULTI_STRING, C, 99), b"A"), ErrorStatus.NO_CREATION),
        ((message_oid(Column.MULTI_STRING, MemoryType.PERMANENT, 1), b"A"),
         ErrorStatus.NO_CREATION),
        ((message_oid(Column.CRC, C, 1), 5), ErrorStatus.GEN_ERR),
        ((status(1), 4), ErrorStatus.WRONG_VALUE),  # valid(4) is a state, not a request
        ((status(1), MessageStatus.VALIDATE_REQ), ErrorStatus.GEN_ERR),  # not modifying
        ((status(1), b"6"), ErrorStatus.WRONG_TYPE),
        ((DMS_ACTIVATE_MESSAGE, b"short"), ErrorStatus.WRONG_LENGTH),
        ((DMS_SUPPORTED_MULTI_TAGS, b"\xff"), ErrorStatus.NOT_WRITABLE),
    ],
)  # fmt: skip
def test_writes_a_sign_refuses(
    mib: SignMib, binding: tuple[tuple[int, ...], int | bytes], status_: ErrorStatus
) -> None:
    with pytest.raises(SetRefused) as refused:
        mib.set([binding])
    assert refused.value.status is status_


def test_a_set_is_all_or_nothing(mib: SignMib) -> None:
    mib.set([(status(1), MessageStatus.MODIFY_REQ)])
    with pytest.raises(SetRefused) as refused:
        mib.set(
            [
                (message_oid(Column.MULTI_STRING, C, 1), b"KEPT?"),
                (message_oid(Column.RUN_TIME_PRIORITY, C, 1), 300),
            ]
        )
    assert refused.value.index == 2
    assert mib.get(message_oid(Column.MULTI_STRING, C, 1)) == b""


def test_the_message_on_display_cannot_be_edited_or_freed(mib: SignMib) -> None:
    assert write(mib, 1, "BLUE ALERT") is MessageStatus.VALID
    activate(mib, 1, "BLUE ALERT")
    for request in (MessageStatus.MODIFY_REQ, MessageStatus.NOT_USED_REQ):
        with pytest.raises(SetRefused):
            mib.set([(status(1), request)])
    mib.set([(DMS_ACTIVATE_MESSAGE, ActivationCode(60, 200, BLANK).encode())])
    mib.set([(status(1), MessageStatus.NOT_USED_REQ)])
    assert mib.get(status(1)) == MessageStatus.NOT_USED
    assert mib.shown.pages == []


def test_supported_tags_bitmap_and_unknown_objects(mib: SignMib) -> None:
    # nl is bit 10, np 11, jl 6; octet n holds bits 8n..8n+7, lowest first.
    assert mib.get(DMS_SUPPORTED_MULTI_TAGS) == bytes([0b0100_0000, 0b0000_1100, 0, 0])
    with pytest.raises(NoSuchObject):
        mib.get((1, 3, 6, 1, 4, 1, 1206, 4, 2, 3, 99, 0))
    with pytest.raises(NoSuchObject):
        mib.get(message_oid(Column.MULTI_STRING, C, 99))
