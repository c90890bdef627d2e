"""Build the CAP 1.2 messages (IPAWS profile) of one alert version.

Two messages per version: `Public` (English and Spanish info blocks, public facts only) and
`Restricted` (the law-enforcement tier, for police systems). Identifiers are stable: the same
version always gets the same identifier, and updates reference every earlier unexpired one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from lxml import etree

from bluealert.domain.alert import Alert, AlertVersion
from bluealert.domain.content import AlertContent
from bluealert.domain.jurisdictions import jurisdiction
from bluealert.domain.plan import Channel, StatePlan
from bluealert.domain.registry import plan_for
from bluealert.domain.tiers import public_view
from bluealert.domain.vocabulary import AlertKind, MsgType, Resolution
from bluealert.formats.cancellation import Cancellation, cancellation_of
from bluealert.formats.cap.area import CapArea, cap_area_from_request, circle_text, polygon_text
from bluealert.formats.cap.times import cap_time, zone_abbreviation
from bluealert.formats.context import RenderContext
from bluealert.formats.phrases import Language, spanish_contact
from bluealert.formats.public_text import compose_public_text
from bluealert.formats.wea import compose_wea

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
Scope = Literal["Public", "Restricted"]
RESTRICTION = "For law enforcement only. Not for public release or broadcast."
URGENCY, SEVERITY = "Immediate", "Severe"
RESPONSES = ("Avoid", "Monitor")
CANCEL_RESPONSES = ("AllClear",)  # CAP 1.2: the event no longer poses a threat
IMMINENT = ({"Immediate", "Expected"}, {"Extreme", "Severe"}, {"Observed", "Likely"})
# IPAWS dissemination channels, and the plan channel that opens each.
IPAWS_CHANNELS = {"EAS": Channel.EAS, "CMAS": Channel.WEA, "PUBLIC": Channel.FEEDS, "NWEM": None}


@dataclass(frozen=True)
class CapMessage:
    identifier: str
    sent: str
    xml: bytes


def identifier(alert: Alert, number: int, scope: Scope) -> str:
    suffix = "-LE" if scope == "Restricted" else ""
    return f"BLU-{alert.reference}-v{number}{suffix}"


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{tag}")
    if text is not None:
        element.text = text
    return element


def _pair(parent: etree._Element, tag: str, name: str, value: str) -> None:
    element = _sub(parent, tag)
    _sub(element, "valueName", name)
    _sub(element, "value", value)


def certainty(content: AlertContent) -> str:
    confirmed = content.kind is not AlertKind.IMMINENT_THREAT
    return "Observed" if confirmed else "Likely"


def wea_handling(urgency: str, severity: str, certainty_: str) -> str:
    """Imminent Threat when urgency, severity and certainty all qualify (47 CFR 10.400)."""
    qualifies = all(
        v in allowed for v, allowed in zip((urgency, severity, certainty_), IMMINENT, strict=True)
    )
    return "Imminent Threat" if qualifies else "Public Safety"


def blocked_channels(plan: StatePlan) -> list[str]:
    open_channels = set(plan.default_channels)
    return [name for name, channel in IPAWS_CHANNELS.items() if channel not in open_channels]


def expires_at(alert: Alert, version: AlertVersion, plan: StatePlan) -> datetime:
    """When the version expires: the alert's expiry, else the version's, else the plan's
    longest duration after it was sent. CAP, SAME and the feeds all use this one."""
    if alert.expires_at is not None:
        return alert.expires_at
    sent = version.published_at or version.created_at
    return version.content.expires_at or sent + plan.max_duration


def _info(
    alert_el: etree._Element,
    alert: Alert,
    version: AlertVersion,
    content: AlertContent,
    plan: StatePlan,
    language: Literal["en", "es"],
    ctx: RenderContext,
    area: CapArea,
    le: bool,
) -> None:
    zone = jurisdiction(content.plan).time_zone
    cancelled = cancellation_of(alert, version.number)
    texts = compose_public_text(content, language, cancelled=cancelled)
    info = _sub(alert_el, "info")
    _sub(info, "language", f"{language}-US")
    _sub(info, "category", "Security")
    _sub(info, "event", "Blue Alert" if language == "en" else "Alerta Azul")
    for response in RESPONSES if cancelled is None else CANCEL_RESPONSES:
        _sub(info, "responseType", response)
    sure = certainty(content)
    _sub(info, "urgency", URGENCY)
    _sub(info, "severity", SEVERITY)
    _sub(info, "certainty", sure)
    _pair(info, "eventCode", "SAME", "BLU")
    _sub(info, "expires", cap_time(expires_at(alert, version, plan), zone))
    _sub(info, "senderName", plan.issuing_agency)
    _sub(info, "headline", texts.headline)
    description = texts.description or ""
    if le:
        description = "\n".join(filter(None, [description, _le_facts(content)]))
    _sub(info, "description", description)
    _sub(info, "instruction", texts.instruction)
    _sub(info, "web", f"{ctx.base_url}/alerts/{alert.reference}")
    contact = content.contact if language == "en" else spanish_contact(content)
    if contact:  # never English in the es-US block: no contact rather than an English one
        _sub(info, "contact", contact)
    _parameters(info, content, language, version, zone, sure, cancelled)
    for channel in blocked_channels(plan):
        _pair(info, "parameter", "BLOCKCHANNEL", channel)
    _resources(info, content, ctx)
    _area(info, area)


def _le_facts(content: AlertContent) -> str:
    lines = [
        f"Requesting agency: {content.requesting_agency.name} ({content.requesting_agency.ori})"
    ]
    for officer in content.officers:
        who = " ".join(filter(None, [officer.rank, officer.name])) or "identity not given"
        released = "released" if officer.identity_released else "NOT released to the public"
        lines.append(
            f"Officer: {who}, {officer.status.value}, {officer.agency.name} (identity {released})"
        )
    if content.incident.narrative:
        lines.append(f"Narrative: {content.incident.narrative}")
    if content.law_enforcement_notes:
        lines.append(f"Law enforcement notes: {content.law_enforcement_notes}")
    return "\n".join(lines)


def _parameters(
    info: etree._Element,
    content: AlertContent,
    language: Literal["en", "es"],
    version: AlertVersion,
    zone: str,
    sure: str,
    cancelled: Cancellation | None,
) -> None:
    sent = version.published_at or version.created_at
    _pair(info, "parameter", "EAS-ORG", "CIV")
    short = compose_wea(content, language, 90, cancelled=cancelled)
    long = compose_wea(content, language, 360, cancelled=cancelled)
    _pair(info, "parameter", "CMAMtext", short.text)
    _pair(info, "parameter", "CMAMlongtext", long.text)
    _pair(info, "parameter", "WEAHandling", wea_handling(URGENCY, SEVERITY, sure))
    _pair(info, "parameter", "timezone", zone_abbreviation(sent, zone))


def _resources(info: etree._Element, content: AlertContent, ctx: RenderContext) -> None:
    for suspect in content.suspects:
        for photo in suspect.photos:
            resource = _sub(info, "resource")
            _sub(resource, "resourceDesc", photo.caption or "Suspect photo")
            _sub(resource, "mimeType", photo.media_type)
            _sub(resource, "size", str(photo.size))
            _sub(resource, "uri", f"{ctx.base_url}/photos/{photo.sha256}")
            if photo.sha1:
                _sub(resource, "digest", photo.sha1)


def _area(info: etree._Element, area: CapArea) -> None:
    element = _sub(info, "area")
    _sub(element, "areaDesc", area.description)
    for ring in area.polygons:
        _sub(element, "polygon", polygon_text(ring))
    for circle in area.circles:
        _sub(element, "circle", circle_text(circle))
    for code in area.same_codes:
        _pair(element, "geocode", "SAME", code)


PUBLIC_CANCEL_NOTES = {
    None: "This Blue Alert is cancelled.",
    Resolution.SUSPECT_APPREHENDED: "This Blue Alert is cancelled: the suspect is in custody.",
    Resolution.SUSPECT_DECEASED: "This Blue Alert is cancelled: the suspect is no longer at large.",
    Resolution.OFFICER_LOCATED: "This Blue Alert is cancelled: the officer has been located.",
    Resolution.THREAT_ENDED: "This Blue Alert is cancelled: the threat has ended.",
}


def _note(alert: Alert, version: AlertVersion, restricted: bool) -> str | None:
    """The coordinator's own words go to law enforcement only; the public gets the outcome."""
    if version.msg_type is MsgType.ALERT:
        return None
    if restricted:
        return version.note or None
    if version.msg_type is MsgType.CANCEL:
        return PUBLIC_CANCEL_NOTES[alert.resolution]
    return None


