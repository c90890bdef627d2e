"""Printable 7-bit ASCII for channels that carry nothing else (highway signs, Nlets teletype)."""

from __future__ import annotations

import re
import unicodedata

PLAIN = {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "\u00a0": " "}
# Spaces a dropped character leaves: doubled, before punctuation, or at the end of a line.
LEFT_BEHIND = re.compile(r" +(?=[ .,;:!?)]|$)", re.MULTILINE)


def to_ascii(text: str) -> str:
    """Accents dropped (José → Jose), typographic quotes and dashes made plain, the rest gone
    without leaving a space where it stood ("Jordan 🙂, male" → "Jordan, male")."""
    plain = "".join(PLAIN.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", plain)
    kept = "".join(ch for ch in decomposed if " " <= ch <= "~" or ch == "\n")
    dropped = len(kept) < len(decomposed) - _combining(decomposed)
    return LEFT_BEHIND.sub("", kept) if dropped else kept


def _combining(text: str) -> int:
    """Accents NFKD splits off: dropping them leaves no gap."""
    return sum(1 for ch in text if unicodedata.combining(ch))
