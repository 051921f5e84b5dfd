"""Personal access tokens as values, and whether one still works (pure).

A token is `isp_` and 32 random bytes (`secrets.token_urlsafe`): the prefix says where it
belongs (a token pasted into a chat or a repository is recognisable, and secret scanners
can be taught it). The database keeps only its SHA-256. A slow password hash would add
nothing: it protects guessable passwords, and nobody can guess 256 random bits, so a copy of
the database gives no way to any token.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets

# The same SHA-256 and constant-time comparison as the emailed password links' tokens.
from portfolio.accounts.tokens import hashes_match, token_hash

PREFIX = "isp_"
TOKEN_BYTES = 32
SHOWN_CHARACTERS = 8  # "isp_" and 4 more, in lists of tokens
# token_urlsafe(32) gives 43 characters; anything that cannot be a token is refused unhashed.
_PLAUSIBLE = re.compile(r"isp_[A-Za-z0-9_-]{43}")


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def plausible(token: str) -> bool:
    return _PLAUSIBLE.fullmatch(token) is not None


__all__ = ["hashes_match", "new_token", "plausible", "token_hash"]


class TokenState(enum.Enum):
    USABLE = "usable"
    REVOKED = "revoked"
    EXPIRED = "expired"
    CLOSED = "closed"  # its owner's account was deactivated


def token_state(
    *, now: dt.datetime, expires_at: dt.datetime, revoked_at: dt.datetime | None, active: bool
) -> TokenState:
    """Why a token no longer works, or USABLE. A token expires at its exact instant."""
    if revoked_at is not None:
        return TokenState.REVOKED
    if not active:
        return TokenState.CLOSED
    if now >= expires_at:
        return TokenState.EXPIRED
    return TokenState.USABLE


def bearer_token(header: str | None) -> str | None:
    """The token in an `Authorization: Bearer …` header, or None when there is no such header.
    The scheme is case-insensitive (RFC 9110); an empty token is returned as ''."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()
