"""WEA texts: 90 and 360 characters, English and Spanish, GSM 7-bit only, never a cut word.

Facts are chosen by priority — BLUE ALERT, what happened, vehicle and plate, where, what to
do, contact, then the rest — and read in their natural order. A fact too long for the room
left is tried in its terse form, else left out; both are reported. The same choice, with
accents kept, is what the EAS audio speaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from bluealert.domain.content import AlertContent
from bluealert.domain.tiers import public_view
from bluealert.formats.cancellation import Cancellation
from bluealert.formats.gsm7 import septets, transliterate
from bluealert.formats.phrases import Language, Phrase, after_calling_911, phrases

WeaLimit = Literal[90, 360]
PRIORITY = ("header", "what", "vehicle0", "last_seen0", "instructions", "armed", "contact")
# In 90 characters the action is worth more than where the vehicle was seen.
SHORT_PRIORITY = ("header", "what", "vehicle0", "instructions", "last_seen0", "contact")
# A cancellation: that it is over, how it ended, that nothing is asked, then what it was.
CANCEL_PRIORITY = ("header", "what", "outcome", "instructions", "vehicle0")


@dataclass(frozen=True)
class WeaText:
    text: str
    limit: int
    language: Language
    left_out: list[str] = field(default_factory=list)
    transliterated: list[str] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)


@dataclass
class _Choice:
    kept: dict[str, str] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)
    replaced: set[str] = field(default_factory=set)


def _by_priority(found: list[Phrase], first: tuple[str, ...]) -> list[Phrase]:
    by_name = {p.name: p for p in found}
    chosen = [by_name[n] for n in first if n in by_name]
    return chosen + [p for p in found if p not in chosen]


def _choose(
    found: list[Phrase],
    limit: int,
    forms: Callable[[Phrase], list[str]],
    gsm: bool,
    order: tuple[str, ...],
) -> _Choice:
    """Keep each phrase, by `order` then as found, in the first of its forms that fits."""
    choice = _Choice()
    used = -1  # no space before the first phrase
    for phrase in _by_priority(found, order):
        if _follows_a_left_out_one(phrase, choice.left_out):
            choice.left_out.append(phrase.name)
            continue
        for n, form in enumerate(forms(phrase)):
            text, swapped = transliterate(form) if gsm else (form, [])
            size = septets(text) if gsm else len(text)
            if used + 1 + size <= limit:
                choice.kept[phrase.name] = text
                choice.replaced.update(swapped)
                used += 1 + size
                if n:
                    choice.shortened.append(phrase.name)
                break
        else:
            choice.left_out.append(phrase.name)
    return choice


def _follows_a_left_out_one(phrase: Phrase, left_out: list[str]) -> bool:
    """A second suspect without the first would read as the only one (likewise vehicles)."""
    kind = phrase.name.rstrip("0123456789")
    return kind != phrase.name and any(n.rstrip("0123456789") == kind for n in left_out)


def _forms(limit: int) -> Callable[[Phrase], list[str]]:
    if limit == 90:
        return lambda p: list(filter(None, (p.terse, p.shortest)))
    return lambda p: p.forms


def _in_reading_order(found: list[Phrase], kept: dict[str, str]) -> str:
    return " ".join(kept[p.name] for p in found if p.name in kept)


def _priority(limit: int, cancelled: Cancellation | None) -> tuple[str, ...]:
    if cancelled is not None:
        return CANCEL_PRIORITY
    return SHORT_PRIORITY if limit == 90 else PRIORITY


def _read_through(
    content: AlertContent, language: Language, cancelled: Cancellation | None
) -> list[Phrase]:
    """The phrases of a text read start to end: a contact after "Call 911." gives only the
    other number, so the text never says "Call 911. Call 911 or …"."""
    found = phrases(public_view(content), language, cancelled=cancelled)
    follow = after_calling_911(content, language)
    if follow is None or not any(p.name == "instructions" and "911" in p.text for p in found):
        return found
    return [replace(p, text=follow) if p.name == "contact" else p for p in found]


def compose_wea(
    content: AlertContent,
    language: Language,
    limit: WeaLimit,
    *,
    cancelled: Cancellation | None = None,
) -> WeaText:
    """The text of `limit` characters; a Cancel's says it is one (and how the alert ended),
    an Exercise's or Test's starts with its mark."""
    found = _read_through(content, language, cancelled)
    choice = _choose(found, limit, _forms(limit), True, _priority(limit, cancelled))
    return WeaText(
        _in_reading_order(found, choice.kept),
        limit,
        language,
        choice.left_out,
        sorted(choice.replaced),
        choice.shortened,
    )


def compose_spoken(
    content: AlertContent, language: Language, *, cancelled: Cancellation | None = None
) -> str:
    """The long WEA text as people write it (accents and all), for speech."""
    found = _read_through(content, language, cancelled)
    chosen = _choose(found, 360, _forms(360), False, _priority(360, cancelled))
    return _in_reading_order(found, chosen.kept)
