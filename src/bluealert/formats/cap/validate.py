"""Validate a CAP document in layers: XSD, CAP rules, IPAWS profile, Blue Alert rules.

The result is a list of findings (rule id, severity, XPath location, message); a document is
acceptable when no finding is an error. Nothing here raises for a bad document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from importlib.resources import files

from lxml import etree

from bluealert.errors import InvalidMessage
from bluealert.formats.cap.build import CAP_NS
from bluealert.formats.cap.parse import parse_xml

NS = {"cap": CAP_NS}
TIME_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
REFERENCE = re.compile(r"^[^\s,<&]+,[^\s,<&]+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    location: str
    message: str


@cache
def cap_schema() -> etree.XMLSchema:
    text = (files("bluealert.formats.cap") / "cap12.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def _error(rule: str, where: str, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, where, message)


def _warning(rule: str, where: str, message: str) -> Finding:
    return Finding(rule, Severity.WARNING, where, message)


def _elements(node: etree._Element, expression: str) -> list[etree._Element]:
    found = node.xpath(expression, namespaces=NS)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def _path(element: etree._Element) -> str:
    """An XPath with the cap: prefix, e.g. /cap:alert/cap:info[2]/cap:area/cap:polygon."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        same = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
        index = f"[{same.index(node) + 1}]" if len(same) > 1 else ""
        steps.append(f"cap:{name}{index}")
        node = parent
    return "/" + "/".join(reversed(steps))


def validate_cap(data: bytes) -> list[Finding]:
    try:
        root = parse_xml(data)
    except InvalidMessage as error:
        return [_error(f"xml.{error.field}", "/", error.message)]
    if etree.QName(root).namespace != CAP_NS:
        return [
            _error(
                "cap.namespace",
                _path(root),
                f"the root is {root.tag}, not an alert in the CAP 1.2 namespace",
            )
        ]
    findings = _xsd(root)
    findings += _cap_rules(root)
    findings += _ipaws_rules(root)
    findings += _blue_alert_rules(root)
    return findings


def is_valid(findings: list[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR for f in findings)


def _xsd(root: etree._Element) -> list[Finding]:
    schema = cap_schema()
    if schema.validate(root):
        return []
    errors = schema.error_log  # an iterable of _LogEntry the stubs do not declare
    return [_error("xsd", f"line {e.line}", e.message) for e in errors]  # type: ignore[attr-defined]


def _times(root: etree._Element) -> list[Finding]:
    findings = []
    for element in _elements(root, "//cap:sent | //cap:effective | //cap:onset | //cap:expires"):
        text = (element.text or "").strip()
        if text.endswith("Z"):
            findings.append(
                _error(
                    "cap.time.zulu",
                    _path(element),
                    f"{text!r}: CAP times carry a numeric offset, never Z",
                )
            )
        elif not TIME_PATTERN.match(text):
            findings.append(
                _error(
                    "cap.time.format", _path(element), f"{text!r} is not YYYY-MM-DDThh:mm:ss±hh:mm"
                )
            )
    return findings


def _time_order(root: etree._Element) -> list[Finding]:
    sent = _time(root.find("cap:sent", NS))
    findings = []
    for expires in _elements(root, "cap:info/cap:expires"):
        when = _time(expires)
        if sent and when and when <= sent:
            findings.append(_error("cap.time.order", _path(expires), "expires is not after sent"))
    return findings


def _time(element: etree._Element | None) -> datetime | None:
    if element is None or not TIME_PATTERN.match((element.text or "").strip()):
        return None
    return datetime.fromisoformat((element.text or "").strip())


def _polygon(element: etree._Element) -> list[Finding]:
    where = _path(element)
    try:
        points = [tuple(float(v) for v in pair.split(",")) for pair in (element.text or "").split()]
    except ValueError:
        return [_error("cap.polygon.syntax", where, "a polygon is space-separated lat,lon pairs")]
    if any(len(p) != 2 for p in points):
        return [_error("cap.polygon.syntax", where, "a polygon is space-separated lat,lon pairs")]
    findings = []
    if len(points) < 4:
        findings.append(
            _error(
                "cap.polygon.points",
                where,
                f"a polygon needs at least 4 points; this has {len(points)}",
            )
        )
    if points and points[0] != points[-1]:
        findings.append(
            _error(
                "cap.polygon.closed", where, "a polygon's first and last points must be the same"
            )
        )
    findings += _coordinates(points, where)
    return findings


def _coordinates(points: list[tuple[float, ...]], where: str) -> list[Finding]:
    bad = [p for p in points if not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180)]
    if bad:
        return [
            _error(
                "cap.coordinates.range",
                where,
                f"latitude must be within ±90 and longitude ±180; {bad[0]} is not",
            )
        ]
    return []


def _circle(element: etree._Element) -> list[Finding]:
    match = re.fullmatch(r"\s*(-?[\d.]+),(-?[\d.]+)\s+([\d.]+)\s*", element.text or "")
    if not match:
        return [_error("cap.circle.syntax", _path(element), "a circle is 'lat,lon radius_km'")]
    lat, lon, _ = (float(v) for v in match.groups())
    return _coordinates([(lat, lon)], _path(element))


def _references(root: etree._Element) -> list[Finding]:
    element = root.find("cap:references", NS)
    if element is None:
        return []
    return [
        _error("cap.references.syntax", _path(element), f"{item!r} is not sender,identifier,sent")
        for item in (element.text or "").split()
        if not REFERENCE.match(item)
    ]


