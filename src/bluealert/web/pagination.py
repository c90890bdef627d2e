"""Cursor pagination: an opaque cursor names the last item of the page before.

A cursor, unlike an offset, does not skip or repeat items when new ones arrive meanwhile.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, TypeVar

from fastapi import Query

from bluealert.errors import InvalidInput

T = TypeVar("T")

CursorQuery = Annotated[
    str | None,
    Query(description="From `next_cursor` of the previous page.", max_length=200),
]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Items per page.")]


def encode_cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput("not a cursor this API gave out", field="cursor") from None


def page(
    items: Sequence[T], key: Callable[[T], str], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The items after the cursor's item, at most `limit`, and the cursor of the next page."""
    start = 0
    if cursor is not None:
        after = decode_cursor(cursor)
        keys = [key(item) for item in items]
        if after not in keys:
            raise InvalidInput("the cursor's item is gone; start again without it", field="cursor")
        start = keys.index(after) + 1
    chosen = list(items[start : start + limit])
    more = start + limit < len(items)
    return chosen, encode_cursor(key(chosen[-1])) if more and chosen else None
