"""Sign-in attempts, counted in the database so every worker process sees the same numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.db import Base, utcnow


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_email_at", "email", "attempted_at"),
        Index("ix_sign_in_attempts_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The address as typed (normalised), whether or not an account has it: unknown addresses
    # are limited exactly like real ones, so the limit reveals nothing.
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    # Made from a browser this person had signed in on before (counted apart).
    known_device: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
