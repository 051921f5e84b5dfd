"""A person's qualifications, entitlements, plan and scope of practice, as plain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session, aliased, joinedload

from portfolio.careers.scope import WorkerScope, WorkerScopeRow
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import (
    OperatorEntitlement,
    PersonQualification,
    PlanItem,
    PostCompetency,
)
from portfolio.frameworks.rules import resolve_scope, worker_scope
from portfolio.people.models import Appointment, User
from portfolio.people.queries import appointment_on


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


def worker_scope_of(
    session: Session, user_id: int, on: dt.date, *, appointment: Appointment | None = None
) -> WorkerScope | None:
    """The scope a worker's progress counts: job role, post and plan, on a date. A page that
    has read the appointment (`appointment_on`) passes it.

    For many workers at once use `worker_scopes`: the same answer in a fixed number of
    queries."""
    if appointment is None:
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
    post_core, plans = _post_cores_and_plans(
        session, {appointment.post_id} - {None}, [appointment.user_id]
    )
    requirements = worker_scope(
        items,
        post_core.get(appointment.post_id, []) if appointment.post_id else [],
        plans.get(appointment.user_id, []),
    )
    competencies = frameworks.current_competencies(session)
    return WorkerScope(
        job_role=appointment.job_role,
        post=appointment.post.name if appointment.post else None,
        trainee=appointment.trainee,
        rows=[
            WorkerScopeRow(
                code, competencies[code].title, competencies[code].definition.domain, requirement
            )
            for code, requirement in requirements.items()
            if code in competencies
        ],
    )


def _post_cores_and_plans(
    session: Session, post_ids: Collection[int | None], worker_ids: Collection[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The competencies each post makes core and each worker's plan adds: one statement."""
    post_core: dict[int, list[str]] = {}
    plans: dict[int, list[str]] = {}
    for is_post, owner_id, code in session.execute(
        select(literal(True), PostCompetency.post_id, PostCompetency.competency_code)
        .where(PostCompetency.post_id.in_([key for key in post_ids if key is not None]))
        .union_all(
            select(literal(False), PlanItem.worker_id, PlanItem.competency_code).where(
                PlanItem.worker_id.in_(worker_ids)
            )
        )
    ):
        (post_core if is_post else plans).setdefault(owner_id, []).append(code)
    return post_core, plans


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
        select(Appointment)
        .options(joinedload(Appointment.post))
        .join(
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
    post_core, plans = _post_cores_and_plans(
        session, {row.post_id for row in appointments}, user_ids
    )
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
            post=appointment.post.name if appointment.post else None,
            trainee=appointment.trainee,
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
