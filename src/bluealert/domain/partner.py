"""A dissemination partner: who they are, where they care about, what they may receive."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from bluealert.domain.model import CountyFips, Model, ShortText, StateCode
from bluealert.domain.vocabulary import Status


class PartnerKind(StrEnum):
    LAW_ENFORCEMENT = "law_enforcement"
    SIGN_SYSTEM = "sign_system"  # a state DOT's sign system, billboards
    MEDIA = "media"  # broadcasters and media
    IPAWS = "ipaws"
    PEER_NODE = "peer_node"
    OTHER = "other"


class Tier(StrEnum):
    """What a recipient may see: the public facts, or the law-enforcement ones too."""

    PUBLIC = "public"
    LAW_ENFORCEMENT = "law_enforcement"


# Formats that carry law-enforcement facts: officers not yet named in public, the narrative,
# the notes, full plates. Only a law-enforcement-tier partner may ask for them.
RESTRICTED_FORMATS = frozenset({"cap-restricted", "teletype"})
PARTNER_FORMATS = frozenset(
    {"cap", "cap-restricted", "same", "same-audio", "wea", "dms", "teletype", "json"}
)


# MULTI tag names (NTCIP 1203 v03 §6.4), as a sign's profile lists those it supports.
MULTI_TAG_NAMES = frozenset(
    {"cb", "cf", "cr", "f", "fl", "fo", "g", "hc", "jl", "jp", "ms", "mv", "nl", "np", "pb", "pt"}
    | {"sc", "tr"}
)
# The longest line every sign message has ('DO NOT APPROACH'): a narrower sign cannot take one.
SIGN_MIN_CHARACTERS = 15


class AfterEnd(StrEnum):
    """What a sign shows once the alert is cancelled, resolved or expired."""

    BLANK = "blank"
    RESTORE = "restore"  # the message it showed before the alert, when still there


class SignSetup(Model):
    """A highway sign reached over NTCIP 1203 (the `ntcip` channel): its face, the MULTI tags
    it supports, and the two changeable messages (`slot` and `slot + 1`) bluealert writes."""

    lines: int = Field(default=3, ge=1, le=8)
    characters: int = Field(default=18, le=64)
    pages: int = Field(default=2, ge=1, le=6)
    tags: list[str] = Field(default=["nl", "np", "pt", "jl", "jp"])
    slot: int = Field(default=1, ge=1, le=65534)
    priority: int = Field(default=200, ge=1, le=255)
    after_end: AfterEnd = AfterEnd.BLANK

    @model_validator(mode="after")
    def _message_fits(self) -> Self:
        if self.characters < SIGN_MIN_CHARACTERS:
            raise ValueError(
                f"characters: at least {SIGN_MIN_CHARACTERS} a line, the length of the fixed "
                "line 'DO NOT APPROACH'; a narrower sign cannot carry the alert"
            )
        return self

    @model_validator(mode="after")
    def _tags_are_multi(self) -> Self:
        unknown = sorted(set(self.tags) - MULTI_TAG_NAMES)
        if unknown:
            known = ", ".join(sorted(MULTI_TAG_NAMES))
            raise ValueError(f"tags: not MULTI tags: {', '.join(unknown)}; one of {known}")
        return self

    def describe(self) -> str:
        return (
            f"{self.lines}x{self.characters}, {self.pages} page(s), tags {','.join(self.tags)}, "
            f"slots {self.slot}-{self.slot + 1}, priority {self.priority}, then {self.after_end}"
        )


class PartnerArea(Model):
    """Counties, states, or the whole nation. An empty area reaches nothing and is refused."""

    nation: bool = False
    states: list[StateCode] = []
    counties: list[CountyFips] = []

    @model_validator(mode="after")
    def _names_somewhere(self) -> Self:
        if not (self.nation or self.states or self.counties):
            raise ValueError("a partner's area names counties, states, or the whole nation")
        return self

    def meets(self, states: set[str], counties: set[str]) -> bool:
        """Whether an alert over `states` and `counties` (FIPS) falls in this area."""
        if self.nation:
            return True
        return bool(states.intersection(self.states) or counties.intersection(self.counties))

    def describe(self) -> str:
        if self.nation:
            return "nation"
        return ", ".join([*self.states, *self.counties])


class Partner(Model):
    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9 ._-]+$")]
    kind: PartnerKind
    area: PartnerArea
    formats: list[str] = Field(default=["cap"], min_length=1)
    tier: Tier = Tier.PUBLIC
    statuses: list[Status] = Field(default=[Status.ACTUAL], min_length=1)
    channel: Annotated[str, Field(min_length=1, max_length=30, pattern=r"^[a-z0-9_-]+$")]
    address: Annotated[str, Field(min_length=1, max_length=500)]
    secret: str | None = Field(default=None, max_length=200)
    contact: ShortText | None = None
    sign: SignSetup | None = None  # the `ntcip` channel's sign

    @model_validator(mode="after")
    def _sign_fits_channel(self) -> Self:
        if self.channel != "ntcip":
            if self.sign is not None:
                raise ValueError("sign: sign settings are for the ntcip channel only")
            return self
        if self.kind is not PartnerKind.SIGN_SYSTEM:
            raise ValueError("kind: an ntcip sign is a sign_system partner")
        if self.sign is None:
            raise ValueError("sign: an ntcip partner needs its sign's profile and slot")
        if not self.secret:
            raise ValueError("secret: an ntcip sign needs its SNMP write community as its secret")
        return self

    @model_validator(mode="after")
    def _tier_allows_formats(self) -> Self:
        unknown = sorted(set(self.formats) - PARTNER_FORMATS)
        if unknown:
            known = ", ".join(sorted(PARTNER_FORMATS))
            raise ValueError(f"formats: unknown {', '.join(unknown)}; one of {known}")
        restricted = sorted(set(self.formats) & RESTRICTED_FORMATS)
        if restricted and self.tier is not Tier.LAW_ENFORCEMENT:
            raise ValueError(
                f"formats: {', '.join(restricted)} carry law-enforcement facts and need the "
                "law_enforcement tier"
            )
        if self.tier is Tier.LAW_ENFORCEMENT and self.kind not in (
            PartnerKind.LAW_ENFORCEMENT,
            PartnerKind.PEER_NODE,
        ):
            raise ValueError(
                "tier: only a law-enforcement agency or a peer node gets the law_enforcement tier"
            )
        return self

    @model_validator(mode="after")
    def _address_fits_channel(self) -> Self:
        if self.channel == "web_push":
            raise ValueError(
                "channel: web_push reaches a subscriber's browser; a partner takes webhook, "
                "cap_push, email, mqtt or apprise"
            )
        problem = address_problem(self.channel, self.address)
        if problem:
            raise ValueError(f"address: {problem}")
        return self

    def accepts(self, status: Status) -> bool:
        """Actual always where listed; Exercise and Test only where the partner says so."""
        return status in self.statuses


# A push service's endpoint is https (RFC 8030 §8); http only on a loopback host, for a local
# stand-in (browsers allow the same for localhost).
WEB_PUSH_ENDPOINT = r"https://[^\s/]+(/\S*)?|http://(127\.\d+\.\d+\.\d+|localhost)(:\d+)?(/\S*)?"


def address_problem(channel: str, address: str) -> str | None:
    """Why `address` cannot be one of `channel`'s; None when it can (or the channel is not
    one this module knows: a plug-in channel checks its own)."""
    if channel in ("webhook", "cap_push") and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", address):
        return f"a {channel} address is an http:// or https:// URL"
    if channel == "web_push" and not re.fullmatch(WEB_PUSH_ENDPOINT, address):
        return "a web_push address is a push service's https:// endpoint"
    if channel == "apprise" and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*://\S+", address):
        return "an apprise address is an Apprise URL such as tgram://bot-token/chat-id"
    if channel == "email" and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address):
        return "an email address looks like name@example.org"
    if channel == "mqtt" and not re.fullmatch(r"[^#+\s]+", address):
        return "an MQTT address is a topic prefix without wildcards (e.g. bluealert/v1)"
    if channel == "ipaws" and not re.fullmatch(r"[1-9][0-9]{0,8}", address):
        return "an IPAWS address is the COG id FEMA issued (digits, e.g. 120999)"
    if channel == "ntcip" and not _sign_address(address):
        return "an ntcip address is the sign controller's host or IPv4 address, ':port' optional"
    return None


def _sign_address(address: str) -> bool:
    found = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9.-]*)(?::(\d{1,5}))?", address)
    return found is not None and (found.group(2) is None or 0 < int(found.group(2)) < 65536)


def sign_host_port(address: str) -> tuple[str, int]:
    """An ntcip address split; SNMP's port 161 when none is given."""
    host, _, port = address.partition(":")
    return host, int(port) if port else 161
