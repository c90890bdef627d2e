"""What a CAP validation finds: a rule id, a severity, an XPath location and a message."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lxml import etree

from bluealert.formats.cap.build import CAP_NS

NS = {"cap": CAP_NS}
UNPLACED = ""  # a rule's finding before located() puts its element's XPath here


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    location: str
    message: str


def error(rule: str, where: str, message: str) -> Finding:
    return Finding(rule, Severity.ERROR, where, message)


def warning(rule: str, where: str, message: str) -> Finding:
    return Finding(rule, Severity.WARNING, where, message)


def elements(node: etree._Element, expression: str) -> list[etree._Element]:
    found = node.xpath(expression, namespaces=NS)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def xpath_of(element: etree._Element) -> str:
    """An XPath with the cap: prefix, e.g. /cap:alert/cap:info[2]/cap:area/cap:polygon."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node)
        prefix = "cap:" if name.namespace == CAP_NS else ""
        parent = node.getparent()
        same = [s for s in parent if s.tag == node.tag] if parent is not None else [node]
        index = f"[{same.index(node) + 1}]" if len(same) > 1 else ""
        steps.append(f"{prefix}{name.localname}{index}")
        node = parent
    return "/" + "/".join(reversed(steps))


def located(findings: list[Finding], element: etree._Element) -> list[Finding]:
    """The findings, placed at `element` (its XPath is worked out only when there are any)."""
    if not findings:
        return []
    where = xpath_of(element)
    return [Finding(f.rule, f.severity, where, f.message) for f in findings]
