"""Reading what an educator oversees: a fixed number of SQL statements, then pure Python.

The matrix is worked out in one pass: the workers in reach (one statement), their scopes
(`careers.queries.worker_scopes`), the competencies, and their sign-off histories
(`signoff.queries.histories`, three statements however large the trust, as their competency
pages read them); then every status comes from the pure `status_on`. A page sorted by name,
department or job role works out only its own workers. Filtering by status, sorting by
progress, the lists and the CSV files need every worker, once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.careers.queries import worker_scopes
from portfolio.careers.scope import WorkerScope
from portfolio.core.batch import collector_paused
from portfolio.core.roles import AccountRole, JobRole
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import PersonQualification, Post
from portfolio.frameworks.rules import resolve_scope
from portfolio.oversight.lists import GuidanceRow
from portfolio.oversight.matrix import (
    Column,
    FilterOptions,
    Filters,
    Learners,
    Matrix,
    MatrixPage,
    Row,
    Sort,
    Worker,
    build_row,
    choose_columns,
    keep_status,
    page_bounds,
    select_workers,
    sort_rows,
    sort_workers,
)
from portfolio.oversight.rules import (
    HeldQualification,
    qualification_guidance,
    recommended_qualifications,
    studying_apprenticeship,
)
from portfolio.people.models import Appointment, Department, User, UserAccountRole
from portfolio.people.queries import _with_appointment_on, departments_of
from portfolio.policy import Actor
from portfolio.practice.items import item_facts_of
from portfolio.signoff.queries import histories
from portfolio.signoff.shown import grant_facts, shown_statuses
from portfolio.standing.rules import needs_grants
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on


@dataclass(frozen=True)
class Reach:
    """Whose portfolios an educator oversees: the whole organisation, or some departments."""

    organisation_id: int
    whole_organisation: bool
    department_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, actor: Actor | Reach) -> Reach:
        if isinstance(actor, Reach):
            return actor
        return cls(
            actor.organisation_id, actor.reach_whole_organisation, actor.reach_department_ids
        )

    def includes(self, department_id: int) -> bool:
        return self.whole_organisation or department_id in self.department_ids


def workers(session: Session, reach: Reach | Actor, on: dt.date) -> list[Worker]:
    """Active support workers in reach with a job role on the date, by name (one statement)."""
    reach = Reach.of(reach)
    query = (
        _with_appointment_on(
            select(User)
            .join(UserAccountRole, UserAccountRole.user_id == User.id)
            .where(
                User.organisation_id == reach.organisation_id,
                User.active.is_(True),
                UserAccountRole.role == AccountRole.SUPPORT_WORKER,
            ),
            on,
        )
        .outerjoin(Post, Post.id == Appointment.post_id)
        .with_only_columns(
            User.id,
            User.name,
            Appointment.job_role,
            Appointment.trainee,
            Appointment.department_id,
            Department.name,
            Appointment.post_id,
            Post.name,
            Appointment.started_in_post_on,
        )
        .where(Appointment.id.is_not(None))
    )
    if not reach.whole_organisation:
        query = query.where(Appointment.department_id.in_(reach.department_ids or {-1}))
    return sort_workers((Worker(*row) for row in session.execute(query)), Sort.NAME)


def filter_options(session: Session, reach: Reach | Actor) -> FilterOptions:
    """The departments and posts within reach, and the competencies of any job role's scope,
    for the filters."""
    reach = Reach.of(reach)
    in_scopes = {
        code
        for definition, _ in frameworks.scope_definitions(session).values()
        for code in (*definition.core, *definition.optional)
    }
    return FilterOptions(
        departments=[
            (key, name)
            for key, name in departments_of(session, reach.organisation_id)
            if reach.includes(key)
        ],
        posts=[
            (post.id, f"{post.name} ({post.department})")
            for post in frameworks.posts(session, reach.organisation_id)
            if reach.includes(post.department_id)
        ],
        competencies=[item for item in competency_columns(session) if item.code in in_scopes],
    )


def competency_columns(session: Session) -> list[Column]:
    """Every competency of the current frameworks, framework by framework, in their order."""
    current = frameworks.current_competencies(session)
    order = {
        code: index
        for index, code in enumerate(sorted({item.framework_code for item in current.values()}))
    }
    return [
        Column(item.code, item.title, item.definition.domain)
        for item in sorted(current.values(), key=lambda item: order[item.framework_code])
    ]


def matrix(
    session: Session,
    reach: Reach | Actor,
    filters: Filters,
    on: dt.date,
    page: int = 1,
    per_page: int = 25,
    *,
    due_window_days: int = 60,
) -> MatrixPage:
    """One page of the matrix, with the total number of rows the filters keep."""
    chosen, columns = _workers_and_columns(session, reach, filters, on)
    if filters.needs_every_status:
        scopes = worker_scopes(session, [worker.id for worker in chosen], on)
        rows = _rows(session, chosen, scopes, columns, on, due_window_days)
        rows = sort_rows(keep_status(rows, filters.status), filters.sort)
        number, start, end = page_bounds(len(rows), page, per_page)
        shown, total = rows[start:end], len(rows)
    else:
        ordered = sort_workers(chosen, filters.sort)
        number, start, end = page_bounds(len(ordered), page, per_page)
        chosen = ordered[start:end]
        scopes = worker_scopes(session, [worker.id for worker in chosen], on)
        shown = _rows(session, chosen, scopes, columns, on, due_window_days)
        total = len(ordered)
    return MatrixPage(on, tuple(columns), tuple(shown), number, per_page, total)


def full_matrix(
    session: Session,
    reach: Reach | Actor,
    filters: Filters,
    on: dt.date,
    *,
    due_window_days: int = 60,
) -> Matrix:
    """Every row the filters keep, in their order: the CSV export, the lists, the bench."""
    chosen, columns = _workers_and_columns(session, reach, filters, on)
    scopes = worker_scopes(session, [worker.id for worker in chosen], on)
    rows = _rows(session, chosen, scopes, columns, on, due_window_days)
    return Matrix(
        on, tuple(columns), tuple(sort_rows(keep_status(rows, filters.status), filters.sort))
    )


def full_matrix_for_bench(session: Session, organisation_id: int, on: dt.date) -> Matrix:
    """The whole organisation's matrix with no filters: what `make bench` times."""
    return full_matrix(session, Reach(organisation_id, whole_organisation=True), Filters(), on)


