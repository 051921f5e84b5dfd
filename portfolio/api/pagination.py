"""Lists a page at a time: `limit` items, and an opaque `cursor` naming where the next page
starts (the sort key of the last item given). A page never repeats or skips an item that
was there throughout, however the list changes between requests. Pure.

The key is the list's own order, never an item's position in it: a position moves when an
item is added or removed above it, a key does not. Keys are unique (they end with an id
where the rest could tie) and rise down the list; a list shown newest first says so with
`newest_first`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Callable, Sequence
from itertools import pairwise
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


def newest_first(on: dt.date, item_id: int) -> Key:
    """The key of a list by date, newest first, then by id, highest first."""
    return (-on.toordinal(), -item_id)


def page(
    items: Sequence[T], key: Callable[[T], Key], *, limit: int, cursor: str | None
) -> tuple[list[T], str | None]:
    """The page after `cursor` of `items` in `key` order, and the next cursor.

    Sorted here, by the key itself: a database's collation may order text otherwise, and
    the cursor must follow the same order as the pages."""
    keyed = sorted(((key(item), item) for item in items), key=lambda pair: pair[0])
    if any(earlier == later for (earlier, _), (later, _) in pairwise(keyed)):
        raise ValueError("two items of a list share a key: end the key with an id")
    if cursor is not None:
        after = decode(cursor)
        if keyed and not _same_shape(after, keyed[0][0]):  # a cursor from another list
            raise _bad_cursor()
        keyed = [(item_key, item) for item_key, item in keyed if item_key > after]
    remaining = [item for _, item in keyed]
    chosen = remaining[:limit]
    more = len(remaining) > limit
    return chosen, encode(key(chosen[-1])) if more and chosen else None


def _same_shape(cursor: Key, key: Key) -> bool:
    return len(cursor) == len(key) and all(
        type(mine) is type(theirs) for mine, theirs in zip(cursor, key, strict=True)
    )
