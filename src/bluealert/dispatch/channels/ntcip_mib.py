"""The part of the NTCIP 1203 v03 MIB (dynamic message signs) the sign channel uses, as data.

    dms = 1.3.6.1.4.1.1206.4.2.3        (iso.org.dod.internet.private.enterprises.nema
                                          .transportation.devices.dms)
    ├── multiCfg (4)     defaults and limits: page times, supported MULTI tags, pages, length
    ├── dmsMessage (5)   the message table, indexed by (memory type, message number)
    └── signControl (6)  activate a message, what is shown, why an activation failed

The channel and the local sign agent (`bluealert.dispatch.sign_agent`) both read these names,
so the OIDs are written once, here. Enumerations keep the standard's numbers.
"""

from __future__ import annotations

import ipaddress
import struct
from dataclasses import dataclass
from enum import IntEnum

Oid = tuple[int, ...]

DMS: Oid = (1, 3, 6, 1, 4, 1, 1206, 4, 2, 3)

# multiCfg
DEFAULT_PAGE_ON_TIME: Oid = (*DMS, 4, 8, 0)
DEFAULT_PAGE_OFF_TIME: Oid = (*DMS, 4, 9, 0)
DMS_SUPPORTED_MULTI_TAGS: Oid = (*DMS, 4, 14, 0)
DMS_MAX_NUMBER_PAGES: Oid = (*DMS, 4, 15, 0)
DMS_MAX_MULTI_STRING_LENGTH: Oid = (*DMS, 4, 16, 0)

# dmsMessage
DMS_NUM_CHANGEABLE_MSG: Oid = (*DMS, 5, 2, 0)
DMS_MAX_CHANGEABLE_MSG: Oid = (*DMS, 5, 3, 0)
DMS_MESSAGE_ENTRY: Oid = (*DMS, 5, 8, 1)
DMS_VALIDATE_MESSAGE_ERROR: Oid = (*DMS, 5, 9, 0)

# signControl
DMS_CONTROL_MODE: Oid = (*DMS, 6, 1, 0)
DMS_ACTIVATE_MESSAGE: Oid = (*DMS, 6, 3, 0)
DMS_MESSAGE_TIME_REMAINING: Oid = (*DMS, 6, 4, 0)
DMS_MSG_TABLE_SOURCE: Oid = (*DMS, 6, 5, 0)
DMS_MSG_REQUESTER_ID: Oid = (*DMS, 6, 6, 0)
DMS_ACTIVATE_MSG_ERROR: Oid = (*DMS, 6, 17, 0)
DMS_MULTI_SYNTAX_ERROR: Oid = (*DMS, 6, 18, 0)
DMS_MULTI_SYNTAX_ERROR_POSITION: Oid = (*DMS, 6, 19, 0)

# RFC 1213 snmp group: requests dropped for naming a community the agent does not know.
SNMP_IN_BAD_COMMUNITY_NAMES: Oid = (1, 3, 6, 1, 2, 1, 11, 4, 0)

UNTIL_CHANGED = 65535  # an activation duration of 65535 minutes means "until replaced"
OWNER_MAX = 127  # dmsMessageOwner: OwnerString, SIZE (0..127)


class Column(IntEnum):
    """dmsMessageEntry's columns."""

    MEMORY_TYPE = 1
    NUMBER = 2
    MULTI_STRING = 3
    OWNER = 4
    CRC = 5
    BEACON = 6
    PIXEL_SERVICE = 7
    RUN_TIME_PRIORITY = 8
    STATUS = 9


class MemoryType(IntEnum):
    OTHER = 1
    PERMANENT = 2
    CHANGEABLE = 3
    VOLATILE = 4
    CURRENT_BUFFER = 5
    SCHEDULE = 6
    BLANK = 7


class MessageStatus(IntEnum):
    """dmsMessageStatus: 6, 7 and 8 are requests a manager writes; 1 to 5 are states."""

    NOT_USED = 1
    MODIFYING = 2
    VALIDATING = 3
    VALID = 4
    ERROR = 5
    MODIFY_REQ = 6
    VALIDATE_REQ = 7
    NOT_USED_REQ = 8


