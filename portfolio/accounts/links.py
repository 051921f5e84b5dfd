"""Emailed links to set a password: issuing, finding, using and superseding them, and
counting "Forgotten your password?" requests. Services flush and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portfolio.accounts import events
from portfolio.accounts.models import LinkPurpose, PasswordLink
from portfolio.accounts.tokens import (
    LinkState,
    hashes_match,
    link_state,
    new_token,
    plausible,
    token_hash,
)
from portfolio.audit.services import Auditor
from portfolio.core.passwords import hash_password
from portfolio.people.models import User
from portfolio.ratelimit.limiter import RESET_ADDRESS, RESET_EMAIL, Limiter


@dataclass(frozen=True)
class LinkValidity:
    invitation: dt.timedelta
    reset: dt.timedelta

    def of(self, purpose: LinkPurpose) -> dt.timedelta:
        return self.invitation if purpose is LinkPurpose.INVITATION else self.reset


class LinkUnusableError(Exception):
    def __init__(self, state: LinkState) -> None:
        super().__init__(state.value)
        self.state = state


def supersede_open_links(session: Session, user_id: int, now: dt.datetime) -> int:
    """Every unused link of the person stops working. Returns how many did."""
    result = session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.user_id == user_id,
            PasswordLink.used_at.is_(None),
            PasswordLink.superseded_at.is_(None),
            PasswordLink.expires_at > now,
        )
        .values(superseded_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def withdraw_links(auditor: Auditor, user: User, now: dt.datetime) -> None:
    """An administrator sends a new invitation: the old link stops working now, not when the
    new one is issued by the job consumer."""
    if supersede_open_links(auditor.session, user.id, now):
        auditor.record(
            "password_links.superseded",
            subject_type="user",
            subject_id=user.id,
            organisation_id=user.organisation_id,
        )


def issue_link(
    auditor: Auditor,
    user: User,
    purpose: LinkPurpose,
    *,
    now: dt.datetime,
    valid_for: dt.timedelta,
    requested_by_id: int | None,
) -> tuple[PasswordLink, str]:
    """A new link, superseding the person's earlier ones. Returns the row and the token,
    which goes into the email and nowhere else."""
    supersede_open_links(auditor.session, user.id, now)
    token = new_token()
    link = PasswordLink(
        user_id=user.id,
        purpose=purpose,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + valid_for,
        requested_by_id=requested_by_id,
    )
    auditor.session.add(link)
    auditor.session.flush()
    auditor.record(
        "password_link.issued",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
        changes={"purpose": purpose.value, "expires_at": link.expires_at.isoformat()},
    )
    return link, token


def find_link(session: Session, token: str) -> PasswordLink | None:
    if not plausible(token):
        return None
    digest = token_hash(token)
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == digest))
    if link is None or not hashes_match(link.token_hash, digest):
        return None
    return link


def state_of(link: PasswordLink, now: dt.datetime) -> LinkState:
    return link_state(
        now=now,
        expires_at=link.expires_at,
        used_at=link.used_at,
        superseded_at=link.superseded_at,
        account_active=link.user.active,
    )


def set_password_from_link(
    auditor: Auditor, link: PasswordLink, new_password: str, now: dt.datetime
) -> User:
    """The person chose a password through the link: it is used up, every other session
    and every personal access token ends, and a pending forced change is no longer needed."""
    state = state_of(link, now)
    if state is not LinkState.USABLE:
        raise LinkUnusableError(state)
    # Claimed by a conditional update, so two submissions of one link cannot both succeed.
    claimed = auditor.session.execute(
        update(PasswordLink)
        .where(
            PasswordLink.id == link.id,
            PasswordLink.used_at.is_(None),
            PasswordLink.superseded_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise LinkUnusableError(LinkState.USED)
    user = link.user
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.session_version += 1
    supersede_open_links(auditor.session, user.id, now)
    events.credentials_reset.send(user, auditor=auditor, now=now, because="password.set_from_link")
    auditor.record(
        "password.set_from_link",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
        changes={"purpose": link.purpose.value},
    )
    auditor.session.flush()
    return user


def latest_link(session: Session, user_id: int) -> PasswordLink | None:
    return session.scalar(
        select(PasswordLink)
        .where(PasswordLink.user_id == user_id)
        .order_by(PasswordLink.created_at.desc(), PasswordLink.id.desc())
        .limit(1)
    )


def accept_reset_request(limiter: Limiter, *, email: str, address: str) -> bool:
    """Count a "Forgotten your password?" request unless the address typed or the network
    address has asked too often. The same work whether or not anyone has the address: the
    account is looked up later, by the job that sends the email."""
    if not (limiter.allows(RESET_EMAIL, email) and limiter.allows(RESET_ADDRESS, address)):
        return False
    # Counted only when both allow it (a hit refuses too, should a parallel request have
    # just taken the last place).
    return limiter.hit(RESET_EMAIL, email) and limiter.hit(RESET_ADDRESS, address)
