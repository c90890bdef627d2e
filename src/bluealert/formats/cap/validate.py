"""Validate a CAP document in layers: XSD, CAP rules, IPAWS profile, Blue Alert rules.

The result is a list of findings (rule id, severity, XPath location, message); a document is
acceptable when no finding is an error. Nothing here raises for a bad document.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lxml import etree

from bluealert.errors import InvalidMessage
from bluealert.formats.cap.build import CAP_NS
from bluealert.formats.cap.cap_rules import cap_rules
from bluealert.formats.cap.findings import Finding, Severity, error, xpath_of
from bluealert.formats.cap.parse import parse_xml
from bluealert.formats.cap.profile_rules import blue_alert_rules, ipaws_rules

__all__ = ["Finding", "Severity", "cap_schema", "is_valid", "validate_cap"]

# A hostile document can break the schema thousands of times; the first ones say enough.
MAX_SCHEMA_FINDINGS = 50


@cache
def cap_schema() -> etree.XMLSchema:
    text = (files("bluealert.formats.cap") / "cap12.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(text))


def validate_cap(data: bytes) -> list[Finding]:
    try:
        root = parse_xml(data)
    except InvalidMessage as problem:
        return [error(f"xml.{problem.field}", "/", problem.message)]
    if etree.QName(root).namespace != CAP_NS:
        message = f"the root is {root.tag}, not an alert in the CAP 1.2 namespace"
        return [error("cap.namespace", xpath_of(root), message)]
    return _xsd(root) + cap_rules(root) + ipaws_rules(root) + blue_alert_rules(root)


def is_valid(findings: list[Finding]) -> bool:
    return not any(f.severity is Severity.ERROR for f in findings)


def _xsd(root: etree._Element) -> list[Finding]:
    schema = cap_schema()
    if schema.validate(root):
        return []
    # _LogEntry objects (line, path, message), which the stubs do not declare iterable.
    entries: list[object] = list(schema.error_log)  # type: ignore[call-overload]
    findings = [_schema_finding(root, entry) for entry in entries[:MAX_SCHEMA_FINDINGS]]
    if len(entries) > MAX_SCHEMA_FINDINGS:
        more = len(entries) - MAX_SCHEMA_FINDINGS
        findings.append(error("xsd", "/", f"and {more:,} more schema errors"))
    return findings


def _schema_finding(root: etree._Element, entry: object) -> Finding:
    """The schema's complaint, located by XPath where libxml2 says which element it means."""
    line, path, message = (getattr(entry, name, None) for name in ("line", "path", "message"))
    return error("xsd", _element_at(root, path) or f"line {line}", str(message))


def _element_at(root: etree._Element, path: object) -> str | None:
    try:
        found = root.getroottree().xpath(path) if isinstance(path, str) and path else None
    except etree.XPathError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return xpath_of(found[0])
    return None
