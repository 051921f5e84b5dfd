"""The link emailed with a sign-off request, which opens it on the assessor's own phone or
computer: issuing it, finding it by its token, the state it is in, and using it up. Services
flush and never commit.

A link is bound to one request and its assessor. It works until it expires (a setting of the
trust), while the request waits, while it is the request's newest (the email sent again
supersedes it) and while the assessor's account is open; the assessor's decision uses it up.
Only the token's SHA-256 is kept (`accounts.tokens`): a copy of the database opens nothing.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portfolio.accounts.tokens import new_token, plausible, token_hash
from portfolio.audit.services import Auditor
from portfolio.signoff.models import RequestState, SignOffLink, SignOffRequest


class LinkState(enum.Enum):
    USABLE = "usable"
    NOT_FOUND = "not_found"
    USED = "used"  # its assessor decided the request
    DECIDED = "decided"  # someone else decided it (at the point of care)
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    CLOSED = "closed"  # the assessor's account was closed
    FORWARDED = "forwarded"  # opened by someone signed in as another person


# What the page says for each state but usable: a heading and what to do instead.
REFUSALS: dict[LinkState, tuple[str, str]] = {
    LinkState.NOT_FOUND: (
        "This link is not valid",
        "Check you opened the whole link from the email. Requests waiting for you are also on "
        "your to-do list once you sign in.",
    ),
    LinkState.USED: (
        "This link has already been used",
        "You have decided this request. Each link works once: the decision is on the worker's "
        "record.",
    ),
    LinkState.DECIDED: (
        "This request has already been decided",
        "Another assessor decided it, at the point of care. Nothing is waiting for you.",
    ),
    LinkState.WITHDRAWN: (
        "This request was withdrawn",
        "The worker withdrew their request for sign-off. Nothing is waiting for you.",
    ),
    LinkState.SUPERSEDED: (
        "This link has been replaced by a newer one",
        "Use the link in the newest email about this request, or sign in and open it from your "
        "to-do list.",
    ),
    LinkState.EXPIRED: (
        "This link has expired",
        "Sign in and open the request from your to-do list: it is still waiting for you.",
    ),
    LinkState.CLOSED: ("This link can no longer be used", "The account it was sent to is closed."),
    LinkState.FORWARDED: (
        "This link was sent to another assessor",
        "A link to sign off works only for the assessor it was sent to. You are signed in as "
        "someone else: the request is not yours to decide.",
    ),
}


def state(
    *,
    now: dt.datetime,
    expires_at: dt.datetime,
    used_at: dt.datetime | None,
    superseded_at: dt.datetime | None,
    request_state: RequestState,
    assessor_active: bool,
) -> LinkState:
    """Why a link no longer works, or USABLE. What happened to the request wins (the most
    useful thing to know), then a newer link, a closed account and the expiry; a link
    expires at its exact instant."""
    if request_state is RequestState.DECIDED:
        return LinkState.USED if used_at is not None else LinkState.DECIDED
    if request_state is RequestState.WITHDRAWN:
        return LinkState.WITHDRAWN
    if superseded_at is not None:
        return LinkState.SUPERSEDED
    if not assessor_active:
        return LinkState.CLOSED
    if now >= expires_at:
        return LinkState.EXPIRED
    return LinkState.USABLE


def issue(
    session: Session, request: SignOffRequest, *, now: dt.datetime, valid_for: dt.timedelta
) -> str:
    """A new link for the request's assessor; every older one of the request stops working.
    Returns the token, for the email alone."""
    session.execute(
        update(SignOffLink)
        .where(SignOffLink.request_id == request.id, SignOffLink.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session="fetch")
    )
    token = new_token()
    session.add(
        SignOffLink(
            request_id=request.id,
            assessor_id=request.assessor_id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=now + valid_for,
        )
    )
    session.flush()
    return token


def find(session: Session, token: str) -> SignOffLink | None:
    if not plausible(token):
        return None
    return session.scalar(select(SignOffLink).where(SignOffLink.token_hash == token_hash(token)))


def state_of(
    link: SignOffLink, request: SignOffRequest, *, assessor_active: bool, now: dt.datetime
) -> LinkState:
    return state(
        now=now,
        expires_at=link.expires_at,
        used_at=link.used_at,
        superseded_at=link.superseded_at,
        request_state=request.state,
        assessor_active=assessor_active,
    )


def opened(
    auditor: Auditor,
    link: SignOffLink,
    request: SignOffRequest,
    *,
    organisation_id: int,
    now: dt.datetime,
) -> None:
    """The assessor's password was right on the link's page: recorded, the first time only
    on the link itself and every time on the audit trail."""
    if link.opened_at is None:
        link.opened_at = now
    auditor.record(
        "sign_off.link_opened",
        subject_type="sign_off_request",
        subject_id=request.id,
        organisation_id=organisation_id,
        changes={"link": link.id, "assessor": link.assessor_id, "opened_on_own_device": True},
    )


def use_up(session: Session, request_id: int, *, assessor_id: int, now: dt.datetime) -> None:
    """The assessor decided the request: their links to it are used."""
    session.execute(
        update(SignOffLink)
        .where(
            SignOffLink.request_id == request_id,
            SignOffLink.assessor_id == assessor_id,
            SignOffLink.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session="fetch")
    )
