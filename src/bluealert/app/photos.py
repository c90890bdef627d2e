"""Use case: check a photo, strip its metadata and store it by content."""

from __future__ import annotations

from bluealert.app.context import AppContext, transaction
from bluealert.domain.content import PhotoRef
from bluealert.domain.photos import check_photo


def add_photo(ctx: AppContext, *, actor: str, data: bytes, caption: str | None = None) -> PhotoRef:
    photo = check_photo(data, ctx.settings.photo_max_bytes)
    now = ctx.clock()
    with transaction(ctx) as tx:
        if tx.photos.put(
            data=photo.data,
            sha256=photo.sha256,
            media_type=photo.media_type,
            width=photo.width,
            height=photo.height,
            stored_by=actor,
            now=now,
        ):
            tx.audit(
                "photo.stored",
                actor=actor,
                subject_type="photo",
                subject_id=photo.sha256,
                now=now,
                media_type=photo.media_type,
                size=len(photo.data),
            )
    return PhotoRef(
        sha256=photo.sha256,
        sha1=photo.sha1,
        media_type=photo.media_type,
        size=len(photo.data),
        caption=caption,
    )
