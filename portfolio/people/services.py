"""Adding and changing people, their job roles, supervisors and reach. Every change is
audited; services flush and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select

from portfolio.accounts.services import normalise_email
from portfolio.audit.services import Auditor, changed_fields
from portfolio.core import clock
from portfolio.core.clock import utcnow
from portfolio.core.errors import FieldError
from portfolio.core.passwords import NO_PASSWORD, hash_password, temporary_password
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.frameworks.models import Post
from portfolio.people import events
from portfolio.people.models import (
    Appointment,
    Department,
    EducatorDepartment,
    Organisation,
    SupervisorAssignment,
    User,
    UserAccountRole,
)
from portfolio.people.registers import (
    InvalidRegistrationNumberError,
    Radiography,
    RegisterCheckResult,
    RegisterType,
    normalise_registration,
)
from portfolio.people.rules import (
    EMAIL_TAKEN,
    LEAVING_REASONS,
    last_day_problem,
    post_problem,
    started_in_post_problem,
    supervisor_problem,
)

# Personal details are recorded as changed, never copied: the audit log cannot be edited,
# so nothing in it should ever need erasing or redacting.
PERSONAL_FIELDS = frozenset({"name", "email", "employee_number"})


class PersonError(FieldError):
    """A change that cannot be made, with the form field it belongs to."""


@dataclass
class PersonDetails:
    name: str
    email: str
    roles: frozenset[AccountRole]
    employee_number: str | None = None
    profession: str | None = None
    register: RegisterType = RegisterType.NONE
    register_number: str | None = None
    register_checked_on: dt.date | None = None
    register_check_result: RegisterCheckResult | None = None
    radiography: Radiography | None = None
    reach_whole_organisation: bool = False
    reach_department_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class AppointmentDetails:
    effective_from: dt.date
    job_role: JobRole
    trainee: bool
    afc_band: str
    department_id: int
    started_in_post_on: dt.date
    post_id: int | None = None


def _snapshot(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "email": user.email,
        "employee_number": user.employee_number,
        "account_roles": sorted(user.roles),
        "profession": user.profession,
        "register": user.register,
        "register_number": user.register_number,
        "register_checked_on": user.register_checked_on,
        "register_check_result": user.register_check_result,
        "radiography": user.radiography,
        "reach_whole_organisation": user.reach_whole_organisation,
        "reach_department_ids": sorted(item.department_id for item in user.educator_departments),
        "active": user.active,
    }


def _check_departments(auditor: Auditor, organisation_id: int, ids: Iterable[int]) -> None:
    ids = set(ids)
    if not ids:
        return
    found = set(
        auditor.session.scalars(
            select(Department.id).where(
                Department.id.in_(ids), Department.organisation_id == organisation_id
            )
        )
    )
    if found != ids:
        raise PersonError("reach_department_ids", "Choose departments in your organisation")


RADIOGRAPHY_NEEDS_HCPC = (
    "Diagnostic or therapeutic is for HCPC radiographers: choose the HCPC and the radiographer "
    "profession, or leave it as not applicable"
)


def _hcpc_radiographer(details: PersonDetails) -> bool:
    return details.register is RegisterType.HCPC and details.profession == "radiographer"


def _apply(auditor: Auditor, user: User, details: PersonDetails) -> None:
    email = normalise_email(details.email)
    clash = auditor.session.scalar(
        select(User.id).where(func.lower(User.email) == email, User.id != (user.id or 0))
    )
    if clash:
        raise PersonError("email", EMAIL_TAKEN)
    try:
        registration = normalise_registration(details.register, details.register_number)
    except InvalidRegistrationNumberError as error:
        raise PersonError("register_number", str(error)) from error
    if details.register is RegisterType.NONE and details.register_checked_on:
        raise PersonError("register_checked_on", "Remove the check date, or choose a register")
    if details.register_checked_on and details.register_check_result is None:
        raise PersonError("register_check_result", "Select what the register said")
    if details.register_checked_on and details.register_checked_on > clock.today():
        raise PersonError("register_checked_on", "The date of the check must be today or before")
    if details.radiography and not _hcpc_radiographer(details):
        raise PersonError("radiography", RADIOGRAPHY_NEEDS_HCPC)
    _check_departments(auditor, user.organisation_id, details.reach_department_ids)
    if not details.roles:
        raise PersonError("roles", "Select at least one account role")

    user.name = details.name.strip()
    user.email = email
    user.employee_number = (details.employee_number or "").strip() or None
    user.profession = details.profession or None
    user.register = registration.register
    user.register_number = registration.number
    user.register_checked_on = details.register_checked_on
    user.register_check_result = (
        details.register_check_result if details.register_checked_on else None
    )
    user.radiography = details.radiography
    is_educator = AccountRole.EDUCATOR in details.roles
    user.reach_whole_organisation = is_educator and details.reach_whole_organisation
    reach = (
        details.reach_department_ids
        if is_educator and not user.reach_whole_organisation
        else frozenset()
    )
    user.educator_departments = [
        *[item for item in user.educator_departments if item.department_id in reach],
        *[
            EducatorDepartment(department_id=department_id)
            for department_id in sorted(
                reach - {item.department_id for item in user.educator_departments}
            )
        ],
    ]
    user.account_roles = [
        *[item for item in user.account_roles if item.role in details.roles],
        *[
            UserAccountRole(role=role)
            for role in sorted(details.roles - {item.role for item in user.account_roles})
        ],
    ]


def create_person(
    auditor: Auditor,
    organisation: Organisation,
    details: PersonDetails,
    password: str | None = None,
) -> tuple[User, str]:
    """Add a person. Without a password, a temporary one is made, to hand over in person and
    change at first sign-in. Returns the person and the password to show once."""
    chosen = password is not None
    initial_password = password if password is not None else temporary_password()
    user = _add_person(
        auditor, organisation, details, hash_password(initial_password), must_change=not chosen
    )
    return user, initial_password


def invite_person(auditor: Auditor, organisation: Organisation, details: PersonDetails) -> User:
    """Add a person with no password: they choose one through the emailed invitation
    (`portfolio.accounts.delivery`), which the caller queues after committing."""
    return _add_person(auditor, organisation, details, NO_PASSWORD, must_change=False)


def _add_person(
    auditor: Auditor,
    organisation: Organisation,
    details: PersonDetails,
    password_hash: str,
    *,
    must_change: bool,
) -> User:
    user = User(
        organisation_id=organisation.id,
        password_hash=password_hash,
        must_change_password=must_change,
        active=True,
        session_version=1,
        reach_whole_organisation=False,
        register=RegisterType.NONE,
        account_roles=[],
        educator_departments=[],
    )
    _apply(auditor, user, details)
    auditor.session.add(user)
    auditor.session.flush()
    auditor.record(
        "person.created",
        subject_type="user",
        subject_id=user.id,
        organisation_id=organisation.id,
        changes=changed_fields({}, _snapshot(user), text_fields=PERSONAL_FIELDS),
    )
    return user


def details_of(user: User) -> PersonDetails:
    """A person's details as they stand, to change a few and save with `update_person`."""
    return PersonDetails(
        name=user.name,
        email=user.email,
        roles=user.roles,
        employee_number=user.employee_number,
        profession=user.profession,
        register=user.register,
        register_number=user.register_number,
        register_checked_on=user.register_checked_on,
        register_check_result=user.register_check_result,
        reach_whole_organisation=user.reach_whole_organisation,
        reach_department_ids=frozenset(item.department_id for item in user.educator_departments),
    )


