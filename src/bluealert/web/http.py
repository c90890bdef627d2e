"""Conditional responses: a strong ETag from the body, and 304 when the client has it."""

from __future__ import annotations

import hashlib

from fastapi import Request, Response


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def matches(request: Request, etag: str) -> bool:
    """RFC 9110 13.1.2: If-None-Match is a list of entity tags, or '*'; W/ is ignored."""
    given = request.headers.get("if-none-match")
    if not given:
        return False
    tags = {t.strip().removeprefix("W/") for t in given.split(",")}
    return "*" in tags or etag in tags


def conditional(
    request: Request,
    data: bytes,
    media_type: str,
    *,
    etag: str | None = None,
    headers: dict[str, str] | None = None,
    cache: str = "no-cache",
) -> Response:
    """The body with its ETag, or 304 Not Modified when If-None-Match names it."""
    tag = etag or etag_of(data)
    sent = {"etag": tag, "cache-control": cache, **(headers or {})}
    if matches(request, tag):
        return Response(status_code=304, headers=sent)
    return Response(data, media_type=media_type, headers=sent)
