"""Printable 7-bit ASCII for channels that carry nothing else (highway signs, Nlets teletype)."""

from __future__ import annotations

import unicodedata

PLAIN = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}


def to_ascii(text: str) -> str:
    """Accents dropped (José → Jose), typographic quotes and dashes made plain, the rest gone."""
    plain = "".join(PLAIN.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", plain)
    return "".join(ch for ch in decomposed if " " <= ch <= "~" or ch == "\n")
