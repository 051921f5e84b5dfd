"""Personal access tokens: what a person's other systems (a staff record, a learning
platform, a phone) present to the API instead of a password."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.people.models import User


class TokenScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read-write"

    @property
    def label(self) -> str:
        return {"read": "Read only", "read-write": "Read and write"}[self.value]


class ApiToken(Base):
    """One token. Only its SHA-256 is kept: the token itself is shown once, when it is made.

    It works until it expires or is revoked, and only while its owner's account is active;
    it acts as its owner, under the same policy as their pages, never as more."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # What the person called it ("Learning platform"), to know which one to revoke.
    name: Mapped[str] = mapped_column(String(100))
    # The first characters of the token ("isp_Ab3d"), shown in lists so a person can match a
    # token they hold to its line; too short to help anyone guess the rest.
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope, "api_token_scope"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    # Who made it: its owner on their account page, or None from the command line.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
