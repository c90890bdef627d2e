"""Parse any XML document safely: no entities expanded, no DTD, no network, a size cap."""

from __future__ import annotations

from typing import Any

from lxml import etree

from bluealert.errors import InvalidMessage

MAX_BYTES = 1_000_000
DOCTYPE = "<!DOCTYPE"
DOCTYPE_SPELLINGS = tuple(DOCTYPE.encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))
NO_DOCTYPE = "a DOCTYPE is not allowed in CAP (entities are never expanded)"

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_blank_text=False,
)


def parse_xml(data: bytes, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The root element; refuses oversize documents before reading them, and any DTD."""
    if len(data) > max_bytes:
        raise InvalidMessage(
            f"the document is {len(data):,} bytes; at most {max_bytes:,} are accepted",
            field="size",
        )
    try:
        tree = etree.fromstring(data, _PARSER).getroottree()
    except etree.XMLSyntaxError as error:
        # libxml2 may trip over a hostile DTD (its entity limits) before we can refuse it.
        if any(spelling in data for spelling in DOCTYPE_SPELLINGS):
            raise InvalidMessage(NO_DOCTYPE, field="doctype") from error
        raise InvalidMessage(f"not well-formed XML: {error}", field="xml") from error
    info: Any = tree.docinfo
    if info.doctype or info.internalDTD is not None:
        raise InvalidMessage(NO_DOCTYPE, field="doctype")
    return tree.getroot()