class ValidateError(IntEnum):
    OTHER = 1
    NONE = 2
    BEACONS = 3
    PIXEL_SERVICE = 4
    SYNTAX_MULTI = 5


class ActivateError(IntEnum):
    OTHER = 1
    NONE = 2
    PRIORITY = 3
    MESSAGE_STATUS = 4
    MESSAGE_MEMORY_TYPE = 5
    MESSAGE_NUMBER = 6
    MESSAGE_CRC = 7
    SYNTAX_MULTI = 8
    LOCAL_MODE = 9


class MultiSyntaxError(IntEnum):
    OTHER = 1
    NONE = 2
    UNSUPPORTED_TAG = 3
    UNSUPPORTED_TAG_VALUE = 4
    TEXT_TOO_BIG = 5
    FONT_NOT_DEFINED = 6
    CHARACTER_NOT_DEFINED = 7
    FIELD_DEVICE_NOT_EXIST = 8
    FIELD_DEVICE_ERROR = 9
    FLASH_REGION_ERROR = 10
    TAG_CONFLICT = 11
    TOO_MANY_PAGES = 12
    FONT_VERSION_ID = 13
    GRAPHIC_ID = 14
    GRAPHIC_NOT_DEFINED = 15


class ControlMode(IntEnum):
    OTHER = 1
    LOCAL = 2  # a technician at the sign: central commands are refused
    EXTERNAL = 3
    CENTRAL = 4
    CENTRAL_OVERRIDE = 5
    SIMULATION = 6


def message_oid(column: Column, memory: MemoryType, number: int) -> Oid:
    return (*DMS_MESSAGE_ENTRY, column, memory, number)


def message_crc(multi: str, beacon: int = 0, pixel_service: int = 0) -> int:
    """dmsMessageCRC: the CRC-16 of ISO/IEC 3309 (the X.25 frame check: polynomial 0x1021
    reflected, start 0xFFFF, result inverted) over the MULTI's bytes, then the beacon and pixel
    service octets. Known answer: '123456789' gives 0x906E."""
    crc = 0xFFFF
    for byte in multi.encode("latin-1") + bytes((beacon, pixel_service)):
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x8408 if crc & 1 else crc >> 1
    return crc ^ 0xFFFF


@dataclass(frozen=True, slots=True)
class MessageId:
    """MessageIDCode (5 octets): memory type, message number, CRC. What dmsMsgTableSource
    says the sign shows."""

    memory: MemoryType
    number: int
    crc: int

    def encode(self) -> bytes:
        return struct.pack(">BHH", self.memory, self.number, self.crc)

    @classmethod
    def decode(cls, raw: bytes) -> MessageId:
        if len(raw) != 5:
            raise ValueError(f"a MessageIDCode is 5 octets, not {len(raw)}")
        memory, number, crc = struct.unpack(">BHH", raw)
        return cls(MemoryType(memory), number, crc)

    def describe(self) -> str:
        if self.memory is MemoryType.BLANK:
            return "blank"
        return f"{self.memory.name.lower()} {self.number} (CRC 0x{self.crc:04X})"


@dataclass(frozen=True, slots=True)
class ActivationCode:
    """MessageActivationCode (12 octets), written to dmsActivateMessage: duration in minutes
    (65535 until replaced), activation priority (1 lowest, 255 highest), the message's id, and
    the requester's IPv4 address."""

    duration: int
    priority: int
    message: MessageId
    source: str = "0.0.0.0"

    def encode(self) -> bytes:
        return (
            struct.pack(">HB", self.duration, self.priority)
            + self.message.encode()
            + ipaddress.IPv4Address(self.source).packed
        )

    @classmethod
    def decode(cls, raw: bytes) -> ActivationCode:
        if len(raw) != 12:
            raise ValueError(f"a MessageActivationCode is 12 octets, not {len(raw)}")
        duration, priority = struct.unpack(">HB", raw[:3])
        message = MessageId.decode(raw[3:8])
        return cls(duration, priority, message, str(ipaddress.IPv4Address(raw[8:])))


BLANK = MessageId(MemoryType.BLANK, 1, message_crc(""))
