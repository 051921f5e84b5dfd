"""Read-only queries about people, each a fixed number of SQL statements however many rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from portfolio.core.roles import AccountRole, JobRole, job_role_title
from portfolio.people.models import (
    Appointment,
    Department,
    SupervisorAssignment,
    User,
    UserAccountRole,
)


@dataclass(frozen=True)
class PersonRow:
    """A person as listed on a page: plain values, never an ORM object."""

    id: int
    name: str
    email: str
    active: bool
    roles: tuple[AccountRole, ...]
    job_role_title: str | None
    job_role: JobRole | None
    afc_band: str | None
    department_id: int | None
    department: str | None
    started_in_post_on: dt.date | None


def _with_appointment_on(
    query: Select[User], on: dt.date
) -> Select[User, Appointment | None, Department | None]:
    # Only the people the query is about: not every appointment of every organisation.
    people = query.with_only_columns(User.id).order_by(None).scalar_subquery()
    latest = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.effective_from <= on, Appointment.user_id.in_(people))
        .group_by(Appointment.user_id)
        .subquery()
    )
    return (
        query.add_columns(Appointment, Department)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(
            Appointment,
            and_(
                Appointment.user_id == User.id,
                Appointment.effective_from == latest.c.effective_from,
            ),
        )
        .outerjoin(Department, Department.id == Appointment.department_id)
    )


def _rows(
    session: Session, query: Select[User, Appointment | None, Department | None]
) -> list[PersonRow]:
    results = session.execute(query).all()
    ids = [user.id for user, _, _ in results]
    roles: dict[int, list[AccountRole]] = {}
    if ids:
        for user_id, role in session.execute(
            select(UserAccountRole.user_id, UserAccountRole.role).where(
                UserAccountRole.user_id.in_(ids)
            )
        ):
            roles.setdefault(user_id, []).append(role)
    return [
        PersonRow(
            id=user.id,
            name=user.name,
            email=user.email,
            active=user.active,
            roles=tuple(sorted(roles.get(user.id, []))),
            job_role_title=job_role_title(appointment.job_role, appointment.trainee)
            if appointment
            else None,
            job_role=appointment.job_role if appointment else None,
            afc_band=appointment.afc_band if appointment else None,
            department_id=department.id if department else None,
            department=department.name if department else None,
            started_in_post_on=appointment.started_in_post_on if appointment else None,
        )
        for user, appointment, department in results
    ]


@dataclass(frozen=True)
class Page:
    rows: list[PersonRow]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def people_in_organisation(
    session: Session,
    organisation_id: int,
    *,
    on: dt.date,
    active: bool | None = True,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    conditions = [User.organisation_id == organisation_id]
    if active is not None:
        conditions.append(User.active.is_(active))
    if search:
        pattern = f"%{search.lower()}%"
        conditions.append(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    total = session.scalar(select(func.count()).select_from(User).where(*conditions)) or 0
    query = _with_appointment_on(select(User).where(*conditions), on).order_by(
        func.lower(User.name), User.id
    )
    query = query.limit(per_page).offset((page - 1) * per_page)
    return Page(_rows(session, query), page, per_page, total)


def supervisees(session: Session, supervisor_id: int, *, on: dt.date) -> list[PersonRow]:
    assignment = aliased(SupervisorAssignment)
    query = (
        select(User)
        .join(assignment, assignment.worker_id == User.id)
        .where(
            assignment.supervisor_id == supervisor_id,
            assignment.starts_on <= on,
            or_(assignment.ends_on.is_(None), assignment.ends_on >= on),
            User.active.is_(True),
        )
    )
    return _rows(session, _with_appointment_on(query, on).order_by(func.lower(User.name)))


def workers_in_reach(
    session: Session,
    organisation_id: int,
    *,
    whole_organisation: bool,
    department_ids: frozenset[int],
    on: dt.date,
) -> list[PersonRow]:
    query = _with_appointment_on(
        select(User)
        .join(UserAccountRole, UserAccountRole.user_id == User.id)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            UserAccountRole.role == AccountRole.SUPPORT_WORKER,
        ),
        on,
    )
    if not whole_organisation:
        query = query.where(Department.id.in_(department_ids or {-1}))
    return _rows(session, query.order_by(func.lower(User.name)))


@dataclass(frozen=True)
class AppointmentRow:
    effective_from: dt.date
    job_role_title: str
    afc_band: str
    department: str
    started_in_post_on: dt.date


@dataclass(frozen=True)
class SupervisionRow:
    id: int
    person_id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date | None


def appointment_history(session: Session, user_id: int) -> list[AppointmentRow]:
    rows = session.execute(
        select(Appointment, Department.name)
        .join(Department, Department.id == Appointment.department_id)
        .where(Appointment.user_id == user_id)
        .order_by(Appointment.effective_from.desc())
    ).all()
    return [
        AppointmentRow(
            effective_from=item.effective_from,
            job_role_title=job_role_title(item.job_role, item.trainee),
            afc_band=item.afc_band,
            department=name,
            started_in_post_on=item.started_in_post_on,
        )
        for item, name in rows
    ]


def supervision_of(session: Session, worker_id: int) -> list[SupervisionRow]:
    """Everyone who supervises or has supervised this worker, newest first."""
    rows = session.execute(
        select(SupervisorAssignment, User.name)
        .join(User, User.id == SupervisorAssignment.supervisor_id)
        .where(SupervisorAssignment.worker_id == worker_id)
        .order_by(SupervisorAssignment.ends_on.is_not(None), SupervisorAssignment.starts_on.desc())
    ).all()
    return [
        SupervisionRow(item.id, item.supervisor_id, name, item.starts_on, item.ends_on)
        for item, name in rows
    ]


def supervisors_in_organisation(
    session: Session, organisation_id: int
) -> Sequence[tuple[int, str]]:
    return session.execute(
        select(User.id, User.name)
        .join(UserAccountRole, UserAccountRole.user_id == User.id)
        .where(
            User.organisation_id == organisation_id,
            User.active.is_(True),
            UserAccountRole.role == AccountRole.SUPERVISOR,
        )
        .order_by(func.lower(User.name))
    ).all()


def departments_of(session: Session, organisation_id: int) -> Sequence[tuple[int, str]]:
    return session.execute(
        select(Department.id, Department.name)
        .where(Department.organisation_id == organisation_id)
        .order_by(func.lower(Department.name))
    ).all()


def person_row(session: Session, user_id: int, *, on: dt.date) -> PersonRow | None:
    rows = _rows(session, _with_appointment_on(select(User).where(User.id == user_id), on))
    return rows[0] if rows else None


def person_row_of(user: User, appointment: Appointment | None) -> PersonRow:
    """`person_row` from what a page has already read (see `appointment_on`): no query."""
    return PersonRow(
        id=user.id,
        name=user.name,
        email=user.email,
        active=user.active,
        roles=tuple(sorted(user.roles)),
        job_role_title=job_role_title(appointment.job_role, appointment.trainee)
        if appointment
        else None,
        job_role=appointment.job_role if appointment else None,
        afc_band=appointment.afc_band if appointment else None,
        department_id=appointment.department_id if appointment else None,
        department=appointment.department.name if appointment else None,
        started_in_post_on=appointment.started_in_post_on if appointment else None,
    )


def appointment_on(session: Session, user_id: int, on: dt.date) -> Appointment | None:
    """The job role, band, department and post someone held on a date (the latest row of
    their history in effect then), or None before their first. Its department and post come
    in the same statement."""
    return session.scalar(
        select(Appointment)
        .options(joinedload(Appointment.department), joinedload(Appointment.post))
        .where(Appointment.user_id == user_id, Appointment.effective_from <= on)
        .order_by(Appointment.effective_from.desc())
        .limit(1)
    )
