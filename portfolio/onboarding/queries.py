"""Reading what an import is checked against: six statements however long the file."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.frameworks.models import Post
from portfolio.onboarding.csvfile import StaffFile
from portfolio.onboarding.directory import CurrentAppointment, Directory, KnownPerson, PostEntry
from portfolio.people.models import (
    Appointment,
    Department,
    SupervisorAssignment,
    User,
    UserAccountRole,
)


def directory_for(
    session: Session, organisation_id: int, staff_file: StaffFile, today: dt.date
) -> Directory:
    departments = {
        " ".join(name.lower().split()): (ident, name)
        for ident, name in session.execute(
            select(Department.id, Department.name).where(
                Department.organisation_id == organisation_id
            )
        )
    }
    posts = {
        (post.department_id, " ".join(post.name.lower().split())): PostEntry(
            post.id, post.name, post.department_id, post.job_role, post.active
        )
        for post in session.scalars(
            select(Post)
            .join(Department, Department.id == Post.department_id)
            .where(Department.organisation_id == organisation_id)
        )
    }
    named = [
        value
        for line in staff_file.lines
        for value in (line.get("email"), line.get("employee_number"), line.get("supervisor"))
        if value
    ]
    emails = {value.lower() for value in named if "@" in value}
    numbers = {value for value in named if "@" not in value}
    rows = session.execute(
        select(
            User.id,
            User.name,
            User.email,
            User.employee_number,
            User.organisation_id,
            User.active,
        ).where(
            or_(
                User.email.in_(emails),
                and_(User.organisation_id == organisation_id, User.employee_number.in_(numbers)),
            )
        )
    ).all()
    ids = [row.id for row in rows]
    roles: dict[int, set[AccountRole]] = {}
    for user_id, role in session.execute(
        select(UserAccountRole.user_id, UserAccountRole.role).where(
            UserAccountRole.user_id.in_(ids)
        )
    ):
        roles.setdefault(user_id, set()).add(role)
    newest = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.user_id.in_(ids))
        .group_by(Appointment.user_id)
        .subquery()
    )
    appointments = {
        row.user_id: CurrentAppointment(
            effective_from=row.effective_from,
            job_role=row.job_role,
            trainee=row.trainee,
            afc_band=row.afc_band,
            department_id=row.department_id,
            post_id=row.post_id,
            started_in_post_on=row.started_in_post_on,
        )
        for row in session.scalars(
            select(Appointment).join(
                newest,
                and_(
                    newest.c.user_id == Appointment.user_id,
                    newest.c.effective_from == Appointment.effective_from,
                ),
            )
        )
    }
    supervisors: dict[int, set[int]] = {}
    for worker_id, supervisor_id in session.execute(
        select(SupervisorAssignment.worker_id, SupervisorAssignment.supervisor_id).where(
            SupervisorAssignment.worker_id.in_(ids),
            or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= today),
        )
    ):
        supervisors.setdefault(worker_id, set()).add(supervisor_id)
    return Directory(
        organisation_id=organisation_id,
        today=today,
        departments=departments,
        posts=posts,
        people=tuple(
            KnownPerson(
                id=row.id,
                name=row.name,
                email=row.email,
                employee_number=row.employee_number,
                organisation_id=row.organisation_id,
                active=row.active,
                roles=frozenset(roles.get(row.id, ())),
                appointment=appointments.get(row.id),
                supervisor_ids=frozenset(supervisors.get(row.id, ())),
            )
            for row in rows
        ),
    )