def _cap_rules(root: etree._Element) -> list[Finding]:
    findings = _times(root) + _time_order(root) + _references(root)
    for polygon in _elements(root, "//cap:polygon"):
        findings += _polygon(polygon)
    for circle in _elements(root, "//cap:circle"):
        findings += _circle(circle)
    msg_type = root.findtext("cap:msgType", namespaces=NS)
    if msg_type in ("Update", "Cancel") and root.find("cap:references", NS) is None:
        findings.append(
            _error(
                "cap.references.required",
                "/cap:alert",
                f"an {msg_type} must reference the messages it replaces",
            )
        )
    return findings


def _ipaws_rules(root: etree._Element) -> list[Finding]:
    findings = []
    if "IPAWSv1.0" not in [c.text for c in root.findall("cap:code", NS)]:
        findings.append(_error("ipaws.code", "/cap:alert", "<code>IPAWSv1.0</code> is required"))
    sent = root.findtext("cap:sent", namespaces=NS) or ""
    if sent.endswith(("+00:00", "-00:00")):
        findings.append(
            _warning(
                "ipaws.time.offset",
                "/cap:alert/cap:sent",
                "an offset of 00:00 is unlikely for a US alert",
            )
        )
    infos = root.findall("cap:info", NS)
    signatures = {_info_signature(info) for info in infos}
    if len(signatures) > 1:
        findings.append(
            _error(
                "ipaws.info.consistent",
                "/cap:alert",
                "every info block must share category and event codes",
            )
        )
    for info in infos:
        findings += _ipaws_info(info)
    return findings


def _info_signature(info: etree._Element) -> tuple[str, ...]:
    categories = [c.text or "" for c in info.findall("cap:category", NS)]
    codes = [
        f"{e.findtext('cap:valueName', namespaces=NS)}={e.findtext('cap:value', namespaces=NS)}"
        for e in info.findall("cap:eventCode", NS)
    ]
    return tuple(sorted(categories) + sorted(codes))


def _parameters(info: etree._Element, name: str) -> list[str]:
    return [
        p.findtext("cap:value", default="", namespaces=NS)
        for p in info.findall("cap:parameter", NS)
        if p.findtext("cap:valueName", namespaces=NS) == name
    ]


def _ipaws_info(info: etree._Element) -> list[Finding]:
    where = _path(info)
    findings = []
    if info.find("cap:expires", NS) is None:
        findings.append(_error("ipaws.expires", where, "every info needs <expires>"))
    same = [
        e
        for e in info.findall("cap:eventCode", NS)
        if e.findtext("cap:valueName", namespaces=NS) == "SAME"
    ]
    if len(same) != 1 or not re.fullmatch(r"[A-Z]{3}", same[0].findtext("cap:value", "", NS) or ""):
        findings.append(
            _error(
                "ipaws.eventcode",
                where,
                "exactly one SAME eventCode of 3 capital letters is required",
            )
        )
    if not info.findall("cap:area", NS):
        findings.append(_error("ipaws.area", where, "at least one <area> is required"))
    if not _elements(info, "cap:area/cap:geocode[cap:valueName='SAME']"):
        findings.append(_warning("ipaws.geocode", where, "a SAME geocode (PSSCCC) is expected"))
    same_codes = _elements(info, "cap:area/cap:geocode[cap:valueName='SAME']/cap:value")
    if len(same_codes) > 31:
        findings.append(
            _warning(
                "ipaws.geocode.count",
                where,
                f"{len(same_codes)} SAME geocodes: EAS airs only the first 31",
            )
        )
    for code in same_codes:
        if not re.fullmatch(r"\d{6}", code.text or ""):
            findings.append(
                _error(
                    "ipaws.geocode.format",
                    _path(code),
                    f"SAME geocode {code.text!r} is not 6 digits",
                )
            )
    if not _parameters(info, "EAS-ORG"):
        findings.append(_warning("ipaws.eas-org", where, "EAS-bound messages need EAS-ORG"))
    for tag in ("description", "instruction"):
        if info.find(f"cap:{tag}", NS) is None:
            findings.append(_warning(f"ipaws.{tag}", where, f"<{tag}> is strongly recommended"))
    return findings


def _blue_alert_rules(root: etree._Element) -> list[Finding]:
    findings = []
    for info in root.findall("cap:info", NS):
        where = _path(info)
        codes = [
            e.findtext("cap:value", namespaces=NS)
            for e in _elements(info, "cap:eventCode[cap:valueName='SAME']")
        ]
        if codes != ["BLU"]:
            continue
        for name, limit in (("CMAMtext", 90), ("CMAMlongtext", 360)):
            for text in _parameters(info, name):
                if len(text) > limit:
                    findings.append(
                        _error(
                            f"blue.{name}.length",
                            where,
                            f"{name} is {len(text)} characters; at most {limit}",
                        )
                    )
        if _parameters(info, "EAS-ORG") not in ([], ["CIV"]):
            findings.append(_error("blue.eas-org", where, "a Blue Alert is originated by CIV"))
        if not _parameters(info, "CMAMtext"):
            findings.append(_warning("blue.cmamtext", where, "no WEA text (CMAMtext)"))
    return findings
