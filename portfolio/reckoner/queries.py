"""Reading what the reckoner judges, for one person or a whole department, as plain values.

Each function issues a fixed number of SQL statements however many workers, competencies and
records there are: the department's workers on the date (one query), their scopes
(`careers.queries.worker_scopes`), their histories (`signoff.queries.histories`) and the
names on the decisions the answers rest on (one query).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from portfolio.careers.queries import worker_scopes
from portfolio.careers.scope import WorkerScope
from portfolio.core.roles import AccountRole, JobRole, job_role_title
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.queries import CompetencyView
from portfolio.people.models import Appointment, User, UserAccountRole
from portfolio.people.queries import appointment_on
from portfolio.reckoner import rules
from portfolio.reckoner.rules import Answer, Signers
from portfolio.signoff.models import SignOffDecision
from portfolio.signoff.queries import Key, histories
from portfolio.signoff.rules import Prerequisite
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on

Competencies = Mapping[str, CompetencyView]


@dataclass(frozen=True)
class ShiftRow:
    person_id: int
    name: str
    job_role: str  # "Senior clinical support worker", "Trainee assistant practitioner"
    answer: Answer


def shift_view(
    session: Session,
    department_id: int,
    code: str,
    on: dt.date,
    *,
    due_window_days: int = 60,
    competencies: Competencies | None = None,
) -> list[ShiftRow]:
    """Every active support worker whose job role on the date is in the department, with
    the answer for the competency: those who may first, then by name.

    The caller checks the department belongs to the organisation asking. `competencies`
    (`frameworks.current_competencies`) may be passed in to save reading them again."""
    competencies = (
        frameworks.current_competencies(session) if competencies is None else competencies
    )
    workers = _workers_in_department(session, department_id, on)
    ids = [worker[0] for worker in workers]
    answers = _answers(session, ids, {code}, on, due_window_days, competencies)
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
    answer: Answer


@dataclass(frozen=True)
class ScopeAnswers:
    """Everything in a person's scope of practice on a date, each with its answer, and the
    answer for one chosen task (which may lie outside their scope)."""

    person_id: int
    on: dt.date
    job_role: JobRole | None
    post: str | None
    rows: list[ScopeRow]
    task: Answer | None

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
    due_window_days: int = 60,
    competencies: Competencies | None = None,
) -> ScopeAnswers:
    """A person's current scope on a date (the printable list) and, if asked, one task."""
    competencies = (
        frameworks.current_competencies(session) if competencies is None else competencies
    )
    scopes = worker_scopes(session, [person_id], on)
    scope = scopes.get(person_id)
    codes = {row.code for row in scope.rows} if scope else set()
    if task is not None:
        codes.add(task)
    answers = _answers(session, [person_id], codes, on, due_window_days, competencies, scopes)
    return ScopeAnswers(
        person_id=person_id,
        on=on,
        job_role=scope.job_role if scope else None,
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


def _answers(
    session: Session,
    person_ids: Collection[int],
    codes: Collection[str],
    on: dt.date,
    due_window_days: int,
    competencies: Competencies,
    scopes: Mapping[int, WorkerScope] | None = None,
) -> dict[Key, Answer]:
    """The answer for every person and code, with each code's prerequisites read as well."""
    if not person_ids or not codes:
        return {}
    if scopes is None:
        scopes = worker_scopes(session, person_ids, on)
    needs = {
        code: [
            item
            for item in competencies[code].definition.evidence.prerequisites
            if item in competencies
        ]
        if code in competencies
        else []
        for code in codes
    }
    everything = set(codes) | {item for items in needs.values() for item in items}
    found = histories(session, person_ids, everything)
    statuses: dict[Key, StatusOnDate] = {
        (person_id, code): status_on(
            found.get((person_id, code), CompetencyHistory()),
            on,
            due_window_days=due_window_days,
            with_since=False,
        )
        for person_id in person_ids
        for code in everything
    }
    signers = _signers(
        session,
        {status.decision.id for status in statuses.values() if status.decision is not None},
    )
    return {
        (person_id, code): rules.answer(
            code,
            scopes.get(person_id),
            statuses[person_id, code],
            on=on,
            signers=signers,
            prerequisites=[
                Prerequisite(item, competencies[item].title, statuses[person_id, item])
                for item in needs[code]
            ],
        )
        for person_id in person_ids
        for code in codes
    }


def _signers(session: Session, decision_ids: Iterable[int]) -> dict[int, Signers]:
    """The assessor and countersigner named on each decision, in one query."""
    ids = set(decision_ids)
    if not ids:
        return {}
    return {
        decision_id: Signers(assessor, countersigner)
        for decision_id, assessor, countersigner in session.execute(
            select(
                SignOffDecision.id,
                SignOffDecision.assessor_name,
                SignOffDecision.countersigner_name,
            ).where(SignOffDecision.id.in_(ids))
        )
    }


def own_department(session: Session, person_id: int, on: dt.date) -> int | None:
    """The department of someone's job role on the date (one statement), or None when they
    hold none: the shift view starts there."""
    appointment = appointment_on(session, person_id, on)
    return appointment.department_id if appointment else None
