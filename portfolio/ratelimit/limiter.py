"""The app's one rate limiter: named throttles counted per identifier (a network address, an
email address typed) in a moving window, with the `limits` library.

Where the counts live: on Redis when REDIS_URL is set (`limits`' own Redis storage, shared by
every process), otherwise in the database's `rate_limit_hits` table (`storage.DatabaseStorage`).
Never in memory: the app runs several gunicorn processes, and each would count apart. Should
Redis stop answering, the limiter logs it and counts in the database meanwhile rather than
fail the page (as the queue keeps jobs while its server is down).

On the database, a hit is part of the request's unit of work (committed with it, so on
SQLite it never waits for the write lock the request already holds). `Limiter.apart()`
counts in a short transaction of its own instead, committed at once: for the API's token
check, whose failed attempts must count although the request is then refused, and which runs
before the request's own transaction begins. On Redis both are the same: a hit is immediate.

The numbers and windows are the settings named by each `Throttle`, read when used (so a
changed setting counts afresh, under a key of its own).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Flask, current_app
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.errors import StorageError
from limits.storage import RedisStorage
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.orm import Session

from portfolio.core import clock
from portfolio.core.settings import Settings, get_settings
from portfolio.db import get_session
from portfolio.ratelimit import storage

log = logging.getLogger(__name__)

IDENTIFIER_LENGTH = 254  # the longest email address; network addresses are far shorter
T = TypeVar("T")


@dataclass(frozen=True)
class Throttle:
    """A limit on something done per identifier: `limit_setting` times within the last
    `window_setting` minutes."""

    name: str
    limit_setting: str
    window_setting: str

    def rule(self, settings: Settings) -> RateLimitItem:
        limit: int = getattr(settings, self.limit_setting)
        window: int = getattr(settings, self.window_setting)
        return RateLimitItemPerMinute(limit, window, namespace=self.name)


# "Forgotten your password?" requests, per address typed and per network address.
RESET_EMAIL = Throttle("reset-email", "password_reset_email_limit", "password_reset_window_minutes")
RESET_ADDRESS = Throttle(
    "reset-address", "password_reset_address_limit", "password_reset_window_minutes"
)
# Uses of the public upload check (/verify), per network address.
VERIFY_CHECK = Throttle("verify-check", "verify_upload_limit", "sign_in_window_minutes")
# Failed sign-ins from browsers no account knows, and unknown API tokens, per network address
# (one count for both; the per-account lockout is the sign-in's own, in `sign_in_attempts`).
FAILED_SIGN_IN = Throttle("failed-sign-in", "sign_in_address_limit", "sign_in_window_minutes")


def _now() -> float:
    """The app's clock, as a timestamp: the database storage's clock, and the same wall clock
    as the Redis storage's `time.time()`."""
    return clock.utcnow().timestamp()


class Limiter:
    """Throttles counted in one place (`counts`), or in `fallback` while that one fails."""

    def __init__(
        self,
        settings: Callable[[], Settings],
        counts: MovingWindowRateLimiter,
        *,
        fallback: MovingWindowRateLimiter | None = None,
        apart: Limiter | None = None,
    ) -> None:
        self._settings = settings
        self._counts = counts
        self._fallback = fallback
        self._apart = apart

    def allows(self, throttle: Throttle, identifier: str) -> bool:
        """Whether one more would be within the limit (nothing is counted)."""
        rule = throttle.rule(self._settings())
        return self._run(lambda counts: counts.test(rule, _short(identifier)))

    def hit(self, throttle: Throttle, identifier: str) -> bool:
        """Count one, unless the limit is reached: False then, and nothing is counted."""
        rule = throttle.rule(self._settings())
        return self._run(lambda counts: counts.hit(rule, _short(identifier)))

    def retry_after(self, throttle: Throttle, identifier: str) -> int:
        """Whole seconds until one more would be allowed (at least 1)."""
        rule = throttle.rule(self._settings())

        def seconds(counts: MovingWindowRateLimiter) -> int:
            stats = counts.get_window_stats(rule, _short(identifier))
            return max(1, math.ceil(stats.reset_time - _now()))

        return self._run(seconds)

    def apart(self) -> Limiter:
        """The same limiter, each count committed at once in a transaction of its own."""
        return self._apart or self

    def _run(self, work: Callable[[MovingWindowRateLimiter], T]) -> T:
        try:
            return work(self._counts)
        except StorageError as error:
            if self._fallback is None:
                raise
            log.warning("rate limiter: Redis is not answering, counting in the database: %s", error)
            return work(self._fallback)


def _short(identifier: str) -> str:
    return identifier[:IDENTIFIER_LENGTH]


def on_database(settings: Callable[[], Settings], new_session: Callable[[], Session]) -> Limiter:
    """Counting in `rate_limit_hits`: in the request's session (`get_session`), or apart in
    sessions from `new_session`."""

    def counts(scope: storage.SessionScope) -> MovingWindowRateLimiter:
        return MovingWindowRateLimiter(storage.DatabaseStorage(scope))

    own = Limiter(settings, counts(storage.apart(new_session)))
    return Limiter(settings, counts(storage.joined(get_session)), apart=own)


def on_redis(
    settings: Callable[[], Settings], url: str, *, key_prefix: str, fallback: Limiter
) -> Limiter:
    """Counting in Redis, or in `fallback`'s place while Redis does not answer."""
    redis = RedisStorage(
        url,
        key_prefix=key_prefix,
        wrap_exceptions=True,  # StorageError, so a Redis that stops answering is caught
        socket_connect_timeout=2,
        socket_timeout=2,
    )
    counts = MovingWindowRateLimiter(redis)
    return Limiter(
        settings,
        counts,
        fallback=fallback._counts,
        apart=Limiter(settings, counts, fallback=fallback.apart()._counts),
    )


def redis_key_prefix(settings: Settings) -> str:
    """Two installations sharing one Redis keep their counts apart, as their queues, by the
    queue's name."""
    return f"{settings.queue_name}-rate-limits"


def init_app(app: Flask) -> None:
    # Its counts change nothing the policy guards: let them commit before a route asks it.
    def settings() -> Settings:
        return get_settings(app)

    database = on_database(
        settings, lambda: app.extensions["sessionmaker"](info={"outside_the_policy": True})
    )
    url = get_settings(app).redis_url
    prefix = redis_key_prefix(get_settings(app))
    app.extensions["limiter"] = (
        on_redis(settings, url, key_prefix=prefix, fallback=database) if url else database
    )


def limiter() -> Limiter:
    """The current app's limiter."""
    found: Limiter = current_app.extensions["limiter"]
    return found
