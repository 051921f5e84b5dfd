"""Notices (in the app, each with the state of its email), email preferences, and the record
of expiry reminders sent.

A notice is written in the same transaction as the event it announces; its email is sent
later by a task (`portfolio.notices.mail`), so a page never waits on, or fails because of,
a mail server.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    exists,
    not_,
    or_,
)
from sqlalchemy.orm import Mapped, mapped_column

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.evidence.models import ProcedureLine
from portfolio.notices.rules import NoticeKind, Threshold, Topic
from portfolio.signoff.models import RequestState, SignOffRequest


class EmailStatus(enum.StrEnum):
    NOT_WANTED = "not_wanted"  # the recipient switched this email off
    PENDING = "pending"  # waiting for the sending task (again, after a failure)
    SENDING = "sending"  # claimed by a sending task
    SENT = "sent"
    FAILED = "failed"  # refused for good, or still failing after every retry
    # Email not set up, no longer needed, the account was closed, or a notice for the app only.
    SKIPPED = "skipped"


class Notice(Base):
    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("recipient_id", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(enum_column(NoticeKind, "notice_kind"))
    # One notice per event and recipient, whatever runs twice: "request-12", "due_30-7",
    # "summary-2026-W48".
    dedupe_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None]

    # What it is about (names and titles are read when shown, never copied here).
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    competency_code: Mapped[str | None] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("sign_off_requests.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("sign_off_decisions.id"))
    procedure_line_id: Mapped[int | None] = mapped_column(ForeignKey("procedure_lines.id"))
    # The weekly summary's counts, as JSON.
    counts: Mapped[str | None] = mapped_column(Text)

    email_status: Mapped[EmailStatus] = mapped_column(
        enum_column(EmailStatus, "notice_email_status"), index=True
    )
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_attempt_at: Mapped[dt.datetime | None]
    email_claimed_at: Mapped[dt.datetime | None]
    email_sent_at: Mapped[dt.datetime | None]
    # The last failure (the SMTP reply or error class, never a password) or why it was skipped.
    email_detail: Mapped[str | None] = mapped_column(String(300))


def dealt_with() -> ColumnElement[bool]:
    """A notice whose subject needs nothing more: the request it announced was decided or
    withdrawn, the procedure it asked to confirm was confirmed. Shown as "Dealt with" and left
    out of the unread count, read or not."""
    return or_(
        and_(
            Notice.kind == NoticeKind.REQUEST_WAITING,
            exists().where(
                SignOffRequest.id == Notice.request_id,
                SignOffRequest.state != RequestState.WAITING,
            ),
        ),
        and_(
            Notice.kind == NoticeKind.PROCEDURE_AWAITING,
            exists().where(
                ProcedureLine.id == Notice.procedure_line_id,
                ProcedureLine.confirmed_at.is_not(None),
            ),
        ),
    )


def unread() -> ColumnElement[bool]:
    """What the unread count counts: not read, and not already dealt with."""
    return and_(Notice.read_at.is_(None), not_(dealt_with()))


class EmailPreference(Base):
    """A person's choice for one topic; no row means yes."""

    __tablename__ = "email_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    topic: Mapped[Topic] = mapped_column(enum_column(Topic, "email_topic"), primary_key=True)
    wanted: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SignOffReminder(Base):
    """An expiry reminder sent for one sign-off at one threshold: at most one ever."""

    __tablename__ = "sign_off_reminders"

    decision_id: Mapped[int] = mapped_column(ForeignKey("sign_off_decisions.id"), primary_key=True)
    threshold: Mapped[Threshold] = mapped_column(
        enum_column(Threshold, "reminder_threshold"), primary_key=True
    )
    sent_on: Mapped[dt.date] = mapped_column(Date)
