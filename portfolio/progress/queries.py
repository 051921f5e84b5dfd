"""What the home pages show about progress, read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.careers.queries import worker_scope_of, worker_scopes
from portfolio.careers.scope import WorkerScope
from portfolio.core.roles import Nation
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import PersonQualification
from portfolio.frameworks.rules import resolve_scope
from portfolio.people.models import Appointment, User
from portfolio.people.queries import PersonRow, appointment_on
from portfolio.progress import rules
from portfolio.signoff.models import RequestState, SignOffRequest
from portfolio.signoff.queries import histories
from portfolio.signoff.shown import shown_statuses
from portfolio.standing.answer import Shown
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on

CARE_CERTIFICATE = "care-certificate"


@dataclass(frozen=True)
class StandardRow:
    code: str
    title: str
    status: StatusOnDate


@dataclass(frozen=True)
class NextSteps:
    evidence_needed: tuple[str, ...]  # counted codes not started or in progress
    procedures_awaiting: int  # lines logged, not yet confirmed by their witness
    requests_waiting: int
    feedback: tuple[str, ...]  # not yet competent: feedback to act on


@dataclass(frozen=True)
class WorkerProgress:
    on: dt.date
    scope: WorkerScope | None
    titles: dict[str, str]
    statuses: dict[str, StatusOnDate]
    # Where it differs from the status: "Competent, prerequisite lapsed (…)" (the engine's).
    shown: dict[str, Shown]
    progress: rules.ScopeProgress | None
    care_certificate: tuple[StandardRow, ...] | None
    next_steps: NextSteps
    readiness: rules.Readiness | None


def worker_progress(
    session: Session,
    worker: User,
    on: dt.date,
    *,
    due_window_days: int,
    appointment: Appointment | None = None,
) -> WorkerProgress:
    """Everything the worker's home shows about their own progress. A page that has read the
    worker's appointment on the date (`appointment_on`) passes it."""
    if appointment is None:
        appointment = appointment_on(session, worker.id, on)
    scope = worker_scope_of(session, worker.id, on, appointment=appointment)
    competencies = frameworks.current_competencies(session)
    standards = [view for view in competencies.values() if view.framework_code == CARE_CERTIFICATE]
    catalogue = frameworks.catalogue(session)
    next_core: list[str] = []
    if scope is not None and rules.NEXT_JOB_ROLE[scope.job_role] is not None:
        definitions = frameworks.scope_definitions(session)
        target = rules.NEXT_JOB_ROLE[scope.job_role]
        match = next(
            (code for code, (_, item) in definitions.items() if item.job_role is target), None
        )
        if match is not None:
            resolved = resolve_scope({code: pair[0] for code, pair in definitions.items()}, match)
            next_core = [code for code, item in resolved.items() if item.core]
    codes = {row.code for row in scope.rows} if scope else set()
    codes |= {view.code for view in standards} | set(next_core)
    # Every competency, not just these: the requests waiting and the procedures awaiting
    # confirmation are counted from the same three statements.
    found = histories(session, [worker.id])
    statuses = {
        code: status_on(
            found.get((worker.id, code), CompetencyHistory()),
            on,
            due_window_days=due_window_days,
            with_since=False,
        )
        for code in codes
    }
    role = (appointment.job_role, appointment.trainee) if appointment else None
    shown = shown_statuses(
        session, statuses, codes, found, worker.id, on, due_window_days, role=role
    )
    lapsed = {code for code, item in shown.items() if item.lapsed}
    progress = rules.scope_progress(scope, statuses, lapsed) if scope else None
    # The page's header shows the organisation too: one load serves both.
    nation = worker.organisation.nation
    care_certificate = None
    if rules.care_certificate_applies(
        in_england=nation is Nation.ENGLAND,
        started_in_post_on=appointment.started_in_post_on if appointment else None,
        on=on,
        has_records=any((worker.id, view.code) in found for view in standards),
    ):
        care_certificate = tuple(
            StandardRow(view.code, view.title, statuses[view.code]) for view in standards
        )
    waiting_lines = sum(history.procedures_awaiting for history in found.values())
    waiting_requests = sum(
        1 for history in found.values() for request in history.requests if request.waiting_on(on)
    )
    qualifications = session.execute(
        select(PersonQualification.qualification_code, PersonQualification.status).where(
            PersonQualification.user_id == worker.id,
            PersonQualification.qualification_code.is_not(None),
        )
    ).all()
    return WorkerProgress(
        on=on,
        scope=scope,
        titles={code: view.title for code, view in competencies.items()},
        statuses=statuses,
        shown=shown,
        progress=progress,
        care_certificate=care_certificate,
        next_steps=NextSteps(
            evidence_needed=tuple(
                row.code
                for row in (scope.counted if scope else [])
                if statuses[row.code].status.value in ("not_started", "in_progress")
            ),
            procedures_awaiting=waiting_lines,
            requests_waiting=waiting_requests,
            feedback=progress.not_yet_competent if progress else (),
        ),
        readiness=rules.readiness(
            scope.job_role,
            catalogue.pathways,
            next_core,
            statuses,
            [code for code, status in qualifications if code and status == "achieved"],
            [code for code, status in qualifications if code and status == "in_progress"],
        )
        if scope
        else None,
    )


@dataclass(frozen=True)
class SuperviseeProgress:
    person: PersonRow
    overall: rules.Tally | None
    due: int
    expired: int
    requests_waiting: int  # their requests waiting on anyone


def supervisee_progress(
    session: Session, people: Sequence[PersonRow], on: dt.date, *, due_window_days: int
) -> list[SuperviseeProgress]:
    """Each assigned worker's progress for the assessor's view, in a fixed number of queries
    however many workers."""
    ids = [person.id for person in people]
    scopes = worker_scopes(session, ids, on)
    codes = {row.code for scope in scopes.values() for row in scope.rows}
    found = histories(session, ids, codes)
    waiting = {  # noqa: C416 - a Result has .keys() and would be taken as a mapping
        worker_id: count
        for worker_id, count in session.execute(
            select(SignOffRequest.worker_id, func.count())
            .where(
                SignOffRequest.worker_id.in_(ids or [-1]),
                SignOffRequest.state == RequestState.WAITING,
            )
            .group_by(SignOffRequest.worker_id)
        )
    }
    result = []
    for person in people:
        scope = scopes.get(person.id)
        if scope is None:
            result.append(SuperviseeProgress(person, None, 0, 0, waiting.get(person.id, 0)))
            continue
        statuses = {
            row.code: status_on(
                found.get((person.id, row.code), CompetencyHistory()),
                on,
                due_window_days=due_window_days,
                with_since=False,
            )
            for row in scope.counted
        }
        progress = rules.scope_progress(scope, statuses)
        result.append(
            SuperviseeProgress(
                person,
                progress.overall,
                len(progress.due),
                len(progress.expired),
                waiting.get(person.id, 0),
            )
        )
    return result
