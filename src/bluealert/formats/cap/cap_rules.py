"""CAP 1.2 rules the XSD cannot say: real times in order, closed polygons, ranges, references."""

from __future__ import annotations

import math
import re
from datetime import datetime

from lxml import etree

from bluealert.formats.cap.findings import (
    NS,
    UNPLACED,
    Finding,
    elements,
    error,
    located,
    xpath_of,
)

TIME_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
REFERENCE = re.compile(r"^[^\s,<&]+,[^\s,<&]+,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$")
CIRCLE = re.compile(r"\s*(\S+),(\S+)\s+(\S+)\s*")


def cap_rules(root: etree._Element) -> list[Finding]:
    findings = _times(root) + _time_order(root) + _references(root)
    for polygon in elements(root, "//cap:polygon"):
        findings += _polygon(polygon)
    for circle in elements(root, "//cap:circle"):
        findings += _circle(circle)
    msg_type = root.findtext("cap:msgType", namespaces=NS)
    if msg_type in ("Update", "Cancel") and root.find("cap:references", NS) is None:
        findings.append(
            error(
                "cap.references.required",
                "/cap:alert",
                f"an {msg_type} must reference the messages it replaces",
            )
        )
    return findings


def cap_datetime(text: str) -> datetime | None:
    """The time, if `text` is a CAP dateTime naming a real moment (no Z, no 30 February)."""
    if not TIME_PATTERN.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _times(root: etree._Element) -> list[Finding]:
    findings = []
    for element in elements(root, "//cap:sent | //cap:effective | //cap:onset | //cap:expires"):
        text = (element.text or "").strip()
        if text.endswith("Z"):
            message = f"{text!r}: CAP times carry a numeric offset, never Z"
            findings.append(error("cap.time.zulu", xpath_of(element), message))
        elif cap_datetime(text) is None:
            message = f"{text!r} is not a real time written YYYY-MM-DDThh:mm:ss±hh:mm"
            findings.append(error("cap.time.format", xpath_of(element), message))
    return findings


def _time(element: etree._Element | None) -> datetime | None:
    text = None if element is None else element.text
    return cap_datetime(text.strip()) if text else None


def _time_order(root: etree._Element) -> list[Finding]:
    sent = _time(root.find("cap:sent", NS))
    findings = []
    for expires in elements(root, "cap:info/cap:expires"):
        when = _time(expires)
        if sent and when and when <= sent:
            findings.append(error("cap.time.order", xpath_of(expires), "expires is not after sent"))
    return findings


def _numbers(texts: tuple[str, ...]) -> tuple[float, ...] | None:
    try:
        return tuple(float(t) for t in texts)
    except ValueError:
        return None


def _polygon(element: etree._Element) -> list[Finding]:
    text = element.text or ""
    pairs = [tuple(p.split(",")) for p in text.split()]  # pragma: no mutate (rsplit: alike)
    points = [_numbers(pair) for pair in pairs]
    if any(p is None or len(p) != 2 for p in points):
        message = "a polygon is space-separated lat,lon pairs"
        return located([error("cap.polygon.syntax", UNPLACED, message)], element)
    ring = [p for p in points if p is not None]
    findings = []
    if len(ring) < 4:
        message = f"a polygon needs at least 4 points; this has {len(ring)}"
        findings.append(error("cap.polygon.points", UNPLACED, message))
    if ring and ring[0] != ring[-1]:
        message = "a polygon's first and last points must be the same"
        findings.append(error("cap.polygon.closed", UNPLACED, message))
    return located(findings + _coordinates(ring), element)


def _coordinates(points: list[tuple[float, ...]]) -> list[Finding]:
    bad = [p for p in points if not (-90 <= p[0] <= 90 and -180 <= p[1] <= 180)]
    if not bad:
        return []
    message = f"latitude must be within ±90 and longitude ±180; {bad[0]} is not"
    return [error("cap.coordinates.range", UNPLACED, message)]


def _circle(element: etree._Element) -> list[Finding]:
    match = CIRCLE.fullmatch(element.text) if element.text else None
    numbers = _numbers(match.groups()) if match else None
    if numbers is None or not (math.isfinite(numbers[2]) and numbers[2] >= 0):
        message = "a circle is 'lat,lon radius_km'"
        return located([error("cap.circle.syntax", UNPLACED, message)], element)
    return located(_coordinates([numbers[:2]]), element)


def _references(root: etree._Element) -> list[Finding]:
    element = root.find("cap:references", NS)
    if element is None:
        return []
    return [
        error("cap.references.syntax", xpath_of(element), f"{item!r} is not sender,identifier,sent")
        for item in (element.text or "").split()
        if not REFERENCE.match(item)
    ]
