"""Demo data: a fictional trust with one of each kind of person, for trying the product.

All names and numbers are invented. Loaded by `flask --app portfolio demo load`, which is
refused under the production configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.clock import today
from portfolio.people import services
from portfolio.people.models import Organisation, User
from portfolio.people.registers import RegisterCheckResult, RegisterType
from portfolio.people.roles import AccountRole, JobRole, Nation

ORGANISATION = "Northfield Teaching Hospitals NHS Foundation Trust (demo)"
PASSWORD = "imaging-demo-2026"  # noqa: S105 - printed for anyone trying the demo
DEPARTMENTS = ("General radiography", "MRI", "Breast screening", "Radiotherapy")


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    roles: frozenset[AccountRole]
    lands_on: str
    profession: str | None = None
    register: RegisterType = RegisterType.NONE
    register_number: str | None = None


PEOPLE = (
    DemoPerson(
        "admin@northfield.example",
        "Alex Morgan",
        frozenset({AccountRole.ADMIN}),
        "people and organisation administration",
    ),
    DemoPerson(
        "educator@northfield.example",
        "Priya Patel",
        frozenset({AccountRole.EDUCATOR}),
        "every support worker in the trust",
    ),
    DemoPerson(
        "radiographer@northfield.example",
        "Sam Okafor",
        frozenset({AccountRole.SUPERVISOR}),
        "the support workers they supervise",
        "radiographer",
        RegisterType.HCPC,
        "RA123456",
    ),
    DemoPerson(
        "mammographer@northfield.example",
        "Helen Shaw",
        frozenset({AccountRole.SUPERVISOR}),
        "the mammography associate they supervise",
        "radiographer",
        RegisterType.HCPC,
        "RA654321",
    ),
    DemoPerson(
        "nurse@northfield.example",
        "Grace Mensah",
        frozenset({AccountRole.SUPERVISOR}),
        "an assessor with no one assigned yet",
        "nurse",
        RegisterType.NMC,
        "12A3456E",
    ),
    DemoPerson(
        "csw@northfield.example",
        "Jordan Lee",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
    ),
    DemoPerson(
        "scsw@northfield.example",
        "Morgan Davies",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
    ),
    DemoPerson(
        "ma@northfield.example",
        "Aisha Khan",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
    ),
    DemoPerson(
        "ap@northfield.example",
        "Chris Taylor",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role history and supervisors",
    ),
)


def sign_in_help() -> str:
    lines = [f"Demo sign-ins (password for all: {PASSWORD}):"]
    lines += [f"  {person.email:<34} {person.name:<14} sees {person.lands_on}" for person in PEOPLE]
    return "\n".join(lines)


def load(auditor: Auditor) -> bool:
    """Create the demo trust; returns False if it was already there (nothing changes)."""
    session = auditor.session
    if session.scalar(select(Organisation.id).where(Organisation.name == ORGANISATION)):
        return False
    organisation = services.create_organisation(auditor, ORGANISATION, Nation.ENGLAND)
    departments = {
        name: services.save_department(auditor, organisation, name) for name in DEPARTMENTS
    }
    people: dict[str, User] = {}
    checked_on = today() - dt.timedelta(days=30)
    for demo in PEOPLE:
        person, _ = services.create_person(
            auditor,
            organisation,
            services.PersonDetails(
                name=demo.name,
                email=demo.email,
                roles=demo.roles,
                profession=demo.profession,
                register=demo.register,
                register_number=demo.register_number,
                register_checked_on=checked_on if demo.register_number else None,
                register_check_result=RegisterCheckResult.REGISTERED
                if demo.register_number
                else None,
                reach_whole_organisation=AccountRole.EDUCATOR in demo.roles,
            ),
            password=PASSWORD,
        )
        people[demo.email.split("@")[0]] = person

    def appoint(
        who: str,
        since: dt.date,
        job_role: JobRole,
        band: str,
        department: str,
        trainee: bool = False,
        started: dt.date | None = None,
    ) -> None:
        services.record_appointment(
            auditor,
            people[who],
            services.AppointmentDetails(
                effective_from=since,
                job_role=job_role,
                trainee=trainee,
                afc_band=band,
                department_id=departments[department].id,
                started_in_post_on=started or since,
            ),
        )

    appoint("csw", dt.date(2025, 9, 1), JobRole.CSW, "2", "General radiography")
    appoint("scsw", dt.date(2023, 4, 3), JobRole.SCSW, "3", "MRI")
    appoint("ma", dt.date(2024, 10, 7), JobRole.MA, "4", "Breast screening", trainee=True)
    appoint("ma", dt.date(2025, 11, 3), JobRole.MA, "4", "Breast screening")
    appoint("ap", dt.date(2021, 6, 1), JobRole.SCSW, "3", "General radiography")
    appoint("ap", dt.date(2023, 9, 4), JobRole.AP, "3", "General radiography", trainee=True)
    appoint("ap", dt.date(2025, 9, 1), JobRole.AP, "4", "General radiography")

    for worker in ("csw", "scsw", "ap"):
        services.assign_supervisor(
            auditor, people[worker], people["radiographer"], dt.date(2025, 9, 1)
        )
    services.assign_supervisor(auditor, people["ma"], people["mammographer"], dt.date(2024, 10, 7))
    session.flush()
    return True
