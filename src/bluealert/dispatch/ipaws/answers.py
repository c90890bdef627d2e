"""What IPAWS answers to `postCAP`: one status per dissemination channel.

FEMA's current service answers with a parameter list, one group per channel: `CHANNELNAME`,
`STATUSITEMID`, `ERROR` (Y/N) and `STATUS` — e.g. CAPEXCH 200 Ack, IPAWS 300 Ack, EAS 501
message-not-disseminated-as-EAS, CMAS 600 Ack, PUBLIC 800 Ack (as seen in a public IPAWS client's
tests). The WSDL we hold is the older one, whose `postCAPResponseTypeDef` is a single string,
`postCAPReturn`; the stand-in writes the same groups into it, one line each:

    SUCCESS BLU-TX-2026-0007-v1
    CAPEXCH 200 N Ack
    EAS 500 N Ack
    CMAS 600 N Ack
    NWEM 401 N message-not-disseminated-as-NWEM
    PUBLIC 800 N Ack

The item numbers for "disseminated" (x00) and "not disseminated" (x01) per channel are read off
that one sample: UNCONFIRMED against FEMA's specification.
"""

from __future__ import annotations

from dataclasses import dataclass

from bluealert.dispatch.ipaws.cog import CHANNEL_NAMES

ACK = "Ack"
ITEM_BASE = {"CAPEXCH": 200, "IPAWS": 300, "NWEM": 400, "EAS": 500, "CMAS": 600, "PUBLIC": 800}


@dataclass(frozen=True)
class ChannelStatus:
    channel: str  # IPAWS's name: CAPEXCH, IPAWS, EAS, CMAS, NWEM, PUBLIC
    item: int
    error: bool
    status: str

    @classmethod
    def of(cls, channel: str, why_not: str | None) -> ChannelStatus:
        """Disseminated when `why_not` is None, else not, with IPAWS's wording."""
        base = ITEM_BASE[channel]
        if why_not is None:
            return cls(channel, base, False, ACK)
        return cls(channel, base + 1, False, f"message-not-disseminated-as-{channel}")

    @property
    def disseminated(self) -> bool:
        return not self.error and self.status == ACK

    def line(self) -> str:
        return f"{self.channel} {self.item} {'Y' if self.error else 'N'} {self.status}"


@dataclass(frozen=True)
class PostAnswer:
    identifier: str
    statuses: tuple[ChannelStatus, ...]

    def text(self) -> str:
        return "\n".join([f"SUCCESS {self.identifier}", *(s.line() for s in self.statuses)])

    @classmethod
    def parse(cls, text: str) -> PostAnswer:
        """Read `postCAPReturn`; a line that is not a channel status is refused by name."""
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        if not lines or not lines[0].startswith("SUCCESS"):
            raise ValueError(f"postCAPReturn: expected SUCCESS first, got {text[:80]!r}")
        statuses = []
        for line in lines[1:]:
            parts = line.split(" ", 3)
            if len(parts) != 4 or not parts[1].isdigit() or parts[2] not in ("Y", "N"):
                raise ValueError(f"postCAPReturn: not a channel status: {line!r}")
            statuses.append(ChannelStatus(parts[0], int(parts[1]), parts[2] == "Y", parts[3]))
        return cls(lines[0].removeprefix("SUCCESS").strip(), tuple(statuses))

    def summary(self) -> str:
        """One line for the receipt: each dissemination channel and what IPAWS said of it."""
        parts = [
            f"{CHANNEL_NAMES[s.channel]} {s.status}"
            for s in self.statuses
            if s.channel in CHANNEL_NAMES
        ]
        return f"IPAWS accepted {self.identifier}: " + "; ".join(parts)