def update_person(
    auditor: Auditor, user: User, details: PersonDetails, *, today: dt.date | None = None
) -> None:
    before = _snapshot(user)
    was_supervisor = user.has_role(AccountRole.SUPERVISOR)
    _apply(auditor, user, details)
    auditor.session.flush()
    if was_supervisor and AccountRole.SUPERVISOR not in details.roles:
        # Without the account role, their supervisions end today: nobody keeps access to a
        # worker's portfolio through an assignment they can no longer hold.
        on = today or clock.today()
        for assignment in auditor.session.scalars(
            select(SupervisorAssignment).where(
                SupervisorAssignment.supervisor_id == user.id,
                SupervisorAssignment.ends_on.is_(None),
            )
        ):
            end_supervision(auditor, assignment, max(on, assignment.starts_on))
    changes = changed_fields(before, _snapshot(user), text_fields=PERSONAL_FIELDS)
    if changes:
        auditor.record(
            "person.updated",
            subject_type="user",
            subject_id=user.id,
            organisation_id=user.organisation_id,
            changes=changes,
        )


def deactivate(
    auditor: Auditor,
    user: User,
    *,
    on: dt.date | None = None,
    last_day: dt.date | None = None,
    reason: str | None = None,
) -> None:
    """Archive: the person can no longer sign in, and every record of theirs is kept.

    What only makes sense while they are here ends today, each change audited: their open
    supervisions (as the supervised worker and as the supervisor), and the sign-off requests
    waiting on them or made by them (withdrawn, so no to-do list keeps a request nobody will
    decide, and a departing assessor's requests go back to their workers to ask someone
    else). The administrator's page gives the last working day and the reason (a key of
    `rules.LEAVING_REASONS`), both recorded in the audit entry."""
    if not user.active:
        return
    on = on or clock.today()
    problem = last_day_problem(last_day or on, on)
    if problem:
        raise PersonError("last_day", problem)
    if reason is not None and reason not in LEAVING_REASONS:
        raise PersonError("reason", "Select why the account is being deactivated")
    user.active = False
    user.deactivated_at = utcnow()
    user.session_version += 1
    auditor.record(
        "person.deactivated",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
        changes={
            "active": [True, False],
            "last_day": (last_day or on).isoformat(),
            **({"reason": reason} if reason else {}),
        },
    )
    auditor.session.flush()
    for assignment in auditor.session.scalars(
        select(SupervisorAssignment)
        .where(
            or_(
                SupervisorAssignment.worker_id == user.id,
                SupervisorAssignment.supervisor_id == user.id,
            ),
            SupervisorAssignment.ends_on.is_(None),
        )
        .order_by(SupervisorAssignment.id)
    ).all():
        end_supervision(auditor, assignment, max(on, assignment.starts_on))
    # Their waiting sign-off requests, as worker or as assessor, are withdrawn (`signoff`).
    events.person_deactivated.send(user, auditor=auditor, on=on)
    auditor.session.flush()


