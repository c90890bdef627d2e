"""WEA texts: 90 and 360 characters, English and Spanish, GSM 7-bit only, never a cut word.

Facts go in by priority — BLUE ALERT, what happened, vehicle and plate, the suspect, where,
what to do, contact — and a fact that does not fit whole is left out and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bluealert.domain.content import AlertContent
from bluealert.domain.tiers import public_view
from bluealert.formats.gsm7 import septets, transliterate
from bluealert.formats.phrases import Language, Phrase, phrases

WeaLimit = Literal[90, 360]
# In a 90-character message the action and the contact are worth more than the suspect.
SHORT_ORDER = ("header", "what", "vehicle0", "instructions", "last_seen0", "contact")


@dataclass(frozen=True)
class WeaText:
    text: str
    limit: int
    language: Language
    left_out: list[str] = field(default_factory=list)
    transliterated: list[str] = field(default_factory=list)


def _short_form(found: list[Phrase]) -> list[Phrase]:
    by_name = {p.name: p for p in found}
    chosen = [by_name[n] for n in SHORT_ORDER if n in by_name]
    return chosen + [p for p in found if p not in chosen]


def compose_wea(content: AlertContent, language: Language, limit: WeaLimit) -> WeaText:
    found = phrases(public_view(content), language)
    if limit == 90:
        found = [Phrase(p.name, p.terse) for p in _short_form(found)]
    kept: list[str] = []
    left_out: list[str] = []
    replaced: set[str] = set()
    for phrase in found:
        text, swapped = transliterate(phrase.text)
        candidate = " ".join([*kept, text])
        if septets(candidate) <= limit:
            kept.append(text)
            replaced.update(swapped)
        else:
            left_out.append(phrase.name)
    return WeaText(" ".join(kept), limit, language, left_out, sorted(replaced))
