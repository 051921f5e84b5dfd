"""The rate limiter's one table, used when no Redis is configured: one row per counted hit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.core.db import Base

KEY_LENGTH = 400  # a throttle's name, one identifier (at most 254 characters) and the rule


class RateLimitHit(Base):
    """One hit counted against a rate limit key (a throttle and, say, a network address).

    Transient: a hit matters only until `expires_at` (when it leaves its moving window);
    the limiter deletes a key's expired hits as it counts, and the nightly housekeeping the
    rest. Nothing else reads this table."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (
        Index("ix_rate_limit_hits_key_hit_at", "key", "hit_at"),
        Index("ix_rate_limit_hits_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))
    hit_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
