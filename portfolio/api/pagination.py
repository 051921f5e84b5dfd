"""Lists a page at a time: `limit` items, and an opaque `cursor` naming where the next page
starts (the sort key of the last item given). A page never repeats or skips an item that
was there throughout, however the list changes between requests. Pure.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from portfolio.api.problems import Problem

T = TypeVar("T")
Key = tuple[str | int, ...]


def encode(key: Key) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode(cursor: str) -> Key:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):  # RecursionError: "[[[[…" nested
        raise _bad_cursor() from None
    if not isinstance(value, list) or not all(
        isinstance(item, str | int) and not isinstance(item, bool) for item in value
    ):
        raise _bad_cursor()
    return tuple(value)


def _bad_cursor() -> Problem:
    return Problem(
        400,
        "The cursor is not one this list gave: start again without it",
        errors={"cursor": ["Not a cursor from this list"]},
    )


def page(
    items: Sequence[T], key: Callable[[T], Key], *, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """The page after `cursor` of `items` (already in `key` order), and the next cursor."""
    remaining = list(items)
    if cursor is not None:
        after = decode(cursor)
        try:
            remaining = [item for item in remaining if key(item) > after]
        except TypeError:  # a cursor from another list, with keys of other types
            raise _bad_cursor() from None
    chosen = remaining[:limit]
    more = len(remaining) > limit
    return chosen, encode(key(chosen[-1])) if more and chosen else None
