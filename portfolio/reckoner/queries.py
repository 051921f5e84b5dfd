"""Reading what the reckoner judges, for one person or a whole department, as plain values.

Each function issues a fixed number of SQL statements however many workers, competencies and
records there are: the department's workers on the date (one query), then the standing
engine's answers (`reckoner.standings`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portfolio.careers.queries import worker_scopes
from portfolio.core.roles import AccountRole, JobRole, job_role_title
from portfolio.people.models import Appointment, User, UserAccountRole
from portfolio.people.queries import appointment_on
from portfolio.reckoner.standings import DEFAULT_OPTIONS, Options, standings
from portfolio.standing.answer import Standing


@dataclass(frozen=True)
class ShiftRow:
    person_id: int
    name: str
    job_role: str  # "Senior clinical support worker", "Trainee assistant practitioner"
    answer: Standing


def shift_view(
    session: Session,
    department_id: int,
    code: str,
    on: dt.date,
    *,
    options: Options = DEFAULT_OPTIONS,
) -> list[ShiftRow]:
    """Every active support worker whose job role on the date is in the department, with
    the answer for the competency: those who may first, then by name.

    The caller checks the department belongs to the organisation asking, and that the code
    is a current competency."""
    workers = _workers_in_department(session, department_id, on)
    ids = [worker[0] for worker in workers]
    answers = standings(session, ids, [code], on, options=options)
    rows = [
        ShiftRow(person_id, name, job_role_title(job_role, trainee), answers[person_id, code])
        for person_id, name, job_role, trainee in workers
    ]
    return sorted(rows, key=lambda row: (not row.answer.may, row.name.lower(), row.person_id))


@dataclass(frozen=True)
class ScopeRow:
    code: str
    title: str
    requirement: str  # "Core", "Core in this post", "In their plan", "Optional"
    answer: Standing


@dataclass(frozen=True)
class ScopeAnswers:
    """Everything in a person's scope of practice on a date, each with its answer, and the
    answer for one chosen task (which may lie outside their scope)."""

    person_id: int
    on: dt.date
    job_role: JobRole | None
    job_title: str | None  # "Trainee assistant practitioner"
    post: str | None
    rows: list[ScopeRow]
    task: Standing | None

    @property
    def may(self) -> list[ScopeRow]:
        return [row for row in self.rows if row.answer.may]

    @property
    def may_not(self) -> list[ScopeRow]:
        return [row for row in self.rows if not row.answer.may]


def scope_answers(
    session: Session,
    person_id: int,
    on: dt.date,
    *,
    task: str | None = None,
    options: Options = DEFAULT_OPTIONS,
) -> ScopeAnswers:
    """A person's current scope on a date (the printable list) and, if asked, one task (a
    current competency: the caller checks)."""
    scopes = worker_scopes(session, [person_id], on)
    scope = scopes.get(person_id)
    codes = [row.code for row in scope.rows] if scope else []
    if task is not None:
        codes.append(task)
    answers = standings(session, [person_id], codes, on, options=options, scopes=scopes)
    return ScopeAnswers(
        person_id=person_id,
        on=on,
        job_role=scope.job_role if scope else None,
        job_title=scope.title if scope else None,
        post=scope.post if scope else None,
        rows=[
            ScopeRow(row.code, row.title, row.requirement.label, answers[person_id, row.code])
            for row in (scope.rows if scope else [])
        ],
        task=answers[person_id, task] if task is not None else None,
    )


def _workers_in_department(
    session: Session, department_id: int, on: dt.date
) -> list[tuple[int, str, JobRole, bool]]:
    """Active support workers whose appointment in effect on the date is in the department:
    the latest row of each one's job role history on or before the date (as
    `people.queries.appointment_on`), among people ever appointed there. One query."""
    ever_here = select(Appointment.user_id).where(Appointment.department_id == department_id)
    latest = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.effective_from <= on, Appointment.user_id.in_(ever_here))
        .group_by(Appointment.user_id)
        .subquery()
    )
    support_worker = exists().where(
        UserAccountRole.user_id == User.id, UserAccountRole.role == AccountRole.SUPPORT_WORKER
    )
    rows = session.execute(
        select(User.id, User.name, Appointment.job_role, Appointment.trainee)
        .join(Appointment, Appointment.user_id == User.id)
        .join(
            latest,
            (latest.c.user_id == Appointment.user_id)
            & (latest.c.effective_from == Appointment.effective_from),
        )
        .where(Appointment.department_id == department_id, User.active.is_(True), support_worker)
        .order_by(func.lower(User.name), User.id)
    ).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def own_department(session: Session, person_id: int, on: dt.date) -> int | None:
    """The department of someone's job role on the date (one statement), or None when they
    hold none: the shift view starts there."""
    appointment = appointment_on(session, person_id, on)
    return appointment.department_id if appointment else None
