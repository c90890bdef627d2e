"""The GSM 03.38 7-bit default alphabet that WEA texts must keep to, and transliteration."""

from __future__ import annotations

import re
import unicodedata

BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = "^{}\\[~]|€\f"  # each costs two septets (escape + character)
ALPHABET = frozenset(BASIC + EXTENSION)

_SUBSTITUTES = {
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "-",
    "°": " deg ",
    "\u00a0": " ",
    "\t": " ",
    "á": "a",
    "í": "i",
    "ó": "o",
    "ú": "u",
    "Á": "A",
    "Í": "I",
    "Ó": "O",
    "Ú": "U",
    "ê": "e",
    "ç": "c",
}


def is_gsm7(text: str) -> bool:
    return ALPHABET.issuperset(text)


def septets(text: str) -> int:
    """Length in GSM septets: extension characters count twice."""
    return sum(2 if ch in EXTENSION else 1 for ch in text)


def _replacement(ch: str) -> str:
    if ch in _SUBSTITUTES:
        return _SUBSTITUTES[ch]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if stripped and is_gsm7(stripped):
        return stripped
    # An emoji or other symbol says nothing a reader needs; an unknown letter marks its place.
    kind = unicodedata.category(ch)[0]
    return " " if kind == "Z" else "" if kind in "SMC" else "?"


def _tidy(text: str) -> str:
    """No double spaces, nor a space before punctuation, where a symbol was dropped."""
    return re.sub(r" +(?=[ .,;:)])", "", text)


def transliterate(text: str) -> tuple[str, list[str]]:
    """The text in the GSM alphabet, and the characters that had to be replaced."""
    out, replaced = [], []
    for ch in text:
        if ch in ALPHABET:
            out.append(ch)
        else:
            out.append(_replacement(ch))
            replaced.append(ch)
    result = "".join(out)
    return (_tidy(result) if replaced else result), sorted(set(replaced))
