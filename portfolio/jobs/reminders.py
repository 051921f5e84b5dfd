"""Notices' periodic work on the consumer's clock: sending pending emails every minute (with
retries recorded on each notice), sign-off expiry reminders daily, educators' summaries weekly.
Each is safe to run twice (see `portfolio.notices.reminders` and `portfolio.notices.mail`)."""

from __future__ import annotations

from flask import Flask
from huey import Huey, crontab

from portfolio.core.clock import today, utcnow
from portfolio.unit_of_work import transaction


def register(queue: Huey, app: Flask) -> None:
    # Retries cover the unexpected (the database busy); SMTP failures never raise.
    @queue.periodic_task(crontab(minute="*"), name="send_notice_emails", retries=2, retry_delay=20)
    def _send_notice_emails() -> dict[str, int]:
        from portfolio.db import get_session
        from portfolio.notices.mail import send_pending

        with app.app_context():  # the outbox: it commits after each step itself
            return send_pending(get_session(), app, utcnow()).as_dict()

    # Before the day shift (UTC, so 06:45 or 07:45 in London); "today" is London's date.
    @queue.periodic_task(
        crontab(minute="45", hour="6"), name="sign_off_reminders", retries=2, retry_delay=60
    )
    def _sign_off_reminders() -> int:
        from portfolio.notices.reminders import send_expiry_reminders

        with app.app_context(), transaction() as session:
            return send_expiry_reminders(session, today())

    # Monday mornings.
    @queue.periodic_task(
        crontab(minute="0", hour="7", day_of_week="1"),
        name="weekly_summaries",
        retries=2,
        retry_delay=60,
    )
    def _weekly_summaries() -> int:
        from portfolio.notices.reminders import send_weekly_summaries

        with app.app_context(), transaction() as session:
            return send_weekly_summaries(session, today())
