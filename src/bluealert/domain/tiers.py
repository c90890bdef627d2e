"""The two content tiers: what the public may see, and what only law enforcement may see."""

from __future__ import annotations

from bluealert.domain.content import AlertContent, Officer


def _public_officer(officer: Officer) -> Officer:
    if officer.identity_released:
        return officer
    return officer.model_copy(update={"name": None, "rank": None})


def public_view(content: AlertContent) -> AlertContent:
    """The content with every law-enforcement-only fact removed.

    Withheld: officer identities not yet released (next-of-kin gate) and the law-enforcement
    notes. (Attestations are not content: they live on the version, never in a public output.)
    """
    return content.model_copy(
        update={
            "officers": [_public_officer(o) for o in content.officers],
            "law_enforcement_notes": "",
        }
    )


def released_identities(earlier: AlertContent, later: AlertContent) -> list[int]:
    """Positions of the officers whose identity `later` releases and `earlier` withheld."""
    withheld = {i for i, o in enumerate(earlier.officers) if not o.identity_released}
    return [i for i, o in enumerate(later.officers) if o.identity_released and i in withheld]
