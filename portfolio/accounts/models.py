"""Sign-in attempts, counted in the database so every worker process sees the same numbers
(the per-account lockout), and the emailed links that set a password."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.people.models import User


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


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"

    @property
    def label(self) -> str:
        return {"invitation": "Invitation", "reset": "Password reset"}[self.value]


class PasswordLink(Base):
    """One emailed link to set a password: an invitation or a reset.

    Only the SHA-256 of the link's token is kept; the token itself exists in the email alone.
    A link works once, until it expires, and only while it is the person's newest: issuing
    another, changing the password or an administrator's reset supersedes it.
    """

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose, "password_link_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    superseded_at: Mapped[dt.datetime | None]
    # The administrator who sent it; None when its owner asked ("Forgotten your password?").
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    emailed_at: Mapped[dt.datetime | None]
    # The mail server's answer when the email could not be sent (shown to administrators).
    email_problem: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
