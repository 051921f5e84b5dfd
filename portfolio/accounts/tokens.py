"""The tokens in emailed password links, and whether a link still works (pure).

A token is 32 random bytes (`secrets.token_urlsafe`), sent only in the email. The database
keeps its SHA-256, so a copy of the database (or a backup) holds nothing that opens an
account: a plain, unsalted hash is enough for a random 256-bit value that nobody can guess.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; anything that cannot be one is refused unhashed.
_PLAUSIBLE = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def plausible(token: str) -> bool:
    return _PLAUSIBLE.fullmatch(token) is not None


def hashes_match(stored: str, presented: str) -> bool:
    """Constant-time comparison of two hex digests."""
    return hmac.compare_digest(stored.encode(), presented.encode())


class LinkState(enum.Enum):
    USABLE = "usable"
    USED = "used"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    CLOSED = "closed"  # the account was deactivated


def link_state(
    *,
    now: dt.datetime,
    expires_at: dt.datetime,
    used_at: dt.datetime | None,
    superseded_at: dt.datetime | None,
    account_active: bool,
) -> LinkState:
    """Why a link no longer works, or USABLE. Used wins over superseded (setting a password
    supersedes the others, and the person should hear that theirs was used), and both over
    expired (more useful to know); a link expires at its exact instant."""
    if used_at is not None:
        return LinkState.USED
    if superseded_at is not None:
        return LinkState.SUPERSEDED
    if not account_active:
        return LinkState.CLOSED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.USABLE


UNUSABLE_MESSAGES = {
    None: "This link is not valid. Check you copied the whole link from the email.",
    LinkState.USED: "This link has already been used. Each link works only once.",
    LinkState.SUPERSEDED: (
        "This link has been replaced by a newer one, or the password was changed since it "
        "was sent. Use the newest email, or ask for a new link."
    ),
    LinkState.EXPIRED: "This link has expired.",
    LinkState.CLOSED: "This link can no longer be used.",
}


def describe_duration(delta: dt.timedelta) -> str:
    """'60 minutes', '14 days', '2 hours': how long a link works, in an email's words."""
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return f"{days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0 and minutes > 60:
        return f"{minutes // 60} hours"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