def reactivate(auditor: Auditor, user: User) -> None:
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    auditor.record(
        "person.reactivated",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
        changes={"active": [False, True]},
    )
    auditor.session.flush()


def record_appointment(auditor: Auditor, user: User, details: AppointmentDetails) -> Appointment:
    """A support worker's job role, band and department from a date (a new row of history)."""
    department = auditor.session.get(Department, details.department_id)
    if department is None or department.organisation_id != user.organisation_id:
        raise PersonError("department_id", "Choose a department in your organisation")
    if details.post_id is not None:
        post = auditor.session.get(Post, details.post_id)
        if post is None:
            raise PersonError("post_id", "Choose a post in the chosen department, or no post")
        problem = post_problem(
            post_name=post.name,
            post_department_id=post.department_id,
            post_job_role=post.job_role,
            department_id=details.department_id,
            job_role=details.job_role,
        )
        if problem:
            raise PersonError("post_id", problem)
    problem = started_in_post_problem(details.started_in_post_on, details.effective_from)
    if problem:
        raise PersonError("started_in_post_on", problem)
    existing = auditor.session.scalar(
        select(Appointment).where(
            Appointment.user_id == user.id, Appointment.effective_from == details.effective_from
        )
    )
    if existing is not None:
        raise PersonError("effective_from", "There is already a change recorded from this date")
    appointment = Appointment(
        user_id=user.id,
        effective_from=details.effective_from,
        job_role=details.job_role,
        trainee=details.trainee,
        afc_band=details.afc_band,
        department_id=details.department_id,
        post_id=details.post_id,
        started_in_post_on=details.started_in_post_on,
    )
    auditor.session.add(appointment)
    auditor.session.flush()
    auditor.record(
        "appointment.recorded",
        subject_type="user",
        subject_id=user.id,
        organisation_id=user.organisation_id,
        changes={
            "effective_from": details.effective_from.isoformat(),
            "job_role": details.job_role.value,
            "trainee": details.trainee,
            "afc_band": details.afc_band,
            "department_id": details.department_id,
            "post_id": details.post_id,
            "started_in_post_on": details.started_in_post_on.isoformat(),
        },
    )
    return appointment


