"""A sign-off made on someone else's device (at the point of care) is confirmed to its
assessor by email, with a link to dispute it: the protection against a sign-off forged on a
session left open, or with a password seen over a shoulder. Services flush and never commit.

The link works for the trust's window after the sign-off was recorded
(`PORTFOLIO_SIGN_OFF_DISPUTE_DAYS`), once; only its token's SHA-256 is kept. A dispute
suspends the sign-off at once (from today, the reason saying it was disputed) and announces
it (`events.sign_off_disputed`), which tells the practice educators reaching the worker.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portfolio.accounts.tokens import new_token, plausible, token_hash
from portfolio.audit.services import Auditor
from portfolio.people.models import User
from portfolio.signoff import events, services
from portfolio.signoff.models import Revocation, SignOffDecision, SignOffDispute, Suspension


class DisputeState(enum.Enum):
    OPEN = "open"
    NOT_FOUND = "not_found"
    DISPUTED = "disputed"
    SUPERSEDED = "superseded"
    ENDED = "ended"
    REVOKED = "revoked"


REFUSALS: dict[DisputeState, tuple[str, str]] = {
    DisputeState.NOT_FOUND: (
        "This link is not valid",
        "Check you opened the whole link from the email. If a sign-off in your name was not "
        "yours, tell your practice educator.",
    ),
    DisputeState.DISPUTED: (
        "This sign-off has already been disputed",
        "It is suspended, and the practice educators have been told.",
    ),
    DisputeState.SUPERSEDED: (
        "This link has been replaced by a newer one",
        "Use the link in the newest email about this sign-off.",
    ),
    DisputeState.ENDED: (
        "The time to dispute this sign-off has ended",
        "If it was not yours, tell your practice educator: they can suspend or revoke it.",
    ),
    DisputeState.REVOKED: (
        "This sign-off has already been revoked",
        "It no longer counts: nothing more is needed.",
    ),
}


def state(
    *,
    now: dt.datetime,
    ends_at: dt.datetime,
    disputed_at: dt.datetime | None,
    superseded_at: dt.datetime | None,
    revoked: bool,
) -> DisputeState:
    """Whether the link still opens a dispute, or why not: a dispute made wins, then a
    revoked sign-off, a newer link and the window's end (at its exact instant)."""
    if disputed_at is not None:
        return DisputeState.DISPUTED
    if revoked:
        return DisputeState.REVOKED
    if superseded_at is not None:
        return DisputeState.SUPERSEDED
    if now >= ends_at:
        return DisputeState.ENDED
    return DisputeState.OPEN


def issue(session: Session, decision: SignOffDecision, *, days: int, now: dt.datetime) -> str:
    """A new link for the decision's assessor, open until `days` after the sign-off was
    recorded; an older link stops working. Returns the token, for the email alone."""
    assert decision.assessor_id is not None
    session.execute(
        update(SignOffDispute)
        .where(SignOffDispute.decision_id == decision.id, SignOffDispute.superseded_at.is_(None))
        .values(superseded_at=now)
        .execution_options(synchronize_session="fetch")
    )
    token = new_token()
    session.add(
        SignOffDispute(
            decision_id=decision.id,
            assessor_id=decision.assessor_id,
            token_hash=token_hash(token),
            created_at=now,
            ends_at=decision.recorded_at + dt.timedelta(days=days),
        )
    )
    session.flush()
    return token


def find(session: Session, token: str) -> SignOffDispute | None:
    if not plausible(token):
        return None
    return session.scalar(
        select(SignOffDispute).where(SignOffDispute.token_hash == token_hash(token))
    )


def state_of(session: Session, record: SignOffDispute, now: dt.datetime) -> DisputeState:
    revoked = session.scalar(
        select(Revocation.id).where(Revocation.decision_id == record.decision_id)
    )
    return state(
        now=now,
        ends_at=record.ends_at,
        disputed_at=record.disputed_at,
        superseded_at=record.superseded_at,
        revoked=revoked is not None,
    )


def dispute(
    auditor: Auditor, record: SignOffDispute, *, reason: str, on: dt.date, now: dt.datetime
) -> SignOffDecision:
    """The assessor says the sign-off was not theirs: it is suspended from today (unless it
    already is), the dispute is recorded and audited, and the educators are told."""
    session = auditor.session
    decision = session.get_one(SignOffDecision, record.decision_id)
    assessor = session.get_one(User, record.assessor_id)
    record.disputed_at, record.reason = now, reason.strip() or None
    open_suspension = session.scalar(
        select(Suspension).where(
            Suspension.decision_id == decision.id, Suspension.reinstated_on.is_(None)
        )
    )
    if open_suspension is None:
        said = f": {reason.strip()}" if reason.strip() else ""
        why = f"Disputed by the assessor, {assessor.name}, from the confirmation email{said}"
        # Suspended by someone else a moment ago (a second tap): suspended either way.
        with contextlib.suppress(services.SignOffError):
            services.suspend(
                auditor,
                assessor,
                decision,
                starts_on=on,
                reason=why,
                open_suspension=None,
                revoked=False,
                on=on,
            )
    auditor.record(
        "sign_off.disputed",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=assessor.organisation_id,
        changes={"dispute": record.id, "reason": record.reason},
    )
    session.flush()
    events.sign_off_disputed.send(decision, session=session)
    return decision
