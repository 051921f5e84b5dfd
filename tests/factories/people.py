"""People, organisations, departments, posts and frameworks, built through the same services
the app uses (so the audit trail is written exactly as in real use)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.frameworks.models import Post
from portfolio.people import services
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterCheckResult, RegisterType

PASSWORD = "correct-horse-battery"
AUDIT_KEY = b"testing-audit-key-not-for-production"
_numbers = itertools.count(1)


def auditor(session: Session, actor: User | None = None) -> Auditor:
    return Auditor(session, key=AUDIT_KEY, actor_id=actor.id if actor else None)


def organisation(session: Session, name: str | None = None) -> Organisation:
    return services.create_organisation(
        auditor(session), name or f"Trust {next(_numbers)}", Nation.ENGLAND
    )


def department(session: Session, org: Organisation, name: str | None = None) -> Department:
    return services.save_department(auditor(session), org, name or f"Department {next(_numbers)}")


def person(
    session: Session,
    org: Organisation,
    *roles: AccountRole,
    name: str | None = None,
    email: str | None = None,
    department: Department | None = None,
    job_role: JobRole = JobRole.CSW,
    supervisors: Iterable[User] = (),
    reach_whole_organisation: bool = False,
    reach: Iterable[Department] = (),
    register: RegisterType = RegisterType.NONE,
    register_number: str | None = None,
    password: str = PASSWORD,
) -> User:
    number = next(_numbers)
    user, _ = services.create_person(
        auditor(session),
        org,
        services.PersonDetails(
            name=name or f"Person {number}",
            email=email or f"person{number}@trust.example",
            roles=frozenset(roles or {AccountRole.SUPPORT_WORKER}),
            register=register,
            register_number=register_number,
            reach_whole_organisation=reach_whole_organisation,
            reach_department_ids=frozenset(item.id for item in reach),
        ),
        password=password,
    )
    if department is not None:
        services.record_appointment(
            auditor(session),
            user,
            services.AppointmentDetails(
                effective_from=dt.date(2024, 1, 1),
                job_role=job_role,
                trainee=False,
                afc_band="2",
                department_id=department.id,
                started_in_post_on=dt.date(2024, 1, 1),
            ),
        )
    for supervisor in supervisors:
        services.assign_supervisor(auditor(session), user, supervisor, dt.date(2024, 1, 1))
    session.flush()
    return user


FIXTURES = Path(__file__).parents[1] / "frameworks" / "fixtures"


def frameworks(session: Session, fixture: str) -> None:
    """Load a folder of test framework files through the real loader."""
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import discover, read_set

    loading.load(auditor(session), read_set(discover(FIXTURES / fixture), FIXTURES))


def shipped_frameworks(session: Session) -> None:
    """Load the frameworks the product ships (competencies/), through the real loader."""
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import SHIPPED, discover, read_set

    loading.load(auditor(session), read_set(discover(SHIPPED), SHIPPED.parent))


def post(session: Session, department: Department, name: str, *core: str) -> Post:
    from portfolio.frameworks.services import save_post

    return save_post(
        auditor(session),
        department,
        name=name,
        job_role=JobRole.SCSW,
        core_codes=core,
        optional_in_scope=core,
    )


def local_policy(
    session: Session,
    by: User,
    code: str,
    *,
    procedures: int,
    countersignature: bool = True,
    days_ago: int = 100,
    title: str = "Local policy",
    reassessment_months: int = 12,
) -> None:
    """The trust's policy for a competency, recorded by `by` (an educator of the
    organisation), in force from `days_ago` days back."""
    from portfolio.frameworks.services import PolicyDetails, record_policy

    record_policy(
        auditor(session, by),
        by.organisation,
        code,
        PolicyDetails(
            title=title,
            effective_from=today() - dt.timedelta(days=days_ago),
            supervised_procedures=procedures,
            reassessment_months=reassessment_months,
            countersignature_required=countersignature,
            notes=None,
        ),
        expires=True,
    )


def registrant(user: User, register: RegisterType, number: str, profession: str) -> None:
    """A registered professional whose register entry was checked a month ago."""
    user.register, user.register_number, user.profession = register, number, profession
    user.register_checked_on = today() - dt.timedelta(days=30)
    user.register_check_result = RegisterCheckResult.REGISTERED
