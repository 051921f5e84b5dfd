"""Making, listing, revoking and checking personal access tokens. Services flush and never
commit; each change is audited (never the token, nor its hash)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from portfolio.api import tokens
from portfolio.api.models import ApiToken, TokenScope
from portfolio.audit.services import Auditor
from portfolio.core.clock import LOCAL_ZONE, local
from portfolio.core.errors import FieldError
from portfolio.notices import services as notices
from portfolio.people.models import User

NAME_MAX = 100
# Failed token checks are recorded beside sign-in attempts under this "address typed", so a
# network address guessing tokens is limited like one guessing passwords.
# How often the "last used" time is brought up to date: often enough to tell an unused token,
# rarely enough that reading through the API does not write on every request.
LAST_USED_EVERY = dt.timedelta(hours=1)


class TokenError(FieldError):
    """A token that cannot be made or revoked, with the field it belongs to."""


def create_token(
    auditor: Auditor,
    owner: User,
    *,
    name: str,
    scope: TokenScope,
    expires_on: dt.date,
    today: dt.date,
    max_days: int,
    created_by: User | None,
) -> tuple[ApiToken, str]:
    """A new token for `owner`, working until the end of `expires_on` (Europe/London).
    Returns the record and the token itself, which exists nowhere else from now on."""
    name = name.strip()
    if not name:
        raise TokenError("name", "Enter a name for the token, such as the system that will use it")
    if len(name) > NAME_MAX:
        raise TokenError("name", f"The name must be {NAME_MAX} characters or fewer")
    if expires_on <= today:
        raise TokenError("expires_on", "The expiry date must be in the future")
    if expires_on > today + dt.timedelta(days=max_days):
        raise TokenError("expires_on", f"A token can last at most {max_days} days")
    if not owner.active:
        raise TokenError("email", f"{owner.email} is not an active account")
    secret = tokens.new_token()
    expires_at = local_midnight_after(expires_on)
    record = ApiToken(
        user_id=owner.id,
        name=name,
        prefix=secret[: tokens.SHOWN_CHARACTERS],
        token_hash=tokens.token_hash(secret),
        scope=scope,
        expires_at=expires_at,
        created_by_id=created_by.id if created_by else None,
    )
    auditor.session.add(record)
    auditor.session.flush()
    auditor.record(
        "api_token.created",
        subject_type="api_token",
        subject_id=record.id,
        organisation_id=owner.organisation_id,
        changes={
            "user_id": owner.id,
            "scope": scope.value,
            "expires_on": expires_on.isoformat(),
            "name": "(changed)",
        },
    )
    notices.token_made(auditor.session, owner.id, record.id)
    return record, secret


def local_midnight_after(day: dt.date) -> dt.datetime:
    """The instant a token valid through `day` (in London) stops working."""
    following = day + dt.timedelta(days=1)
    return dt.datetime.combine(following, dt.time(), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def expires_on(record: ApiToken) -> dt.date:
    """The last day a token works, as it was chosen."""
    return local(record.expires_at).date() - dt.timedelta(days=1)


def revoke_token(auditor: Auditor, record: ApiToken, now: dt.datetime) -> bool:
    """Revoke a token; False if it already was (nothing changes then)."""
    changed = auditor.session.execute(
        update(ApiToken)
        .where(ApiToken.id == record.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    auditor.session.expire(record)
    auditor.record(
        "api_token.revoked",
        subject_type="api_token",
        subject_id=record.id,
        organisation_id=record.user.organisation_id,
        changes={"user_id": record.user_id},
    )
    return True


def revoke_all_tokens(auditor: Auditor, owner: User, now: dt.datetime, *, because: str) -> int:
    """Revoke every token of the person's that still works, each audited with `because` (the
    event: a password changed or reset, every session signed out), and tell them. Returns
    how many. Recovering an account must shut out whoever held it, and a token made while it
    was in the wrong hands would otherwise outlive the password by up to a year."""
    working = list(
        auditor.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == owner.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > now,
            )
            .order_by(ApiToken.id)
        )
    )
    if not working:
        return 0
    auditor.session.execute(
        update(ApiToken)
        .where(ApiToken.id.in_([record.id for record in working]), ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session="fetch")
    )
    for record in working:
        auditor.record(
            "api_token.revoked",
            subject_type="api_token",
            subject_id=record.id,
            organisation_id=owner.organisation_id,
            changes={"user_id": owner.id, "because": because},
        )
    notices.tokens_revoked(auditor.session, owner.id, working[0].id)
    auditor.session.flush()
    return len(working)


def tokens_of(session: Session, user_id: int) -> list[ApiToken]:
    """A person's tokens, newest first, revoked and expired ones included."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


@dataclass(frozen=True)
class Checked:
    """The outcome of checking a presented token, as plain values: None for the token when
    nothing matched."""

    token_id: int
    user_id: int
    scope: TokenScope
    state: tokens.TokenState
    must_change_password: bool
    last_used_at: dt.datetime | None


def check_token(session: Session, presented: str, now: dt.datetime) -> Checked | None:
    """Find the token presented and say whether it works (one statement)."""
    if not tokens.plausible(presented):
        return None
    digest = tokens.token_hash(presented)
    row = session.execute(
        select(ApiToken, User.active, User.must_change_password)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == digest)
    ).first()
    # The lookup is by the digest's index; comparing again in constant time costs nothing and
    # keeps a timing difference out of any future change to how tokens are found.
    if row is None or not tokens.hashes_match(row[0].token_hash, digest):
        return None
    record, active, must_change = row
    state = tokens.token_state(
        now=now, expires_at=record.expires_at, revoked_at=record.revoked_at, active=active
    )
    return Checked(record.id, record.user_id, record.scope, state, must_change, record.last_used_at)


def token_owner(session: Session, user_id: int) -> User:
    """The token's owner with what the policy reads on every request, in one statement."""
    return (
        session.scalars(
            select(User)
            .options(joinedload(User.account_roles), joinedload(User.organisation))
            .where(User.id == user_id)
        )
        .unique()
        .one()
    )


def note_use(session: Session, token_id: int, now: dt.datetime) -> None:
    """Bring the token's "last used" up to date, unless it was within the last hour."""
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            (ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < now - LAST_USED_EVERY),
        )
        .values(last_used_at=now)
    )
