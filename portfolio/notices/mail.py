"""Sending the notices' emails over SMTP, from a task and never from a page.

Each email is claimed before it is sent (so two consumers never send the same one), sent with
no database transaction open, and its outcome recorded on the notice: sent; pending again
with the next attempt's time after a failure (`rules.next_attempt`); failed when refused for
good or after the last retry; skipped when email is not set up, the thing is no longer
waiting, or the account was closed. A claim left behind by a consumer that died is released
after `STALE_CLAIM`, so an email is sent at least once and, barring such a crash, exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, aliased

from portfolio.accounts.tokens import describe_duration
from portfolio.core.clock import local, long_date
from portfolio.core.settings import Settings, get_settings
from portfolio.evidence.models import ProcedureLine
from portfolio.frameworks import queries as frameworks
from portfolio.notices.links import absolute, target
from portfolio.notices.messages import EmailFacts, SummaryCounts, compose, first_name
from portfolio.notices.models import EmailStatus, Notice
from portfolio.notices.rules import NoticeKind, next_attempt
from portfolio.people.models import User
from portfolio.signoff import disputes, links
from portfolio.signoff.models import RequestState, SignOffDecision, SignOffRequest

log = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=15)
BATCH = 100
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    username: str
    password: str = field(repr=False)
    starttls: bool
    sender: str
    base_url: str

    @classmethod
    def of(cls, settings: Settings) -> MailSettings:
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            sender=settings.mail_from,
            base_url=settings.base_url,
        )

    def problem(self) -> str | None:
        """Why emails cannot be sent, or None."""
        if not self.host:
            return (
                "PORTFOLIO_SMTP_HOST is not set: emails are not sent (notices still appear in "
                "the app)"
            )
        if not self.sender:
            return (
                "PORTFOLIO_MAIL_FROM is not set: emails are not sent (notices still appear in "
                "the app)"
            )
        if not self.base_url:
            return (
                "PORTFOLIO_BASE_URL is not set, so emails could not link to the portfolio: "
                "emails are not sent (notices still appear in the app)"
            )
        return None


_reported: set[str] = set()


def report_once(problem: str) -> None:
    if problem not in _reported:
        _reported.add(problem)
        log.warning(problem)


class Connection:
    """One SMTP connection for a batch, opened when the first email is sent."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        self.smtp.send_message(message)

    def _open(self) -> smtplib.SMTP:
        settings = self.settings
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if settings.username:
                smtp.login(settings.username, settings.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is None:
            return
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()
        self.smtp = None

    def drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None


def build_message(
    settings: MailSettings, to: str, subject: str, body: str, now: dt.datetime
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain or None)
    # RFC 3834: no out-of-office replies to an automatic message.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def describe(error: BaseException) -> str:
    """What went wrong, for the notice row: the server's reply or the error's class."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:300]


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)


def is_permanent(error: BaseException) -> bool:
    """Every recipient refused with a 5xx reply: retrying will not help."""
    return isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values()
    )


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "retrying": self.retrying,
            "failed": self.failed,
            "skipped": self.skipped,
        }


@dataclass(frozen=True)
class _Outgoing:
    to: str
    subject: str
    body: str


def send_pending(
    session: Session, app: Flask, now: dt.datetime, *, limit: int = BATCH
) -> SendReport:
    """Send the emails that are due. Commits after each step; never raises for SMTP."""
    report = SendReport()
    session.execute(
        update(Notice)
        .where(
            Notice.email_status == EmailStatus.SENDING, Notice.email_claimed_at < now - STALE_CLAIM
        )
        .values(email_status=EmailStatus.PENDING)
    )
    settings = MailSettings.of(get_settings(app))
    problem = settings.problem()
    if problem is not None:
        skipped = session.execute(
            update(Notice)
            .where(Notice.email_status == EmailStatus.PENDING)
            .values(email_status=EmailStatus.SKIPPED, email_detail=problem[:300])
        )
        session.commit()
        report_once(problem)
        report.skipped = int(skipped.rowcount or 0)  # type: ignore[attr-defined]
        return report
    due = session.scalars(
        select(Notice.id)
        .where(
            Notice.email_status == EmailStatus.PENDING,
            or_(Notice.email_next_attempt_at.is_(None), Notice.email_next_attempt_at <= now),
        )
        .order_by(Notice.id)
        .limit(limit)
    ).all()
    session.commit()
    connection = Connection(settings)
    try:
        for notice_id in due:
            outgoing = _claim(session, app, settings, notice_id, now, report)
            session.commit()  # no transaction stays open while the mail server answers
            if outgoing is None:
                continue
            message = build_message(settings, outgoing.to, outgoing.subject, outgoing.body, now)
            try:
                connection.send(message)
            except (
                smtplib.SMTPRecipientsRefused,
                smtplib.SMTPSenderRefused,
                smtplib.SMTPDataError,
            ) as error:
                _failed(session, notice_id, error, now, report)
            except (smtplib.SMTPException, OSError) as error:
                # The server is unreachable or refused the connection: try the rest later.
                _failed(session, notice_id, error, now, report)
                connection.drop()
                break
            else:
                _finish(
                    session,
                    notice_id,
                    email_status=EmailStatus.SENT,
                    email_sent_at=now,
                    email_detail=None,
                )
                report.sent += 1
    finally:
        connection.close()
    return report


def _claim(
    session: Session,
    app: Flask,
    settings: MailSettings,
    notice_id: int,
    now: dt.datetime,
    report: SendReport,
) -> _Outgoing | None:
    claimed = session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.email_status == EmailStatus.PENDING)
        .values(email_status=EmailStatus.SENDING, email_claimed_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None  # another consumer has it
    recipient, worker = aliased(User), aliased(User)
    row = session.execute(
        select(
            Notice,
            recipient.email,
            recipient.name,
            recipient.active,
            worker.name,
            SignOffRequest.state,
            ProcedureLine.confirmed_at,
        )
        .join(recipient, recipient.id == Notice.recipient_id)
        .outerjoin(worker, worker.id == Notice.worker_id)
        .outerjoin(SignOffRequest, SignOffRequest.id == Notice.request_id)
        .outerjoin(ProcedureLine, ProcedureLine.id == Notice.procedure_line_id)
        .where(Notice.id == notice_id)
    ).one()
    notice, email, name, active, worker_name, request_state, confirmed_at = row
    reason = None
    if not active:
        reason = "The account was closed before the email was sent"
    elif notice.kind is NoticeKind.REQUEST_WAITING and request_state is not RequestState.WAITING:
        reason = "The request was decided or withdrawn before the email was sent"
    elif notice.kind is NoticeKind.PROCEDURE_AWAITING and confirmed_at is not None:
        reason = "The procedure was confirmed before the email was sent"
    if reason is not None:
        _set(session, notice_id, email_status=EmailStatus.SKIPPED, email_detail=reason)
        report.skipped += 1
        return None
    endpoint, values = target(
        notice.kind,
        worker_id=notice.worker_id,
        competency_code=notice.competency_code,
        request_id=notice.request_id,
    )
    valid_for = what = when = None
    if notice.kind is NoticeKind.SIGNED_ON_SHARED_DEVICE and notice.decision_id is not None:
        # The dispute link, for the assessor's own email (`signoff.disputes`).
        days = get_settings(app).sign_off_dispute_days
        decision = session.get_one(SignOffDecision, notice.decision_id)
        endpoint = "remote.dispute"
        values = {"token": disputes.issue(session, decision, days=days, now=now)}
        valid_for = describe_duration(dt.timedelta(days=days))
        what = _title(session, decision.competency_code)
        when = f"{local(decision.recorded_at):%H:%M} on {long_date(decision.recorded_on)}"
    if notice.kind is NoticeKind.REQUEST_WAITING and notice.request_id is not None:
        # The request's own link, opened on the assessor's device: a new one for each email.
        hours = dt.timedelta(hours=get_settings(app).sign_off_link_hours)
        request = session.get_one(SignOffRequest, notice.request_id)
        endpoint = "remote.open_link"
        values = {"token": links.issue(session, request, now=now, valid_for=hours)}
        valid_for = describe_duration(hours)
    subject, body = compose(
        EmailFacts(
            kind=notice.kind,
            recipient=first_name(name),
            worker=first_name(worker_name or ""),
            about_self=notice.worker_id == notice.recipient_id,
            link=absolute(app, settings.base_url, endpoint, values),
            preferences_link=absolute(app, settings.base_url, "notices.preferences", {}),
            counts=SummaryCounts.from_dict(json.loads(notice.counts)) if notice.counts else None,
            link_valid_for=valid_for,
            what=what,
            when=when,
        )
    )
    return _Outgoing(email, subject, body)


def _title(session: Session, code: str) -> str:
    found = frameworks.current_competencies(session).get(code)
    return f"{code}: {found.title}" if found else code


def _failed(
    session: Session, notice_id: int, error: BaseException, now: dt.datetime, report: SendReport
) -> None:
    attempts = (
        session.scalar(select(Notice.email_attempts).where(Notice.id == notice_id)) or 0
    ) + 1
    retry_at = None if is_permanent(error) else next_attempt(attempts, now)
    log.warning(
        "email for notice %s not sent (attempt %s): %s", notice_id, attempts, describe(error)
    )
    _finish(
        session,
        notice_id,
        email_status=EmailStatus.PENDING if retry_at else EmailStatus.FAILED,
        email_attempts=attempts,
        email_next_attempt_at=retry_at,
        email_detail=describe(error),
    )
    if retry_at:
        report.retrying += 1
    else:
        report.failed += 1


def _set(session: Session, notice_id: int, **values: Any) -> None:
    session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.email_status == EmailStatus.SENDING)
        .values(**values)
    )


def _finish(session: Session, notice_id: int, **values: Any) -> None:
    _set(session, notice_id, **values)
    session.commit()
