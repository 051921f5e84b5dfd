"""Routine upkeep that runs on the consumer's clock."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from flask import Flask
from huey import Huey, crontab
from sqlalchemy import delete
from sqlalchemy.orm import Session

from portfolio.accounts.models import PasswordLink, SignInAttempt
from portfolio.core.clock import today, utcnow
from portfolio.core.settings import get_settings
from portfolio.evidence.drafts import prune_drafts
from portfolio.ratelimit.storage import prune_expired
from portfolio.unit_of_work import transaction

log = logging.getLogger(__name__)


def prune_sign_in_attempts(session: Session, now: dt.datetime, *, days: int) -> int:
    """Delete sign-in attempts older than `days` (RETENTION_SIGN_IN_ATTEMPT_DAYS): long
    enough to investigate password guessing, not a record of everyone's sign-ins for ever."""
    result = session.execute(
        delete(SignInAttempt).where(SignInAttempt.attempted_at < now - dt.timedelta(days=days))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def prune_password_links(session: Session, now: dt.datetime, *, days: int) -> int:
    """Expired links older than sign-in attempts are kept (RETENTION_SIGN_IN_ATTEMPT_DAYS;
    a link's use stays in the audit trail)."""
    cutoff = now - dt.timedelta(days=days)
    links = session.execute(delete(PasswordLink).where(PasswordLink.expires_at < cutoff))
    return int(links.rowcount or 0)  # type: ignore[attr-defined]


def register(queue: Huey, app: Flask) -> None:
    @queue.periodic_task(crontab(minute="17", hour="3"), name="prune_sign_in_attempts")
    def _prune_sign_in_attempts() -> int:
        with app.app_context(), transaction() as session:
            days = get_settings(app).retention_sign_in_attempt_days
            removed = prune_sign_in_attempts(session, utcnow(), days=days)
            # The rate limiter's hits that have left their window (on the database only:
            # Redis lets its keys expire).
            removed += prune_expired(session, utcnow())
            return removed

    @queue.periodic_task(crontab(minute="37", hour="3"), name="prune_account_links_and_uploads")
    def _prune_account_links_and_uploads() -> int:
        """Old links; staff uploads a day old and never confirmed."""
        from portfolio.onboarding.services import prune_uploads

        with app.app_context(), transaction() as session:
            now = utcnow()
            return prune_password_links(
                session, now, days=get_settings(app).retention_sign_in_attempt_days
            ) + prune_uploads(session, now)

    @queue.periodic_task(crontab(minute="27", hour="3"), name="prune_evidence_drafts")
    def _prune_evidence_drafts() -> int:
        """Drafts saved automatically and left untouched for EVIDENCE_DRAFT_DAYS."""
        with app.app_context(), transaction() as session:
            return prune_drafts(session, utcnow(), days=get_settings(app).evidence_draft_days)

    # Monday mornings, for the week's records review: the list a person decides on, kept as
    # a CSV file in the instance folder (it names people: readable by its owner only).
    # Nothing is deleted.
    @queue.periodic_task(
        crontab(minute="30", hour="6", day_of_week="1"), name="retention_list", retries=1
    )
    def _retention_list() -> int:
        from portfolio.retention import services
        from portfolio.retention.rules import RetentionPeriods

        with app.app_context(), transaction() as session:
            on = today()
            items = services.retention_list(
                session, on, RetentionPeriods.from_settings(get_settings(app))
            )
            folder = retention_folder(app)
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = folder / f"retention-list-{on.isoformat()}.csv"
            services.write_private(path, services.as_csv(items))
            log.info("retention list: %d past retention on %s, written to %s", len(items), on, path)
            return len(items)


def retention_folder(app: Flask) -> Path:
    return Path(app.instance_path) / "retention"
