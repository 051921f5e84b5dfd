"""Writing notices, marking them read, and saving email choices. Flush, never commit.

The hooks at the bottom are what sign-off, the procedure log and personal access tokens call,
inside their own transaction: they only insert rows (the email is sent later by a task), so
nothing here can make those pages wait on or fail because of a mail server.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from portfolio.audit.services import Auditor
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import ProcedureLine
from portfolio.notices.messages import SummaryCounts
from portfolio.notices.models import EmailPreference, EmailStatus, Notice
from portfolio.notices.rules import NoticeKind, Topic, emailed, wants_email
from portfolio.people.models import User, UserAccountRole
from portfolio.people.queries import appointment_on
from portfolio.signoff.models import Authentication, SignOffDecision, SignOffRequest
from portfolio.standing.status import Outcome


def email_choices(session: Session, user_ids: Collection[int]) -> dict[int, dict[Topic, bool]]:
    """Each person's choices (topics they never touched are absent: yes)."""
    choices: dict[int, dict[Topic, bool]] = {user_id: {} for user_id in user_ids}
    if user_ids:
        for user_id, topic, wanted in session.execute(
            select(EmailPreference.user_id, EmailPreference.topic, EmailPreference.wanted).where(
                EmailPreference.user_id.in_(user_ids)
            )
        ):
            choices[user_id][topic] = wanted
    return choices


@dataclass(frozen=True)
class About:
    """What a notice is about."""

    worker_id: int | None = None
    competency_code: str | None = None
    request_id: int | None = None
    decision_id: int | None = None
    procedure_line_id: int | None = None
    counts: SummaryCounts | None = None


APP_ONLY = "Shown in the app only"


def _email_status(kind: NoticeKind, choices: dict[Topic, bool]) -> EmailStatus:
    if not emailed(kind):
        return EmailStatus.SKIPPED
    return EmailStatus.PENDING if wants_email(kind, choices) else EmailStatus.NOT_WANTED


def notify(
    session: Session,
    recipient_ids: Sequence[int],
    kind: NoticeKind,
    dedupe_key: str,
    about: About,
) -> list[Notice]:
    """A notice for each recipient who does not already have this one, with its email pending
    unless they switched that email off (or the kind is for the app only). Returns the
    notices added."""
    recipients = list(dict.fromkeys(recipient_ids))
    if not recipients:
        return []
    already = set(
        session.scalars(
            select(Notice.recipient_id).where(
                Notice.recipient_id.in_(recipients), Notice.dedupe_key == dedupe_key
            )
        )
    )
    choices = email_choices(session, recipients)
    added = [
        Notice(
            recipient_id=recipient_id,
            kind=kind,
            dedupe_key=dedupe_key,
            worker_id=about.worker_id,
            competency_code=about.competency_code,
            request_id=about.request_id,
            decision_id=about.decision_id,
            procedure_line_id=about.procedure_line_id,
            counts=json.dumps(about.counts.as_dict()) if about.counts else None,
            email_status=_email_status(kind, choices[recipient_id]),
            email_detail=None if emailed(kind) else APP_ONLY,
            email_attempts=0,
        )
        for recipient_id in recipients
        if recipient_id not in already
    ]
    session.add_all(added)
    session.flush()
    return added


def mark_read(
    session: Session, recipient_id: int, now: dt.datetime, notice_id: int | None = None
) -> int:
    """Mark one of the person's notices read (or all of them). Returns how many changed;
    another person's notice is never touched. Not audited: it changes nothing but the list."""
    query = update(Notice).where(Notice.recipient_id == recipient_id, Notice.read_at.is_(None))
    if notice_id is not None:
        query = query.where(Notice.id == notice_id)
    changed = session.execute(query.values(read_at=now))
    return int(changed.rowcount or 0)  # type: ignore[attr-defined]


def save_email_choices(
    auditor: Auditor, person: User, offered: Collection[Topic], chosen: Collection[Topic]
) -> dict[str, bool]:
    """Record yes or no for every topic offered to the person; returns what changed."""
    session = auditor.session
    rows = {
        row.topic: row
        for row in session.scalars(
            select(EmailPreference).where(EmailPreference.user_id == person.id)
        )
    }
    changed: dict[str, bool] = {}
    for topic in offered:
        wanted = topic in chosen
        row = rows.get(topic)
        if (row.wanted if row is not None else True) == wanted:
            continue
        if row is None:
            session.add(EmailPreference(user_id=person.id, topic=topic, wanted=wanted))
        else:
            row.wanted = wanted
            row.changed_at = utcnow()
        changed[topic.value] = wanted
    session.flush()
    if changed:
        auditor.record(
            "notices.email_choices_changed",
            subject_type="user",
            subject_id=person.id,
            organisation_id=person.organisation_id,
            changes=changed,
        )
    return changed


