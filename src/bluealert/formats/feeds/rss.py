"""RSS 2.0: one item per active public alert, its guid stable, its CAP as the enclosure link."""

from __future__ import annotations

from email.utils import format_datetime

from lxml import etree

from bluealert.domain.alert import Alert
from bluealert.formats.context import RenderContext
from bluealert.formats.feeds.entries import feed_entries


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def render_rss(alerts: list[Alert], ctx: RenderContext) -> bytes:
    rss = etree.Element("rss", version="2.0")
    channel = _sub(rss, "channel")
    _sub(channel, "title", "Blue Alerts")
    _sub(channel, "link", f"{ctx.base_url}/alerts")
    _sub(
        channel,
        "description",
        "Active Blue Alerts: officers killed, injured, missing or "
        "threatened, and the suspects sought",
    )
    _sub(channel, "language", "en-us")
    _sub(channel, "lastBuildDate", format_datetime(ctx.now))
    for entry in feed_entries(alerts, ctx):
        item = _sub(channel, "item")
        _sub(item, "title", entry.title)
        _sub(item, "link", entry.page_url)
        _sub(item, "description", f"{entry.summary} {entry.instruction}".strip())
        _sub(item, "guid", entry.id, isPermaLink="true")
        _sub(item, "pubDate", format_datetime(entry.updated))
        _sub(item, "category", "Blue Alert")
        length = str(entry.cap_length)  # RSS 2.0: the enclosure's size in bytes
        _sub(item, "enclosure", url=entry.cap_url, type="application/cap+xml", length=length)
    return bytes(etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True))
