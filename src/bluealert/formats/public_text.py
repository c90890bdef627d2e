"""Headline, description and instruction for the public, in English or Spanish.

Hand-written texts in the alert (`public_text.en`, `public_text.es`) win; what is left out is
composed from the structured facts, never from law-enforcement-only fields.
"""

from __future__ import annotations

from bluealert.domain.content import AlertContent, PublicText
from bluealert.domain.tiers import public_view
from bluealert.formats.phrases import KIND, Language, instructions, phrases


def compose_public_text(content: AlertContent, language: Language) -> PublicText:
    public = public_view(content)
    written = getattr(public.public_text, language)
    facts = [p.text for p in phrases(public, language) if p.name not in ("header", "instructions")]
    place = public.incident.location.description
    headline = f"{KIND[language][public.kind]} - {place}"
    return PublicText(
        headline=written.headline or headline[:160],
        description=written.description or " ".join(facts),
        instruction=written.instruction or instructions(public, language),
    )