def build_cap(
    alert: Alert,
    number: int,
    ctx: RenderContext,
    *,
    scope: Scope = "Public",
) -> CapMessage:
    """The CAP message of version `number`, public or restricted to law enforcement."""
    version = next(v for v in alert.versions if v.number == number)
    le = scope == "Restricted"
    content = version.content if le else public_view(version.content)
    zone = jurisdiction(content.plan).time_zone
    sent_at = version.published_at or version.created_at
    sent = cap_time(sent_at, zone)
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})  # type: ignore[dict-item]
    ident = identifier(alert, number, scope)
    _sub(root, "identifier", ident)
    _sub(root, "sender", ctx.sender)
    _sub(root, "sent", sent)
    _sub(root, "status", content.status.value)
    _sub(root, "msgType", version.msg_type.value)
    _sub(root, "source", f"bluealert {alert.reference}")
    _sub(root, "scope", scope)
    if le:
        _sub(root, "restriction", RESTRICTION)
    _sub(root, "code", "IPAWSv1.0")
    note = _note(alert, version, le)
    if note:
        _sub(root, "note", note)
    earlier = alert.references_for(number, sent_at)
    if version.msg_type is not MsgType.ALERT and earlier:
        _sub(
            root,
            "references",
            " ".join(
                f"{ctx.sender},{identifier(alert, v.number, scope)},"
                f"{cap_time(v.published_at or v.created_at, zone)}"
                for v in earlier
            ),
        )
    _sub(root, "incidents", alert.reference)
    area = cap_area_from_request(content.area)
    plan = plan_for(content.plan)  # the one lookup: expiry, sender name and channels
    languages: tuple[Language, ...] = ("en",) if le else ("en", "es")
    for language in languages:
        _info(root, alert, version, content, plan, language, ctx, area, le)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return CapMessage(ident, sent, xml)
