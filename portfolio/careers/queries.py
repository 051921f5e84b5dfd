"""A person's qualifications, entitlements, plan and scope of practice, as plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import (
    OperatorEntitlement,
    PersonQualification,
    PlanItem,
    Post,
    PostCompetency,
)
from portfolio.frameworks.rules import Requirement, resolve_scope, worker_scope
from portfolio.people.models import Appointment, User
from portfolio.people.queries import appointment_on
from portfolio.people.roles import JobRole


@dataclass(frozen=True)
class QualificationRow:
    id: int
    title: str
    framework: str
    level: int
    status: str
    achieved_on: dt.date | None
    planned_start_on: dt.date | None
    self_recorded: bool


def qualifications_of(session: Session, user_id: int) -> list[QualificationRow]:
    return [
        QualificationRow(
            row.id,
            row.title,
            row.framework,
            row.level,
            row.status,
            row.achieved_on,
            row.planned_start_on,
            row.recorded_by_id == user_id,
        )
        for row in session.scalars(
            select(PersonQualification)
            .where(PersonQualification.user_id == user_id)
            .order_by(PersonQualification.level.desc(), PersonQualification.title)
        )
    ]


def qualification_tags_of(session: Session, user_id: int) -> set[str]:
    """Tags of the qualifications someone has achieved (what assessor rules ask for).

    Only records made by someone else (an administrator or educator, who has seen the
    certificate) count: nobody qualifies themselves to sign others off.
    """
    codes = set(
        session.scalars(
            select(PersonQualification.qualification_code).where(
                PersonQualification.user_id == user_id,
                PersonQualification.status == "achieved",
                PersonQualification.qualification_code.is_not(None),
                PersonQualification.recorded_by_id.is_not(None),
                PersonQualification.recorded_by_id != user_id,
            )
        )
    )
    return {
        tag
        for item in frameworks.catalogue(session).qualifications
        if item.code in codes
        for tag in item.tags
    }


@dataclass(frozen=True)
class EntitlementRow:
    id: int
    scope: str
    granted_by: str
    granted_on: dt.date
    withdrawn_on: dt.date | None


def entitlements_of(session: Session, user_id: int) -> list[EntitlementRow]:
    granter = aliased(User)
    return [
        EntitlementRow(row.id, row.scope, name, row.granted_on, row.withdrawn_on)
        for row, name in session.execute(
            select(OperatorEntitlement, granter.name)
            .join(granter, granter.id == OperatorEntitlement.granted_by_id)
            .where(OperatorEntitlement.user_id == user_id)
            .order_by(OperatorEntitlement.granted_on.desc())
        )
    ]


@dataclass(frozen=True)
class WorkerScopeRow:
    code: str
    title: str
    domain: str
    requirement: Requirement


@dataclass(frozen=True)
class WorkerScope:
    job_role: JobRole
    post: str | None
    rows: list[WorkerScopeRow]

    @property
    def counted(self) -> list[WorkerScopeRow]:
        return [row for row in self.rows if row.requirement.counts]

    @property
    def optional(self) -> list[WorkerScopeRow]:
        return [row for row in self.rows if not row.requirement.counts]


def worker_scope_of(session: Session, user_id: int, on: dt.date) -> WorkerScope | None:
    """The scope a worker's progress counts: job role, post and plan, on a date.

    For many workers at once use `worker_scopes`: the same answer in a fixed number of
    queries."""
    appointment = appointment_on(session, user_id, on)
    if appointment is None:
        return None
    definitions = frameworks.scope_definitions(session)
    match = next(
        (
            code
            for code, (_, scope) in definitions.items()
            if scope.job_role is appointment.job_role
        ),
        None,
    )
    if match is None:
        return None
    items = resolve_scope({code: pair[0] for code, pair in definitions.items()}, match)
    post_name, post_core = None, []
    if appointment.post_id is not None:
        post_name = session.scalar(select(Post.name).where(Post.id == appointment.post_id))
        post_core = list(
            session.scalars(
                select(PostCompetency.competency_code).where(
                    PostCompetency.post_id == appointment.post_id
                )
            )
        )
    plan = session.scalars(select(PlanItem.competency_code).where(PlanItem.worker_id == user_id))
    requirements = worker_scope(items, post_core, plan)
    competencies = frameworks.current_competencies(session)
    return WorkerScope(
        job_role=appointment.job_role,
        post=post_name,
        rows=[
            WorkerScopeRow(
                code, competencies[code].title, competencies[code].definition.domain, requirement
            )
            for code, requirement in requirements.items()
            if code in competencies
        ],
    )


def worker_scopes(
    session: Session, user_ids: Collection[int], on: dt.date
) -> dict[int, WorkerScope]:
    """`worker_scope_of` for many workers in a fixed number of queries (shift views,
    matrices). Workers with no job role on the date, or none with a scope, are left out."""
    if not user_ids:
        return {}
    latest = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.effective_from <= on, Appointment.user_id.in_(user_ids))
        .group_by(Appointment.user_id)
        .subquery()
    )
    appointments = session.scalars(
        select(Appointment).join(
            latest,
            (latest.c.user_id == Appointment.user_id)
            & (latest.c.effective_from == Appointment.effective_from),
        )
    ).all()
    if not appointments:
        return {}
    definitions = frameworks.scope_definitions(session)
    chains = {code: pair[0] for code, pair in definitions.items()}
    scope_for_role = {
        scope.job_role: resolve_scope(chains, code)
        for code, (_, scope) in definitions.items()
        if scope.job_role is not None
    }
    post_ids = {row.post_id for row in appointments if row.post_id is not None}
    post_names: dict[int, str] = {}
    post_core: dict[int, list[str]] = {}
    if post_ids:
        post_names = {  # noqa: C416 - a Result has .keys() and would be taken as a mapping
            post_id: name
            for post_id, name in session.execute(
                select(Post.id, Post.name).where(Post.id.in_(post_ids))
            )
        }
        for post_id, code in session.execute(
            select(PostCompetency.post_id, PostCompetency.competency_code).where(
                PostCompetency.post_id.in_(post_ids)
            )
        ):
            post_core.setdefault(post_id, []).append(code)
    plans: dict[int, list[str]] = {}
    for worker_id, code in session.execute(
        select(PlanItem.worker_id, PlanItem.competency_code).where(PlanItem.worker_id.in_(user_ids))
    ):
        plans.setdefault(worker_id, []).append(code)
    competencies = frameworks.current_competencies(session)
    result = {}
    for appointment in appointments:
        items = scope_for_role.get(appointment.job_role)
        if items is None:
            continue
        requirements = worker_scope(
            items,
            post_core.get(appointment.post_id, []) if appointment.post_id else [],
            plans.get(appointment.user_id, []),
        )
        result[appointment.user_id] = WorkerScope(
            job_role=appointment.job_role,
            post=post_names.get(appointment.post_id) if appointment.post_id else None,
            rows=[
                WorkerScopeRow(
                    code,
                    competencies[code].title,
                    competencies[code].definition.domain,
                    requirement,
                )
                for code, requirement in requirements.items()
                if code in competencies
            ],
        )
    return result