def _workers_and_columns(
    session: Session, reach: Reach | Actor, filters: Filters, on: dt.date
) -> tuple[list[Worker], list[Column]]:
    """The workers the filters keep, and the competencies in any of their scopes. A worker's
    scope holds every item of their job role's (their post and plan change only which count),
    so the columns come from the job roles present, without reading each worker's scope."""
    chosen = _select(session, workers(session, reach, on), filters)
    definitions = frameworks.scope_definitions(session)
    chains = {code: pair[0] for code, pair in definitions.items()}
    roles = {worker.job_role for worker in chosen}
    in_scope = {
        item
        for code, (_, scope) in definitions.items()
        if scope.job_role in roles
        for item in resolve_scope(chains, code)
    }
    return chosen, choose_columns(competency_columns(session), in_scope, filters.competencies)


def _select(session: Session, found: Sequence[Worker], filters: Filters) -> list[Worker]:
    """The workers the filters keep; apprentices are read (two statements) only when asked
    for."""
    if filters.learners is not Learners.APPRENTICES:
        return select_workers(found, filters)
    standards = {
        item.code
        for item in frameworks.catalogue(session).qualifications
        if item.apprenticeship_standard
    }
    held = _qualifications_of(session, [worker.id for worker in found])
    apprentices = {
        person for person, items in held.items() if studying_apprenticeship(items, standards)
    }
    return select_workers(found, filters, apprentices)


