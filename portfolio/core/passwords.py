"""Password hashing and the rules a new password must meet (pure)."""

from __future__ import annotations

import functools
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

MINIMUM_LENGTH = 12
# werkzeug's scrypt defaults (N=2^15, r=8, p=1). The tests lower the cost to stay fast.
HASH_METHOD = "scrypt"
# Stored for someone invited who has not yet chosen a password: it matches nothing, and
# checking it takes as long as a real hash (below), so sign-in does not reveal who is waiting.
NO_PASSWORD = "!invited"  # noqa: S105 - a marker that is never a valid hash, not a password


@functools.cache
def _dummy_hash(method: str) -> str:
    """Compared against when no account matches, so a wrong address takes as long as a wrong
    password and response times do not reveal who has an account."""
    return generate_password_hash("not-a-real-password-for-timing", method=method)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=HASH_METHOD)


def password_matches(stored_hash: str | None, password: str) -> bool:
    if stored_hash is None or stored_hash == NO_PASSWORD:
        check_password_hash(_dummy_hash(HASH_METHOD), password)
        return False
    return check_password_hash(stored_hash, password)


def has_password(stored_hash: str) -> bool:
    return stored_hash != NO_PASSWORD


def password_problem(password: str, *, email: str, name: str) -> str | None:
    """Why a new password is not acceptable, or None. NCSC advice: length over complexity."""
    if len(password) < MINIMUM_LENGTH:
        return f"Password must be {MINIMUM_LENGTH} characters or more"
    if len(password) > 256:
        return "Password must be 256 characters or fewer"
    lowered = password.lower()
    if lowered == email.lower() or (
        name and lowered.replace(" ", "") == name.lower().replace(" ", "")
    ):
        return "Password must not be your email address or name"
    if len(set(password)) < 4:
        return "Password must not repeat the same few characters"
    return None


def temporary_password() -> str:
    """Four groups of random letters and digits, easy to read out and type once."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))
