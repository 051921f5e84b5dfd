"""Signing in, passwords and sessions. Services flush and never commit."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.accounts.models import SignInAttempt
from portfolio.accounts.passwords import hash_password, password_matches, temporary_password
from portfolio.audit.services import Auditor
from portfolio.clock import utcnow
from portfolio.people.models import User


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignInLimits:
    per_account: int
    per_address: int
    window: dt.timedelta


class SignInResult(enum.Enum):
    SIGNED_IN = "signed_in"
    WRONG_DETAILS = "wrong_details"
    INACTIVE = "inactive"
    TOO_MANY_ATTEMPTS = "too_many_attempts"


@dataclass(frozen=True)
class SignInOutcome:
    result: SignInResult
    user: User | None = None


def _recent_failures_for_account(session: Session, email: str, since: dt.datetime) -> int:
    last_success = session.scalar(
        select(func.max(SignInAttempt.attempted_at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None and last_success > since:
        since = last_success
    return (
        session.scalar(
            select(func.count()).where(
                SignInAttempt.email == email,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > since,
            )
        )
        or 0
    )


def _recent_failures_from_address(session: Session, address: str, since: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                SignInAttempt.address == address,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > since,
            )
        )
        or 0
    )


def sign_in(
    session: Session, *, email: str, password: str, address: str, limits: SignInLimits
) -> SignInOutcome:
    """Check a sign-in attempt and record it.

    Failures are counted per account (reset by a success) and per network address. The
    per-address limit is set high because a whole trust can share one proxy address; the
    per-account limit is what stops guessing at one person's password.
    """
    email = normalise_email(email)
    now = utcnow()
    since = now - limits.window
    if (
        _recent_failures_for_account(session, email, since) >= limits.per_account
        or _recent_failures_from_address(session, address, since) >= limits.per_address
    ):
        return SignInOutcome(SignInResult.TOO_MANY_ATTEMPTS)

    user = session.scalar(select(User).where(User.email == email))
    if not password_matches(user.password_hash if user else None, password) or user is None:
        session.add(SignInAttempt(email=email, address=address, attempted_at=now, succeeded=False))
        session.flush()
        return SignInOutcome(SignInResult.WRONG_DETAILS)
    if not user.active:
        return SignInOutcome(SignInResult.INACTIVE)
    session.add(SignInAttempt(email=email, address=address, attempted_at=now, succeeded=True))
    session.flush()
    return SignInOutcome(SignInResult.SIGNED_IN, user)


def change_password(auditor: Auditor, user: User, new_password: str) -> None:
    """Set a new password chosen by its owner; every other session ends."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1
    auditor.record(
        "password.changed",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
    )
    auditor.session.flush()


def sign_out_everywhere(auditor: Auditor, user: User) -> None:
    user.session_version += 1
    auditor.record(
        "sessions.ended",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
    )
    auditor.session.flush()


def reset_password(auditor: Auditor, user: User) -> str:
    """An administrator's reset: a one-off password the person must change at next sign-in.

    Returned to show once to the administrator, who hands it over in person; it is never
    emailed and never stored except as a hash.
    """
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    auditor.record(
        "password.reset",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
    )
    auditor.session.flush()
    return password
