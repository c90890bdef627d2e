"""Colours in Spanish: a vehicle's ("verde y blanco", "azul oscuro") and a garment's, agreeing.

Words the table does not know are left out rather than quoted in English; a colour with no
known word is left out whole.
"""

from __future__ import annotations

import re

# Masculine singular: they describe "el vehículo"; `agree` makes the other forms.
COLOURS = {
    "black": "negro",
    "white": "blanco",
    "grey": "gris",
    "gray": "gris",
    "silver": "plateado",
    "red": "rojo",
    "blue": "azul",
    "navy": "azul marino",
    "green": "verde",
    "brown": "marrón",
    "tan": "beige",
    "beige": "beige",
    "gold": "dorado",
    "yellow": "amarillo",
    "orange": "anaranjado",
    "maroon": "granate",
    "burgundy": "burdeos",
    "purple": "morado",
    "pink": "rosa",
    "teal": "verde azulado",
    "bronze": "bronce",
    "copper": "cobrizo",
    "champagne": "champán",
    "cream": "crema",
    "charcoal": "gris marengo",
    "camouflage": "de camuflaje",
    # Spanish written in an English form stays Spanish.
    "negro": "negro",
    "blanco": "blanco",
    "gris": "gris",
    "rojo": "rojo",
    "azul": "azul",
    "verde": "verde",
    "plateado": "plateado",
}
SHADES = {"dark": "oscuro", "light": "claro", "bright": "brillante", "metallic": "metalizado"}
JOINERS = {"and": "y", "&": "y", "/": "y", "with": "con", "over": "sobre", "on": "sobre"}
TWO_TONE = {"two-tone": "bicolor", "two-toned": "bicolor"}
# Colours whose form never changes with the noun (nouns used as colours, and compounds).
INVARIABLE = {"rosa", "beige", "crema", "burdeos", "granate", "champán", "bronce"}


def colour_word(word: str) -> str | None:
    return COLOURS.get(word.lower())


def agree(colour: str, feminine: bool, plural: bool) -> str:
    """'negro' for 'una sudadera' is 'negra', for 'unos pantalones' 'negros'."""
    if colour in INVARIABLE or " " in colour:
        return colour
    if feminine and colour.endswith("o"):
        colour = colour[:-1] + "a"
    if not plural:
        return colour
    if colour[-1] in "aeo":
        return colour + "s"
    return colour.replace("ó", "o") + "es"  # marrón → marrones, azul → azules


def colour(text: str) -> str | None:
    """'dark blue' → 'azul oscuro', 'green and white' → 'verde y blanco'; None when no word
    of it is known."""
    words = re.findall(r"[\w-]+|[&/]", text.lower())
    out: list[str] = []
    for word in words:
        if word in COLOURS:
            out.append(COLOURS[word])
        elif word in SHADES and out and out[-1] not in JOINERS.values():
            out.append(SHADES[word])
        elif word in SHADES:
            out.append(f"<{SHADES[word]}>")  # said after the colour that follows it
        elif word in TWO_TONE:
            out.append(TWO_TONE[word])
        elif word in JOINERS and out:
            out.append(JOINERS[word])
    return _tidy(out)


def _tidy(words: list[str]) -> str | None:
    """Shades after their colour; no joiner at either end or doubled."""
    placed: list[str] = []
    pending: list[str] = []
    for word in words:
        if word.startswith("<"):
            pending.append(word[1:-1])
        elif word in JOINERS.values():
            placed.append(word)
        else:
            placed += [word, *pending]
            pending = []
    while placed and placed[-1] in JOINERS.values():
        placed.pop()
    joined = " ".join(placed)
    return joined or None
