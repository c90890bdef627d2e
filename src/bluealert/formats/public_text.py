"""Headline, description and instruction for the public, in English or Spanish.

Hand-written texts in the alert (`public_text.en`, `public_text.es`) win; what is left out is
composed from the structured facts, never from law-enforcement-only fields.
"""

from __future__ import annotations

from bluealert.domain.content import AlertContent, PublicText
from bluealert.domain.tiers import public_view
from bluealert.formats.cancellation import Cancellation, practice_mark
from bluealert.formats.phrases import Language, kind_text, phrases

HEADLINE_LIMIT = 160  # CAP 1.2 asks for headlines of about 160 characters
CANCELLED = {"en": "Cancelled", "es": "Cancelada"}


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words and marked with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"


def compose_public_text(
    content: AlertContent, language: Language, *, cancelled: Cancellation | None = None
) -> PublicText:
    """The texts; those of a cancellation are always composed, never the hand-written ones.
    The headline of an Exercise or Test starts with its mark ("EXERCISE - …")."""
    public = public_view(content)
    written = getattr(public.public_text, language) if cancelled is None else PublicText()
    found = phrases(public, language, cancelled=cancelled)
    facts = [p.text for p in found if p.name not in ("header", "instructions")]
    place = public.incident.location.description
    headline = f"{kind_text(public, language)} - {place}"
    if cancelled is not None:
        headline = f"{CANCELLED[language]}: {headline}"
    headline = written.headline or headline
    mark = practice_mark(public.status, language)
    if mark and not headline.startswith(mark):
        headline = f"{mark} - {headline}"
    return PublicText(
        headline=clipped(headline, HEADLINE_LIMIT),
        description=written.description or " ".join(facts),
        instruction=written.instruction or next(p.text for p in found if p.name == "instructions"),
    )
