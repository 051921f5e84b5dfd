"""Routine upkeep that runs on the consumer's clock."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from huey import Huey, crontab
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portfolio.accounts.models import PasswordLink, PasswordResetRequest, SignInAttempt
from portfolio.clock import utcnow
from portfolio.evidence.drafts import prune_drafts

# Long enough to investigate an incident of password guessing; short enough not to keep a
# record of every member of staff's sign-ins for ever.
SIGN_IN_ATTEMPTS_KEPT_FOR = dt.timedelta(days=90)


def prune_sign_in_attempts(session: Session, now: dt.datetime) -> int:
    result = session.execute(
        delete(SignInAttempt).where(SignInAttempt.attempted_at < now - SIGN_IN_ATTEMPTS_KEPT_FOR)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def prune_password_requests_and_links(session: Session, now: dt.datetime) -> int:
    """Reset requests and expired links older than sign-in attempts are kept (a link's use
    stays in the audit trail)."""
    cutoff = now - SIGN_IN_ATTEMPTS_KEPT_FOR
    requests = session.execute(
        delete(PasswordResetRequest).where(PasswordResetRequest.requested_at < cutoff)
    )
    links = session.execute(delete(PasswordLink).where(PasswordLink.expires_at < cutoff))
    return int(requests.rowcount or 0) + int(links.rowcount or 0)  # type: ignore[attr-defined]


def register(queue: Huey, app: Flask) -> None:
    @queue.periodic_task(crontab(minute="17", hour="3"), name="prune_sign_in_attempts")
    def _prune_sign_in_attempts() -> int:
        from portfolio.db import get_session

        with app.app_context():
            session = get_session()
            removed = prune_sign_in_attempts(session, utcnow())
            session.commit()
            return removed

    @queue.periodic_task(crontab(minute="37", hour="3"), name="prune_account_links_and_uploads")
    def _prune_account_links_and_uploads() -> int:
        """Old reset requests and links; staff uploads a day old and never confirmed."""
        from portfolio.db import get_session
        from portfolio.onboarding.services import prune_uploads

        with app.app_context():
            session = get_session()
            now = utcnow()
            removed = prune_password_requests_and_links(session, now) + prune_uploads(session, now)
            session.commit()
            return removed

    @queue.periodic_task(crontab(minute="27", hour="3"), name="prune_evidence_drafts")
    def _prune_evidence_drafts() -> int:
        """Drafts saved automatically and left untouched for EVIDENCE_DRAFT_DAYS."""
        from portfolio.db import get_session

        with app.app_context():
            session = get_session()
            removed = prune_drafts(session, utcnow(), days=app.config["EVIDENCE_DRAFT_DAYS"])
            session.commit()
            return removed
