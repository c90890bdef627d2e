"""The IPAWS profile (STANDARDS.md §3.2) and the Blue Alert rules on top of it."""

from __future__ import annotations

import re

from lxml import etree

from bluealert.formats.cap.findings import (
    NS,
    UNPLACED,
    Finding,
    elements,
    error,
    located,
    warning,
    xpath_of,
)
from bluealert.formats.gsm7 import is_gsm7

CMAM_LIMITS = (("CMAMtext", 90), ("CMAMlongtext", 360))


def ipaws_rules(root: etree._Element) -> list[Finding]:
    findings = []
    if "IPAWSv1.0" not in [c.text for c in root.findall("cap:code", NS)]:
        findings.append(error("ipaws.code", "/cap:alert", "<code>IPAWSv1.0</code> is required"))
    sent = root.findtext("cap:sent", namespaces=NS)
    if sent and sent.endswith(("+00:00", "-00:00")):
        message = "an offset of 00:00 is unlikely for a US alert"
        findings.append(warning("ipaws.time.offset", "/cap:alert/cap:sent", message))
    infos = root.findall("cap:info", NS)
    if len({_info_signature(info) for info in infos}) > 1:
        message = "every info block must share category and event codes"
        findings.append(error("ipaws.info.consistent", "/cap:alert", message))
    for info in infos:
        findings += _ipaws_info(info)
    return findings


def _info_signature(info: etree._Element) -> tuple[str, ...]:
    categories = [str(c.text) for c in info.findall("cap:category", NS)]
    codes = [
        f"{e.findtext('cap:valueName', namespaces=NS)}={e.findtext('cap:value', namespaces=NS)}"
        for e in info.findall("cap:eventCode", NS)
    ]
    return tuple(sorted(categories) + sorted(codes))


def _parameters(info: etree._Element) -> dict[str, list[str]]:
    """Each parameter's values by name, in document order."""
    found: dict[str, list[str]] = {}
    for p in info.findall("cap:parameter", NS):
        name = p.findtext("cap:valueName", namespaces=NS)
        value = p.findtext("cap:value", namespaces=NS) or ""  # pragma: no mutate (missing: "")
        found.setdefault(str(name), []).append(value)
    return found


def _same_event_code(info: etree._Element) -> list[Finding]:
    same = elements(info, "cap:eventCode[cap:valueName='SAME']/cap:value")
    if len(same) == 1 and re.fullmatch(r"[A-Z]{3}", str(same[0].text)):
        return []
    message = "exactly one SAME eventCode of 3 capital letters is required"
    return [error("ipaws.eventcode", xpath_of(info), message)]


def _same_geocodes(info: etree._Element) -> list[Finding]:
    codes = elements(info, "cap:area/cap:geocode[cap:valueName='SAME']/cap:value")
    if not codes:
        return [warning("ipaws.geocode", xpath_of(info), "a SAME geocode (PSSCCC) is expected")]
    findings = []
    if len(codes) > 31:
        message = f"{len(codes)} SAME geocodes: EAS airs only the first 31"
        findings.append(warning("ipaws.geocode.count", xpath_of(info), message))
    for code in codes:
        if not re.fullmatch(r"\d{6}", str(code.text)):
            message = f"SAME geocode {code.text!r} is not 6 digits"
            findings.append(error("ipaws.geocode.format", xpath_of(code), message))
    return findings


def _ipaws_info(info: etree._Element) -> list[Finding]:
    missing = []
    if info.find("cap:expires", NS) is None:
        missing.append(error("ipaws.expires", UNPLACED, "every info needs <expires>"))
    if not info.findall("cap:area", NS):
        missing.append(error("ipaws.area", UNPLACED, "at least one <area> is required"))
    if "EAS-ORG" not in _parameters(info):
        missing.append(warning("ipaws.eas-org", UNPLACED, "EAS-bound messages need EAS-ORG"))
    for tag in ("description", "instruction"):
        if info.find(f"cap:{tag}", NS) is None:
            missing.append(warning(f"ipaws.{tag}", UNPLACED, f"<{tag}> is strongly recommended"))
    return _same_event_code(info) + _same_geocodes(info) + located(missing, info)


def blue_alert_rules(root: etree._Element) -> list[Finding]:
    findings = []
    for info in root.findall("cap:info", NS):
        codes = [e.text for e in elements(info, "cap:eventCode[cap:valueName='SAME']/cap:value")]
        if codes == ["BLU"]:
            findings += _blue_info(info)
    return findings


def _blue_info(info: etree._Element) -> list[Finding]:
    parameters = _parameters(info)
    findings = []
    for name, limit in CMAM_LIMITS:
        for text in parameters.get(name, []):
            if len(text) > limit:
                message = f"{name} is {len(text)} characters; at most {limit}"
                findings.append(error(f"blue.{name}.length", UNPLACED, message))
            if not is_gsm7(text):
                outside = "".join(sorted({ch for ch in text if not is_gsm7(ch)}))
                message = f"{name} has characters outside the GSM 7-bit alphabet: {outside}"
                findings.append(warning(f"blue.{name}.alphabet", UNPLACED, message))
    if parameters.get("EAS-ORG", ["CIV"]) != ["CIV"]:
        findings.append(error("blue.eas-org", UNPLACED, "a Blue Alert is originated by CIV"))
    if "CMAMtext" not in parameters:
        findings.append(warning("blue.cmamtext", UNPLACED, "no WEA text (CMAMtext)"))
    return located(findings, info)
