"""NTCIP 1203 v03 objects, codes and the message CRC, against values from outside this code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bluealert.dispatch.channels import ntcip_mib as mib
from bluealert.dispatch.channels.ntcip import before_of, duration_minutes, owner_string
from bluealert.dispatch.channels.ntcip_mib import (
    ActivationCode,
    Column,
    MemoryType,
    MessageId,
    message_crc,
)


def dotted(oid: tuple[int, ...]) -> str:
    return ".".join(map(str, oid))


@pytest.mark.parametrize(
    ("oid", "expected"),
    [  # as MnDOT IRIS's OID tests and the NTCIP 1203 v03 MIB give them
        (mib.DMS_ACTIVATE_MESSAGE, "1.3.6.1.4.1.1206.4.2.3.6.3.0"),
        (mib.DMS_MSG_TABLE_SOURCE, "1.3.6.1.4.1.1206.4.2.3.6.5.0"),
        (mib.DMS_ACTIVATE_MSG_ERROR, "1.3.6.1.4.1.1206.4.2.3.6.17.0"),
        (mib.DMS_MULTI_SYNTAX_ERROR, "1.3.6.1.4.1.1206.4.2.3.6.18.0"),
        (mib.DMS_VALIDATE_MESSAGE_ERROR, "1.3.6.1.4.1.1206.4.2.3.5.9.0"),
        (mib.DEFAULT_PAGE_ON_TIME, "1.3.6.1.4.1.1206.4.2.3.4.8.0"),
        (mib.DMS_SUPPORTED_MULTI_TAGS, "1.3.6.1.4.1.1206.4.2.3.4.14.0"),
        (mib.DMS_MAX_NUMBER_PAGES, "1.3.6.1.4.1.1206.4.2.3.4.15.0"),
        (mib.DMS_MAX_MULTI_STRING_LENGTH, "1.3.6.1.4.1.1206.4.2.3.4.16.0"),
        (mib.message_oid(Column.MULTI_STRING, MemoryType.CURRENT_BUFFER, 1),
         "1.3.6.1.4.1.1206.4.2.3.5.8.1.3.5.1"),
        (mib.message_oid(Column.OWNER, MemoryType.CHANGEABLE, 7),
         "1.3.6.1.4.1.1206.4.2.3.5.8.1.4.3.7"),
        (mib.message_oid(Column.CRC, MemoryType.CHANGEABLE, 7),
         "1.3.6.1.4.1.1206.4.2.3.5.8.1.5.3.7"),
        (mib.message_oid(Column.RUN_TIME_PRIORITY, MemoryType.CHANGEABLE, 7),
         "1.3.6.1.4.1.1206.4.2.3.5.8.1.8.3.7"),
        (mib.message_oid(Column.STATUS, MemoryType.CHANGEABLE, 7),
         "1.3.6.1.4.1.1206.4.2.3.5.8.1.9.3.7"),
    ],
)  # fmt: skip
def test_object_identifiers(oid: tuple[int, ...], expected: str) -> None:
    assert dotted(oid) == expected


def test_crc_is_iso_3309_x25() -> None:
    # The CRC catalogue's check value for CRC-16/X-25 (IBM-SDLC) over "123456789" is 0x906E;
    # the message CRC then takes in the beacon and pixel-service octets after the MULTI.
    assert message_crc("1234567", ord("8"), ord("9")) == 0x906E
    assert message_crc("") != message_crc("", 1, 0)


def test_activation_code_is_twelve_octets_in_network_order() -> None:
    code = ActivationCode(90, 200, MessageId(MemoryType.CHANGEABLE, 5, 0x1A2B), "192.0.2.7")
    raw = code.encode()
    assert raw == bytes([0, 90, 200, 3, 0, 5, 0x1A, 0x2B, 192, 0, 2, 7])
    assert ActivationCode.decode(raw) == code
    with pytest.raises(ValueError, match="12 octets"):
        ActivationCode.decode(raw[:11])
    assert MessageId.decode(bytes([7, 0, 1, 0, 0])).describe() == "blank"
    assert MessageId(MemoryType.CHANGEABLE, 9, 0xBEEF).describe() == "changeable 9 (CRC 0xBEEF)"


def test_owner_remembers_the_message_before_and_reads_it_back() -> None:
    before = MessageId(MemoryType.PERMANENT, 12, 0x00AF)
    owner = owner_string("TX-2026-0001", before)
    assert owner == "bluealert TX-2026-0001 before 2.12.00AF"
    assert before_of(owner) == before
    assert before_of(owner_string("TX-2026-0001", None)) is None
    assert len(owner_string("X" * 200, before)) == mib.OWNER_MAX


def test_duration_runs_to_the_expiry_rounded_up() -> None:
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert duration_minutes(now + timedelta(minutes=90, seconds=1), now) == 91
    assert duration_minutes(now + timedelta(minutes=90), now) == 90
    assert duration_minutes(now - timedelta(minutes=5), now) == 1
    assert duration_minutes(now + timedelta(days=200), now) == 65534
    assert duration_minutes(None, now) == mib.UNTIL_CHANGED
