"""Demo data: a fictional trust with one of each kind of person, for trying the product.

All names and numbers are invented. Loaded by `flask --app portfolio demo load`, which is
refused under the production configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.careers.services import (
    QualificationDetails,
    QualificationStatus,
    add_to_plan,
    grant_entitlement,
    record_qualification,
)
from portfolio.clock import today
from portfolio.frameworks import loading
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.files import SHIPPED, discover, read_set
from portfolio.frameworks.models import Post
from portfolio.frameworks.services import PolicyDetails, record_policy, save_post
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
    DemoPerson(
        "trainee@northfield.example",
        "Sophie Turner",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "a trainee assistant practitioner's post and scope",
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
    loading.load(auditor, read_set(discover(SHIPPED), SHIPPED.parent))
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
        post: Post | None = None,
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
                post_id=post.id if post else None,
            ),
        )

    admin = Auditor(session, key=auditor.key, actor_id=people["admin"].id)
    posts = {
        name: save_post(
            admin,
            departments[department],
            name=name,
            job_role=role,
            core_codes=core,
            optional_in_scope=core,
        )
        for name, department, role, core in DEMO_POSTS
    }
    mri, mammography = posts["MRI senior CSW"], posts["Mammography associate"]
    general_ap = posts["Assistant practitioner, general radiography"]
    appoint("csw", dt.date(2025, 9, 1), JobRole.CSW, "2", "General radiography")
    appoint("scsw", dt.date(2023, 4, 3), JobRole.SCSW, "3", "MRI", post=mri)
    appoint("ma", dt.date(2024, 10, 7), JobRole.MA, "4", "Breast screening", True, post=mammography)
    appoint(
        "ma",
        dt.date(2025, 11, 3),
        JobRole.MA,
        "4",
        "Breast screening",
        started=dt.date(2024, 10, 7),
        post=mammography,
    )
    appoint("ap", dt.date(2021, 6, 1), JobRole.SCSW, "3", "General radiography")
    appoint("ap", dt.date(2023, 9, 4), JobRole.AP, "3", "General radiography", True)
    appoint("ap", dt.date(2025, 9, 1), JobRole.AP, "4", "General radiography", post=general_ap)
    appoint(
        "trainee",
        dt.date(2026, 9, 7),
        JobRole.AP,
        "3",
        "General radiography",
        True,
        post=general_ap,
    )

    for worker, since in (
        ("csw", dt.date(2025, 9, 1)),
        ("scsw", dt.date(2025, 9, 1)),
        ("ap", dt.date(2025, 9, 1)),
        ("trainee", dt.date(2026, 9, 7)),
    ):
        services.assign_supervisor(auditor, people[worker], people["radiographer"], since)
    services.assign_supervisor(auditor, people["ma"], people["mammographer"], dt.date(2024, 10, 7))

    for who, code, status, achieved, planned in DEMO_QUALIFICATIONS:
        _qualify(admin, people[who], code, status, achieved, planned)
    grant_entitlement(
        admin,
        people["ap"],
        scope="Chest and appendicular skeleton radiography of co-operative adults, to protocol",
        granted_on=dt.date(2025, 9, 15),
        today=today(),
    )
    for version in CANNULATION_POLICY:
        record_policy(admin, organisation, "CANN", version, expires=True)
    supervisor = Auditor(session, key=auditor.key, actor_id=people["radiographer"].id)
    add_to_plan(supervisor, people["scsw"], "CANN", optional_codes={"CANN"})
    session.flush()
    return True


def _qualify(
    auditor: Auditor,
    person: User,
    code: str,
    status: QualificationStatus,
    achieved: dt.date | None,
    planned: dt.date | None,
) -> None:
    item = {q.code: q for q in frameworks.catalogue(auditor.session).qualifications}[code]
    record_qualification(
        auditor,
        person,
        QualificationDetails(
            title=item.title,
            framework=item.framework,
            level=item.level,
            status=status,
            qualification_code=code,
            achieved_on=achieved,
            planned_start_on=planned,
        ),
        today=today(),
    )


# name, department, job role, optional competencies of the scope made core in the post
DEMO_POSTS = (
    ("MRI senior CSW", "MRI", JobRole.SCSW, ("MR-COILS", "MR-SCREEN")),
    ("Plain film senior CSW", "General radiography", JobRole.SCSW, ("SCSW-PREG",)),
    (
        "Assistant practitioner, general radiography",
        "General radiography",
        JobRole.AP,
        ("AP-CHEST", "AP-APPEND", "CANN"),
    ),
    ("Mammography associate", "Breast screening", JobRole.MA, ()),
)

# Only Helen Shaw holds the postgraduate mammography award, so only she may sign off
# two-view mammography; Jordan Lee waits for an apprenticeship place.
DEMO_QUALIFICATIONS = (
    ("radiographer", "bsc-radiography", QualificationStatus.ACHIEVED, dt.date(2014, 7, 1), None),
    ("mammographer", "bsc-radiography", QualificationStatus.ACHIEVED, dt.date(2008, 7, 1), None),
    (
        "mammographer",
        "cor-pgaward-mammography",
        QualificationStatus.ACHIEVED,
        dt.date(2011, 6, 1),
        None,
    ),
    ("csw", "gcse-9-4", QualificationStatus.ACHIEVED, dt.date(2022, 8, 25), None),
    (
        "csw",
        "senior-hcsw-apprenticeship",
        QualificationStatus.WAITING_LIST,
        None,
        dt.date(2026, 4, 1),
    ),
    (
        "scsw",
        "l3-diploma-healthcare-support",
        QualificationStatus.ACHIEVED,
        dt.date(2022, 6, 1),
        None,
    ),
    ("ap", "foundation-degree", QualificationStatus.ACHIEVED, dt.date(2025, 7, 1), None),
    ("trainee", "ap-apprenticeship", QualificationStatus.IN_PROGRESS, None, dt.date(2026, 9, 7)),
    ("ma", "ma-apprenticeship", QualificationStatus.ACHIEVED, dt.date(2025, 10, 20), None),
)

# A trust's cannulation policy, changed this year: sign-offs before 1 January 2026 keep v3.
CANNULATION_POLICY = (
    PolicyDetails(
        title="Cannulation policy v3",
        effective_from=dt.date(2024, 4, 1),
        supervised_procedures=5,
        reassessment_months=12,
        countersignature_required=None,
        notes="Adults only; radiology IV access.",
    ),
    PolicyDetails(
        title="Cannulation policy v4",
        effective_from=dt.date(2026, 1, 1),
        supervised_procedures=10,
        reassessment_months=24,
        countersignature_required=None,
        notes="More supervised insertions, longer between reassessments.",
    ),
)