def _rows(
    session: Session,
    chosen: Sequence[Worker],
    scopes: dict[int, WorkerScope],
    columns: Sequence[Column],
    on: dt.date,
    due_window_days: int,
) -> list[Row]:
    with collector_paused():
        return _statuses(session, chosen, scopes, columns, on, due_window_days)


def _statuses(
    session: Session,
    chosen: Sequence[Worker],
    scopes: dict[int, WorkerScope],
    columns: Sequence[Column],
    on: dt.date,
    due_window_days: int,
) -> list[Row]:
    codes = [item.code for item in columns]
    known = item_facts_of(session)
    prerequisites = {
        ref.code for code in codes if code in known for ref in known[code].prerequisites
    }
    needed = list(dict.fromkeys([*codes, *sorted(prerequisites)]))
    ids = [worker.id for worker in chosen]
    found = histories(session, ids, needed)
    # Entitlements and designations, for everyone at once when a column needs them.
    roles: dict[int, tuple[JobRole, bool] | None] = {
        worker.id: (worker.job_role, worker.trainee) for worker in chosen
    }
    needy = [known[code] for code in codes if code in known and needs_grants(known[code])]
    people = grant_facts(session, roles, on, needy) if needy else {}
    # Most cells have no record at all: their status is the same, worked out once.
    nothing = status_on(CompetencyHistory(), on, due_window_days=due_window_days, with_since=False)
    rows = []
    for worker in chosen:
        scope = scopes.get(worker.id)
        requirements = {row.code: row.requirement for row in scope.rows} if scope else {}
        statuses: dict[str, StatusOnDate] = {}
        for code in needed:
            if code not in requirements and code not in prerequisites:
                continue
            history = found.get((worker.id, code))
            statuses[code] = (
                nothing
                if history is None
                else status_on(history, on, due_window_days=due_window_days, with_since=False)
            )
        in_scope = [code for code in codes if code in requirements]
        shown = shown_statuses(
            session,
            statuses,
            in_scope,
            found,
            worker.id,
            on,
            due_window_days,
            person=people.get(worker.id),
        )
        rows.append(build_row(worker, requirements, statuses, columns, shown))
    return rows


def qualification_support(
    session: Session, reach: Reach | Actor, filters: Filters, on: dt.date
) -> list[GuidanceRow]:
    """Workers in reach without a recommended qualification for their job role, with where
    their support to start one stands; those whose 6 months ended longest ago first."""
    chosen = _select(session, workers(session, reach, on), filters)
    catalogue = frameworks.catalogue(session)
    levels = {item.code: (item.framework, item.level) for item in catalogue.qualifications}
    titles = {item.code: item.title for item in catalogue.qualifications}
    recommended = {
        role: recommended_qualifications(pathway, levels)
        for role, pathway in catalogue.pathways.items()
    }
    held = _qualifications_of(session, [worker.id for worker in chosen])
    rows = []
    for worker in chosen:
        codes = recommended.get(worker.job_role, frozenset())
        guidance = qualification_guidance(
            started_in_post_on=worker.started_in_post_on,
            on=on,
            recommended=codes,
            held=held.get(worker.id, []),
        )
        if guidance is not None:
            rows.append(
                GuidanceRow(
                    worker,
                    guidance,
                    tuple(titles[code] for code in titles if code in codes),
                )
            )
    return sorted(
        rows, key=lambda row: (row.guidance.ends_on, row.worker.name.casefold(), row.worker.id)
    )


def _qualifications_of(
    session: Session, person_ids: Collection[int]
) -> dict[int, list[HeldQualification]]:
    result: dict[int, list[HeldQualification]] = {}
    if not person_ids:
        return result
    for user_id, code, title, status, planned in session.execute(
        select(
            PersonQualification.user_id,
            PersonQualification.qualification_code,
            PersonQualification.title,
            PersonQualification.status,
            PersonQualification.planned_start_on,
        ).where(PersonQualification.user_id.in_(person_ids))
    ):
        result.setdefault(user_id, []).append(HeldQualification(code, title, status, planned))
    return result