def assign_supervisor(
    auditor: Auditor, worker: User, supervisor: User, starts_on: dt.date
) -> SupervisorAssignment:
    problem = supervisor_problem(
        worker_id=worker.id,
        supervisor_id=supervisor.id,
        same_organisation=supervisor.organisation_id == worker.organisation_id,
        supervisor_roles=supervisor.roles,
    )
    if problem:
        raise PersonError("supervisor_id", problem)
    overlapping = auditor.session.scalar(
        select(SupervisorAssignment.id).where(
            SupervisorAssignment.worker_id == worker.id,
            SupervisorAssignment.supervisor_id == supervisor.id,
            or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= starts_on),
        )
    )
    if overlapping:
        raise PersonError("supervisor_id", f"{supervisor.name} already supervises {worker.name}")
    assignment = SupervisorAssignment(
        worker_id=worker.id, supervisor_id=supervisor.id, starts_on=starts_on
    )
    auditor.session.add(assignment)
    auditor.session.flush()
    auditor.record(
        "supervisor.assigned",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={"supervisor_id": supervisor.id, "starts_on": starts_on.isoformat()},
    )
    return assignment


def end_supervision(auditor: Auditor, assignment: SupervisorAssignment, ends_on: dt.date) -> None:
    if assignment.ends_on is not None:
        return
    if ends_on < assignment.starts_on:
        raise PersonError("ends_on", "The end date must be on or after the start date")
    assignment.ends_on = ends_on
    auditor.record(
        "supervisor.ended",
        subject_type="user",
        subject_id=assignment.worker_id,
        organisation_id=assignment.worker.organisation_id,
        changes={"supervisor_id": assignment.supervisor_id, "ends_on": ends_on.isoformat()},
    )
    auditor.session.flush()


def create_organisation(auditor: Auditor, name: str, nation: Nation) -> Organisation:
    organisation = Organisation(name=name.strip(), nation=nation)
    auditor.session.add(organisation)
    auditor.session.flush()
    auditor.record(
        "organisation.created",
        subject_type="organisation",
        subject_id=organisation.id,
        organisation_id=organisation.id,
        changes={"name": organisation.name, "nation": nation.value},
    )
    return organisation


def update_organisation(
    auditor: Auditor, organisation: Organisation, name: str, nation: Nation
) -> None:
    before = {"name": organisation.name, "nation": organisation.nation}
    clash = auditor.session.scalar(
        select(Organisation.id).where(
            Organisation.name == name.strip(), Organisation.id != organisation.id
        )
    )
    if clash:
        raise PersonError("name", "Another organisation already has this name")
    organisation.name = name.strip()
    organisation.nation = nation
    auditor.session.flush()
    changes = changed_fields(before, {"name": organisation.name, "nation": organisation.nation})
    if changes:
        auditor.record(
            "organisation.updated",
            subject_type="organisation",
            subject_id=organisation.id,
            organisation_id=organisation.id,
            changes=changes,
        )


def save_department(
    auditor: Auditor, organisation: Organisation, name: str, department: Department | None = None
) -> Department:
    name = name.strip()
    clash = auditor.session.scalar(
        select(Department.id).where(
            Department.organisation_id == organisation.id,
            func.lower(Department.name) == name.lower(),
            Department.id != (department.id if department else 0),
        )
    )
    if clash:
        raise PersonError("name", "There is already a department with this name")
    if department is None:
        department = Department(organisation_id=organisation.id, name=name)
        auditor.session.add(department)
        auditor.session.flush()
        auditor.record(
            "department.created",
            subject_type="department",
            subject_id=department.id,
            organisation_id=organisation.id,
            changes={"name": name},
        )
        return department
    before = department.name
    department.name = name
    auditor.session.flush()
    if before != name:
        auditor.record(
            "department.renamed",
            subject_type="department",
            subject_id=department.id,
            organisation_id=organisation.id,
            changes={"name": [before, name]},
        )
    return department
