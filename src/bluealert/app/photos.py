"""Photos in a use case's transaction: stored once by content, and every reference checked."""

from __future__ import annotations

from collections.abc import Sequence

from bluealert.app.context import AppContext, Transaction, transaction
from bluealert.domain.content import AlertContent, PhotoRef
from bluealert.domain.photos import CheckedPhoto, check_photo
from bluealert.errors import InvalidAlert


def photo_ref(photo: CheckedPhoto, caption: str | None = None) -> PhotoRef:
    return PhotoRef(
        sha256=photo.sha256,
        sha1=photo.sha1,
        media_type=photo.media_type,
        size=len(photo.data),
        caption=caption,
    )


def store_photos(tx: Transaction, actor: str, photos: Sequence[CheckedPhoto]) -> None:
    """Store each checked photo once, with an audit event, inside the caller's transaction."""
    now = tx.ctx.clock()
    for photo in photos:
        stored = tx.photos.put(
            data=photo.data,
            sha256=photo.sha256,
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
            stored_by=actor,
            now=now,
        )
        if stored:
            tx.audit(
                "photo.stored",
                actor=actor,
                subject_type="photo",
                subject_id=photo.sha256,
                now=now,
                media_type=photo.media_type,
                size=len(photo.data),
            )


def require_stored_photos(tx: Transaction, content: AlertContent) -> None:
    """Every photo an alert names must be one the store holds."""
    for i, suspect in enumerate(content.suspects):
        for j, ref in enumerate(suspect.photos):
            if not tx.photos.holds(ref.sha256):
                raise InvalidAlert(
                    f"no stored photo {ref.sha256}; add the photo before naming it",
                    field=f"suspects.{i}.photos.{j}",
                )


def add_photo(ctx: AppContext, *, actor: str, data: bytes) -> PhotoRef:
    """Check a photo (type by content, size cap, metadata stripped) and store it once."""
    checked = check_photo(data, ctx.settings.photo_max_bytes)
    with transaction(ctx) as tx:
        tx.users.get(actor)
        store_photos(tx, actor, [checked])
    return photo_ref(checked)


def read_photo(ctx: AppContext, sha256: str) -> tuple[str, bytes]:
    """A stored photo and its media type (for law enforcement; the public reads public ones)."""
    with transaction(ctx) as tx:
        return tx.photos.media_type(sha256), tx.photos.read(sha256)
