"""Atom 1.0 with CAP fields (as the IPAWS and NWS Atom feeds carry), each entry linked to CAP."""

from __future__ import annotations

from lxml import etree

from bluealert.domain.alert import Alert
from bluealert.formats.cap.build import CAP_NS
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import FeedEntry, feed_entries

ATOM = "http://www.w3.org/2005/Atom"


def _el(
    parent: etree._Element, ns: str, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed: etree._Element, entry: FeedEntry) -> None:
    item = _el(feed, ATOM, "entry")
    _el(item, ATOM, "id", entry.id)
    _el(item, ATOM, "title", entry.title)
    _el(item, ATOM, "updated", entry.updated.isoformat(timespec="seconds"))
    _el(item, ATOM, "published", entry.sent)
    author = _el(item, ATOM, "author")
    _el(author, ATOM, "name", entry.sender_name)
    _el(item, ATOM, "link", href=entry.page_url, rel="alternate", type="text/html")
    _el(
        item,
        ATOM,
        "link",
        href=entry.cap_url,
        rel="related",
        type="application/cap+xml",
        title="Signed CAP 1.2 message",
    )
    _el(item, ATOM, "summary", f"{entry.summary} {entry.instruction}".strip())
    for tag, value in (
        ("event", "Blue Alert"),
        ("sent", entry.sent),
        ("expires", entry.expires),
        ("status", entry.status),
        ("msgType", entry.msg_type),
        ("category", "Security"),
        ("urgency", "Immediate"),
        ("severity", "Severe"),
        ("certainty", entry.certainty),
        ("areaDesc", entry.area.description),
    ):
        _el(item, CAP_NS, tag, value)
    for polygon in entry.area.polygons:
        _el(item, CAP_NS, "polygon", " ".join(f"{lat},{lon}" for lat, lon in polygon))
    for code in entry.area.same_codes:
        geocode = _el(item, CAP_NS, "geocode")
        _el(geocode, CAP_NS, "valueName", "SAME")
        _el(geocode, CAP_NS, "value", code)


def render_atom(alerts: list[Alert], ctx: RenderContext) -> bytes:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM, "cap": CAP_NS})  # type: ignore[dict-item]
    _el(feed, ATOM, "id", f"{ctx.base_url}/feeds/alerts.atom")
    _el(feed, ATOM, "title", "Blue Alerts")
    _el(feed, ATOM, "updated", ctx.now.isoformat(timespec="seconds"))
    _el(feed, ATOM, "link", href=f"{ctx.base_url}/feeds/alerts.atom", rel="self")
    author = _el(feed, ATOM, "author")
    _el(author, ATOM, "name", "bluealert")
    _el(feed, ATOM, "generator", "bluealert")
    for entry in feed_entries(alerts, ctx):
        _entry(feed, entry)
    return bytes(etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True))
