"""Building people and organisations for tests, through the same services the app uses (so
the audit trail is written exactly as in real use)."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from collections.abc import Iterable
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.audit.services import Auditor
from portfolio.frameworks.models import Post
from portfolio.people import services
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterType
from portfolio.people.roles import AccountRole, JobRole, Nation

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


FIXTURES = Path(__file__).parent / "frameworks" / "fixtures"


def frameworks(session: Session, fixture: str) -> None:
    """Load a folder of test framework files through the real loader."""
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import discover, read_set

    loading.load(auditor(session), read_set(discover(FIXTURES / fixture), FIXTURES))


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


def page_text(response: TestResponse) -> str:
    """A page as its reader sees the words: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return " ".join(html.unescape(text).split())


_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(
    client: FlaskClient, user_or_email: User | str, password: str = PASSWORD
) -> TestResponse:
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    token = csrf_token(client)
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})
