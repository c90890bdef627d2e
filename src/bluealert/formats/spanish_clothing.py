"""Clothing in Spanish, from a small glossary: "black hoodie" → "sudadera negra con capucha".

Only descriptions made wholly of words the glossary knows are translated (colours agree with
the garment); anything else is left out of the Spanish texts rather than quoted in English. An
alert can give its own Spanish (`suspects[].es.clothing`).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bluealert.formats.spanish_colours import SHADES, agree, colour_word


class Garment(NamedTuple):
    noun: str
    feminine: bool
    plural: bool
    extra: str = ""  # said after the colour: "sudadera negra con capucha"


GARMENTS = {
    "hoodie": Garment("sudadera", True, False, "con capucha"),
    "sweatshirt": Garment("sudadera", True, False),
    "jacket": Garment("chaqueta", True, False),
    "coat": Garment("abrigo", False, False),
    "shirt": Garment("camisa", True, False),
    "t-shirt": Garment("camiseta", True, False),
    "tshirt": Garment("camiseta", True, False),
    "jeans": Garment("pantalones", False, True, "de mezclilla"),
    "pants": Garment("pantalones", False, True),
    "trousers": Garment("pantalones", False, True),
    "shorts": Garment("pantalones cortos", False, True),
    "sweatpants": Garment("pantalones deportivos", False, True),
    "cap": Garment("gorra", True, False),
    "hat": Garment("sombrero", False, False),
    "beanie": Garment("gorro", False, False),
    "boots": Garment("botas", True, True),
    "shoes": Garment("zapatos", False, True),
    "sneakers": Garment("tenis", False, True),
    "vest": Garment("chaleco", False, False),
    "dress": Garment("vestido", False, False),
    "skirt": Garment("falda", True, False),
    "gloves": Garment("guantes", False, True),
    "mask": Garment("máscara", True, False),
    "backpack": Garment("mochila", True, False),
    "uniform": Garment("uniforme", False, False),
}
# Words that say what a garment is made of or for, said after it.
MODIFIERS = {
    "hooded": "con capucha",
    "baseball": "de béisbol",
    "denim": "de mezclilla",
    "leather": "de cuero",
    "camouflage": "de camuflaje",
    "camo": "de camuflaje",
    "ski": "de esquí",
    "work": "de trabajo",
}
SEPARATORS = re.compile(r"\s*(?:,|;|\band\b|\bwith\b|&)\s*", re.IGNORECASE)


def _item(words: list[str]) -> str | None:
    """'dark blue hooded sweatshirt' → 'sudadera azul oscuro con capucha'; None if a word is
    not in the glossary."""
    if not words or words[-1] not in GARMENTS:
        return None
    garment = GARMENTS[words[-1]]
    colours, shades, extras = [], [], [garment.extra] if garment.extra else []
    for word in words[:-1]:
        if word in SHADES:
            shades.append(SHADES[word])
        elif word in MODIFIERS:
            extras.insert(0, MODIFIERS[word])
        elif (hue := colour_word(word)) is not None:
            colours.append(hue)
        else:
            return None
    tint = " ".join(colours + shades)  # a shaded colour stays as it is: "azul oscuro"
    if colours and not shades:
        tint = " y ".join(agree(c, garment.feminine, garment.plural) for c in colours)
    return " ".join(p for p in (garment.noun, tint, *extras) if p)


def clothing(text: str) -> str | None:
    """The description in Spanish, or None when any part of it is outside the glossary."""
    items = [_item(part.lower().split()) for part in SEPARATORS.split(text.strip()) if part]
    if not items or any(item is None for item in items):
        return None
    said = [item for item in items if item]
    return said[0] if len(said) == 1 else ", ".join(said[:-1]) + " y " + said[-1]
