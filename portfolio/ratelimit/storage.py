"""A `limits` storage on our own database table, for the moving window strategy.

Used when no Redis is configured. Counting in the database, not in memory, is what lets the
several gunicorn processes (and the hosts behind a load balancer) agree on one count.

A moving window counts every hit made in the last `expiry` seconds, exactly as the tables
it replaces did (one row per hit, counted since a moment), so a refusal lasts until the
oldest hit in the window is `expiry` seconds old. Each operation runs in a `SessionScope`:
either the request's own unit of work (the hit is written, and on PostgreSQL its key stays
locked, until the request commits) or a short transaction of its own, committed at once
(see `limiter.Limiter.apart`). Time is the app's clock, `portfolio.core.clock.utcnow`, so tests
move it rather than sleep.

Only the moving window is offered: the fixed-window counter methods `limits` also defines
(`incr`, `get`, `get_expiry`) raise NotImplementedError rather than pretend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portfolio.core import clock
from portfolio.db import writing
from portfolio.ratelimit.models import RateLimitHit

SessionScope = Callable[[], AbstractContextManager[Session]]
# The first half of PostgreSQL's two-part advisory lock key: the rate limiter's own space,
# so a key's lock never waits on the sign-in's per-account lock (hashtext of an email).
LOCK_SPACE = 0x524C  # "RL"


def joined(session_for: Callable[[], Session]) -> SessionScope:
    """Work inside the caller's unit of work (the request's session): written when it commits,
    gone if it rolls back, and never waiting for a lock the request itself holds (SQLite has
    one writer at a time)."""

    @contextmanager
    def scope() -> Iterator[Session]:
        session = session_for()
        yield session
        session.flush()

    return scope


def apart(new_session: Callable[[], Session]) -> SessionScope:
    """A short transaction of its own, committed at once, even during a GET: for a hit that
    must count although the request is then refused. Only safe while the caller holds no
    write transaction of its own on SQLite (the API's token check runs before any)."""

    @contextmanager
    def scope() -> Iterator[Session]:
        with writing(), new_session() as session:
            yield session
            session.commit()

    return scope


class DatabaseStorage(Storage, MovingWindowSupport):
    """Rate limit hits as rows of `rate_limit_hits`: (key, hit_at, expires_at)."""

    STORAGE_SCHEME = None  # made by the app, with its sessions, never from a URL

    def __init__(self, scope: SessionScope) -> None:
        super().__init__()
        self._scope = scope

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return SQLAlchemyError

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = clock.utcnow()
        with self._scope() as session:
            if session.get_bind().dialect.name == "postgresql":
                # One count-and-record per key at a time, so parallel hits cannot all slip
                # under the limit. (SQLite's write transactions are already one at a time.)
                session.execute(select(func.pg_advisory_xact_lock(LOCK_SPACE, func.hashtext(key))))
            session.execute(
                delete(RateLimitHit).where(RateLimitHit.key == key, RateLimitHit.expires_at <= now)
            )
            used = _count_since(session, key, now - dt.timedelta(seconds=expiry))[1]
            if used + amount > limit:
                return False
            expires_at = now + dt.timedelta(seconds=expiry)
            session.execute(
                insert(RateLimitHit),
                [{"key": key, "hit_at": now, "expires_at": expires_at}] * amount,
            )
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """(when the oldest hit in the window was made, how many hits the window holds)."""
        now = clock.utcnow()
        with self._scope() as session:
            oldest, used = _count_since(session, key, now - dt.timedelta(seconds=expiry))
        return (oldest or now).timestamp(), used

    def clear(self, key: str) -> None:
        with self._scope() as session:
            session.execute(delete(RateLimitHit).where(RateLimitHit.key == key))

    def reset(self) -> int | None:
        with self._scope() as session:
            removed = session.execute(delete(RateLimitHit))
        return int(removed.rowcount or 0)  # type: ignore[attr-defined]

    def check(self) -> bool:
        try:
            with self._scope() as session:
                session.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage keeps a moving window only")

    def get(self, key: str) -> int:
        raise NotImplementedError("DatabaseStorage keeps a moving window only")

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage keeps a moving window only")


def _count_since(session: Session, key: str, since: dt.datetime) -> tuple[dt.datetime | None, int]:
    row = session.execute(
        select(func.min(RateLimitHit.hit_at), func.count()).where(
            RateLimitHit.key == key, RateLimitHit.hit_at > since
        )
    ).one()
    return row[0], int(row[1])


def prune_expired(session: Session, now: dt.datetime) -> int:
    """Delete hits that have left their window (the housekeeping job's, for keys no one has
    hit since: a key's own expired hits go whenever it is hit again)."""
    result = session.execute(delete(RateLimitHit).where(RateLimitHit.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