# Hooks: one call from each place an event happens, in that place's transaction.


def sign_off_requested(session: Session, request: SignOffRequest) -> None:
    """A request waits on an assessor's to-do list: tell the assessor."""
    notify(
        session,
        [request.assessor_id],
        NoticeKind.REQUEST_WAITING,
        f"request-{request.id}",
        About(
            worker_id=request.worker_id,
            competency_code=request.competency_code,
            request_id=request.id,
        ),
    )


def decision_recorded(session: Session, decision: SignOffDecision) -> None:
    """A request answered "not yet competent" goes back to the worker, with the feedback; a
    decision made on the worker's device is confirmed to the assessor (their own email, with
    a link to dispute it: `signoff.disputes`)."""
    shared = decision.authentication is Authentication.POINT_OF_CARE
    if shared and decision.outcome is Outcome.COMPETENT and decision.assessor_id:
        notify(
            session,
            [decision.assessor_id],
            NoticeKind.SIGNED_ON_SHARED_DEVICE,
            f"shared-device-{decision.id}",
            About(
                worker_id=decision.worker_id,
                competency_code=decision.competency_code,
                decision_id=decision.id,
            ),
        )
    if decision.request_id is None or decision.outcome is not Outcome.NOT_YET_COMPETENT:
        return
    notify(
        session,
        [decision.worker_id],
        NoticeKind.REQUEST_RETURNED,
        f"returned-{decision.id}",
        About(
            worker_id=decision.worker_id,
            competency_code=decision.competency_code,
            request_id=decision.request_id,
            decision_id=decision.id,
        ),
    )


def sign_off_disputed(session: Session, decision: SignOffDecision) -> None:
    """Its assessor disputed a sign-off made in their name: tell every practice educator
    whose reach includes the worker's department that day (the whole organisation's too)."""
    appointment = appointment_on(session, decision.worker_id, today())
    department = appointment.department_id if appointment else None
    educators = session.scalars(
        select(User)
        .join(UserAccountRole, UserAccountRole.user_id == User.id)
        .options(selectinload(User.educator_departments))  # one statement, not one each
        .where(
            UserAccountRole.role == AccountRole.EDUCATOR,
            User.active.is_(True),
            User.organisation_id == session.get_one(User, decision.worker_id).organisation_id,
        )
    ).all()
    reaching = [
        educator.id
        for educator in educators
        if educator.reach_whole_organisation
        or department in {item.department_id for item in educator.educator_departments}
    ]
    notify(
        session,
        reaching,
        NoticeKind.SIGN_OFF_DISPUTED,
        f"disputed-{decision.id}",
        About(
            worker_id=decision.worker_id,
            competency_code=decision.competency_code,
            decision_id=decision.id,
        ),
    )


def procedure_logged(session: Session, line: ProcedureLine) -> None:
    """A supervised procedure counts once its witness confirms it: tell the witness."""
    if line.confirmed_at is not None or line.witness_id is None:
        return
    notify(
        session,
        [line.witness_id],
        NoticeKind.PROCEDURE_AWAITING,
        f"procedure-{line.id}",
        About(
            worker_id=line.worker_id,
            competency_code=line.competency_code,
            procedure_line_id=line.id,
        ),
    )


def token_made(session: Session, owner_id: int, token_id: int) -> None:
    """A personal access token was made for someone (on their account page or from the
    command line): tell them, so a token they did not make does not go unnoticed."""
    notify(session, [owner_id], NoticeKind.TOKEN_MADE, f"token-{token_id}", About())


def tokens_revoked(session: Session, owner_id: int, first_token_id: int) -> None:
    """Someone's tokens were revoked with their password or sessions: tell them why their
    systems stopped working. Keyed by the first token revoked, which is revoked only once."""
    notify(
        session, [owner_id], NoticeKind.TOKENS_REVOKED, f"tokens-revoked-{first_token_id}", About()
    )
