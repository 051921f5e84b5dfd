"""Signing in, passwords and sessions. Services flush and never commit."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from portfolio.accounts import events
from portfolio.accounts.links import supersede_open_links
from portfolio.accounts.models import SignInAttempt
from portfolio.audit.services import Auditor
from portfolio.core.clock import utcnow
from portfolio.core.passwords import hash_password, password_matches, temporary_password
from portfolio.people.models import User
from portfolio.ratelimit.limiter import FAILED_SIGN_IN, Limiter


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignInLimits:
    """The per-account lockout's; the per-address limit is the rate limiter's
    (`FAILED_SIGN_IN`, shared with unknown API tokens)."""

    per_account: int
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


def _recent_failures(session: Session, since: dt.datetime, *conditions: ColumnElement[bool]) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                *conditions,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.attempted_at > since,
            )
        )
        or 0
    )


def _last_success(session: Session, email: str) -> dt.datetime | None:
    return session.scalar(
        select(func.max(SignInAttempt.attempted_at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )


def sign_in(
    session: Session,
    *,
    email: str,
    password: str,
    address: str,
    limits: SignInLimits,
    limiter: Limiter,
    known_user_ids: frozenset[int] = frozenset(),
) -> SignInOutcome:
    """Check a sign-in attempt and record it.

    Failures are counted per account (reset by a success), in the database so every worker
    process sees the same numbers, and per network address by the rate limiter. A browser
    that this person has signed in on before (`known_user_ids`, from a signed cookie) is
    counted apart, and never against its address: guessing from elsewhere cannot lock someone
    out of their usual computer, and many failures behind a trust's shared proxy address never
    lock out the staff already known to it.
    """
    email = normalise_email(email)
    now = utcnow()
    since = now - limits.window
    if session.get_bind().dialect.name == "postgresql":
        # Count and record one attempt per account at a time, so parallel guesses cannot all
        # slip under the limit. (SQLite's write transactions are already serialised.)
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(email))))
    # Only what the check needs: loading the whole person would take longer for real
    # accounts than for unknown addresses, and the difference would tell who has one.
    account = session.execute(
        select(User.id, User.password_hash, User.active).where(User.email == email)
    ).first()
    known = account is not None and account.id in known_user_ids
    last_success = _last_success(session, email)
    account_since = max(since, last_success) if last_success else since
    if known:
        too_many = (
            _recent_failures(
                session,
                account_since,
                SignInAttempt.email == email,
                SignInAttempt.known_device.is_(True),
            )
            >= limits.per_account
        )
    else:
        too_many = _recent_failures(
            session,
            account_since,
            SignInAttempt.email == email,
            SignInAttempt.known_device.is_(False),
        ) >= limits.per_account or not limiter.allows(FAILED_SIGN_IN, address)
    if too_many:
        return SignInOutcome(SignInResult.TOO_MANY_ATTEMPTS)

    def attempt(succeeded: bool) -> None:
        session.add(
            SignInAttempt(
                email=email,
                address=address,
                attempted_at=now,
                succeeded=succeeded,
                known_device=known,
            )
        )
        session.flush()

    # Always hash: an unknown address is compared against a dummy hash, taking as long.
    matches = password_matches(account.password_hash if account else None, password)
    if account is None or not matches:
        attempt(False)
        if not known:
            limiter.hit(FAILED_SIGN_IN, address)
        return SignInOutcome(SignInResult.WRONG_DETAILS)
    if not account.active:
        return SignInOutcome(SignInResult.INACTIVE)
    attempt(True)
    return SignInOutcome(SignInResult.SIGNED_IN, session.get_one(User, account.id))


def change_password(auditor: Auditor, user: User, new_password: str) -> None:
    """Set a new password chosen by its owner; every other session ends, and so does any
    emailed link to set one and every personal access token."""
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1
    supersede_open_links(auditor.session, user.id, utcnow())
    events.credentials_reset.send(user, auditor=auditor, now=utcnow(), because="password.changed")
    auditor.record(
        "password.changed",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
    )
    auditor.session.flush()


def sign_out_everywhere(auditor: Auditor, user: User) -> None:
    """End every session of the person's, and every personal access token: whoever might
    hold one or the other is shut out."""
    user.session_version += 1
    events.credentials_reset.send(user, auditor=auditor, now=utcnow(), because="sessions.ended")
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
    emailed and never stored except as a hash. Their sessions, emailed links and personal
    access tokens all stop working.
    """
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.session_version += 1
    supersede_open_links(auditor.session, user.id, utcnow())
    events.credentials_reset.send(user, auditor=auditor, now=utcnow(), because="password.reset")
    auditor.record(
        "password.reset",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
    )
    auditor.session.flush()
    return password
