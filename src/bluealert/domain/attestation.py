"""Attestations: what a supervisor of the requesting agency vouches for, bound to the facts.

34 U.S.C. 50503(b)(2)(D) and (E) make an alert depend on what the involved agency confirms
(the officer's status, that the suspect is not apprehended, …). An attestation records one such
confirmation with who gave it and when, the version it was given on, and the SHA-256 of the
content it was given on. It is made only by `alert submit --attest` (later the API), never read
from an alert file, and it is void on a draft once the draft's content changes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Annotated

from pydantic import Field

from bluealert.domain.content import AlertContent
from bluealert.domain.model import Model, ShortText, UtcDatetime
from bluealert.domain.vocabulary import Claim

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class Attestation(Model):
    claim: Claim
    by: ShortText
    at: UtcDatetime
    version: int = Field(ge=1, description="The version it was given on.")
    content_sha256: Sha256 = Field(description="content_digest of what it was given on.")


def content_digest(content: AlertContent) -> str:
    """SHA-256 of the content's canonical JSON: any change to what the alert says changes it."""
    canonical = json.dumps(
        content.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def given_on(content: AlertContent, attestations: Iterable[Attestation]) -> tuple[Attestation, ...]:
    """The attestations that were given on exactly this content."""
    digest = content_digest(content)
    return tuple(a for a in attestations if a.content_sha256 == digest)


def replacing(
    earlier: Iterable[Attestation], made: Iterable[Attestation]
) -> tuple[Attestation, ...]:
    """Earlier attestations, except for the claims made anew, then the new ones."""
    made = tuple(made)
    renewed = {a.claim for a in made}
    return (*(a for a in earlier if a.claim not in renewed), *made)
