"""The daily expiry reminders and the weekly summary, through the database and the tasks:
who gets them, and that running twice sends nothing twice."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.notices import services
from portfolio.notices.messages import SummaryCounts
from portfolio.notices.models import EmailStatus, Notice, SignOffReminder
from portfolio.notices.reminders import send_expiry_reminders, send_weekly_summaries
from portfolio.notices.rules import NoticeKind, Threshold, Topic
from portfolio.people.models import Department, Organisation, SupervisorAssignment, User
from portfolio.signoff.models import (
    SignOffDecision,
)
from tests import factories
from tests.support.mail import BASE_URL, Inbox, body, run_task


def sign_off(
    session: Session,
    worker: User,
    expires_on: dt.date,
    code: str = "CANN",
    *,
    observed_on: dt.date | None = None,
    countersignature_required: bool = False,
) -> SignOffDecision:
    """A sign-off typed in from paper that expires on `expires_on`, observed a year before."""
    return factories.decision(
        session,
        worker,
        code,
        observed_on=observed_on or expires_on - dt.timedelta(days=365),
        expires_on=expires_on,
        countersignature_required=countersignature_required,
    )


@dataclass
class Ward:
    org: Organisation
    ward: Department
    supervisor: User
    former_supervisor: User
    worker: User


def _ward(session: Session) -> Ward:
    org = factories.organisation(session)
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    former = factories.person(session, org, AccountRole.SUPERVISOR, name="Helen Shaw")
    worker = factories.person(
        session,
        org,
        department=ward,
        name="Jordan Lee",
        supervisors=[supervisor, former],
    )
    assignment = session.scalars(
        select(SupervisorAssignment).where(SupervisorAssignment.supervisor_id == former.id)
    ).one()
    assignment.ends_on = dt.date(2025, 1, 1)
    session.flush()
    return Ward(org, ward, supervisor, former, worker)


def _notices(session: Session) -> list[tuple[int, NoticeKind, str]]:
    return [
        (notice.recipient_id, notice.kind, notice.dedupe_key)
        for notice in session.scalars(select(Notice).order_by(Notice.id))
    ]


ON = dt.date(2026, 3, 2)


def test_each_threshold_reaches_the_worker_and_their_current_supervisors_once(
    session: Session,
) -> None:
    ward = _ward(session)
    decision = sign_off(session, ward.worker, ON + dt.timedelta(days=60))
    key = f"due_60-{decision.id}"

    assert send_expiry_reminders(session, ON - dt.timedelta(days=1)) == 0
    assert send_expiry_reminders(session, ON) == 1
    assert send_expiry_reminders(session, ON) == 0  # the same day again: nothing
    assert _notices(session) == [
        (ward.worker.id, NoticeKind.DUE_60, key),
        (ward.supervisor.id, NoticeKind.DUE_60, key),
    ]
    assert send_expiry_reminders(session, ON + dt.timedelta(days=29)) == 0
    assert send_expiry_reminders(session, ON + dt.timedelta(days=30)) == 1
    assert send_expiry_reminders(session, ON + dt.timedelta(days=60)) == 0  # expiry day: valid
    assert send_expiry_reminders(session, ON + dt.timedelta(days=61)) == 1
    assert send_expiry_reminders(session, ON + dt.timedelta(days=62)) == 0
    recorded = session.execute(
        select(SignOffReminder.threshold, SignOffReminder.sent_on).where(
            SignOffReminder.decision_id == decision.id
        )
    ).all()
    assert sorted(recorded, key=lambda row: row[1]) == [
        (Threshold.DUE_60, ON),
        (Threshold.DUE_30, ON + dt.timedelta(days=30)),
        (Threshold.EXPIRED, ON + dt.timedelta(days=61)),
    ]
    kinds = [kind for recipient, kind, _ in _notices(session) if recipient == ward.worker.id]
    assert kinds == [NoticeKind.DUE_60, NoticeKind.DUE_30, NoticeKind.EXPIRED]
    assert ward.former_supervisor.id not in {recipient for recipient, _, _ in _notices(session)}


def test_a_missed_day_catches_up_with_the_current_stage_only(session: Session) -> None:
    ward = _ward(session)
    sign_off(session, ward.worker, ON + dt.timedelta(days=20))
    assert send_expiry_reminders(session, ON) == 1
    assert {kind for _, kind, _ in _notices(session)} == {NoticeKind.DUE_30}


def test_no_reminders_for_a_renewed_suspended_or_long_expired_sign_off_or_a_leaver(
    session: Session,
) -> None:
    ward = _ward(session)
    old = sign_off(session, ward.worker, ON + dt.timedelta(days=30))
    renewed = ON - dt.timedelta(days=5)
    sign_off(session, ward.worker, ON + dt.timedelta(days=360), observed_on=renewed)
    suspended = sign_off(session, ward.worker, ON + dt.timedelta(days=30), "A-1")
    factories.suspension(
        session,
        suspended,
        ward.supervisor,
        starts_on=ON - dt.timedelta(days=1),
        reason="Long absence",
    )
    sign_off(session, ward.worker, ON - dt.timedelta(days=90), "BLS")  # long expired
    leaver = factories.person(session, ward.org, department=ward.ward)
    leaver.active = False
    sign_off(session, leaver, ON + dt.timedelta(days=30))
    session.flush()
    assert send_expiry_reminders(session, ON) == 0
    assert _notices(session) == []
    assert old.expires_on == ON + dt.timedelta(days=30)  # due, but no longer the one in use


def test_the_daily_task_emails_the_supervisor_about_the_worker_by_first_name(
    session: Session, app: Flask, mail: Inbox
) -> None:
    ward = _ward(session)
    decision = sign_off(session, ward.worker, today() + dt.timedelta(days=30))
    services.save_email_choices(
        factories.auditor(session, ward.worker), ward.worker, [Topic.EXPIRY], []
    )
    assert run_task(app, "sign_off_reminders") == 1
    assert run_task(app, "sign_off_reminders") == 0
    run_task(app, "send_notice_emails")
    assert mail.to(ward.worker.email) == []  # switched off: the notice only
    [message] = mail.to(ward.supervisor.email)
    assert message["Subject"] == "One of Jordan's sign-offs is due for reassessment within 30 days"
    text = body(message)
    assert f"{BASE_URL}/people/{ward.worker.id}/competencies/CANN" in text
    assert "Lee" not in text
    statuses = dict(
        session.execute(
            select(Notice.recipient_id, Notice.email_status).where(
                Notice.decision_id == decision.id
            )
        ).all()
    )
    assert statuses == {
        ward.worker.id: EmailStatus.NOT_WANTED,
        ward.supervisor.id: EmailStatus.SENT,
    }


def test_educators_get_a_weekly_summary_of_their_reach_once_a_week(
    session: Session, app: Flask, mail: Inbox
) -> None:
    ward = _ward(session)
    other_ward = factories.department(session, ward.org)
    in_reach = factories.person(
        session, ward.org, AccountRole.EDUCATOR, name="Priya Patel", reach=[ward.ward]
    )
    whole = factories.person(
        session, ward.org, AccountRole.EDUCATOR, name="Pat Whole", reach_whole_organisation=True
    )
    outside = factories.person(
        session, ward.org, AccountRole.EDUCATOR, name="Olu Outside", reach=[other_ward]
    )
    quiet = factories.person(
        session,
        ward.org,
        AccountRole.EDUCATOR,
        reach=[factories.department(session, ward.org)],
    )
    elsewhere = factories.person(session, ward.org, department=other_ward)
    on = today()
    factories.sign_off_request(session, ward.worker, ward.supervisor, "A-1", requested_on=on)
    sign_off(session, ward.worker, on + dt.timedelta(days=300), countersignature_required=True)
    sign_off(session, ward.worker, on + dt.timedelta(days=10), "BLS")
    sign_off(session, ward.worker, on - dt.timedelta(days=200), "MH")
    sign_off(session, elsewhere, on - dt.timedelta(days=5), "BLS")
    session.flush()

    assert run_task(app, "weekly_summaries") == 3
    assert run_task(app, "weekly_summaries") == 0
    counts = {
        notice.recipient_id: SummaryCounts.from_dict(json.loads(notice.counts or "{}"))
        for notice in session.scalars(
            select(Notice).where(Notice.kind == NoticeKind.WEEKLY_SUMMARY)
        )
    }
    assert counts == {
        in_reach.id: SummaryCounts(1, 1, 1, 1),
        whole.id: SummaryCounts(1, 1, 1, 2),
        outside.id: SummaryCounts(expired=1),
    }
    assert quiet.id not in counts  # nothing to report within their reach: no summary
    run_task(app, "send_notice_emails")
    [message] = mail.to(in_reach.email)
    text = body(message)
    assert message["Subject"] == "Your weekly sign-off summary"
    for line in SummaryCounts(
        requests_waiting=1, countersignatures_waiting=1, due_in_30_days=1, expired=1
    ).lines():
        assert line in text
    assert f"{BASE_URL}/to-do" in text
    assert "Jordan" not in text
    [whole_message] = mail.to(whole.email)
    assert "2 sign-offs expired" in body(whole_message)


def test_a_summary_is_not_sent_about_the_educator_themselves(session: Session) -> None:
    org = factories.organisation(session)
    ward = factories.department(session, org)
    educator = factories.person(
        session,
        org,
        AccountRole.EDUCATOR,
        AccountRole.SUPPORT_WORKER,
        department=ward,
        reach=[ward],
    )
    sign_off(session, educator, ON - dt.timedelta(days=3))
    assert send_weekly_summaries(session, ON) == 0
