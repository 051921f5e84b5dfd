"""Demo data: a fictional trust with one of each kind of person, for trying the product.

All names and numbers are invented. Loaded by `flask --app portfolio demo load`, which is
refused under the production configuration.

The sign-off story (`_sign_off_story`), built through the real services with every date
counted back from the day the demo is loaded, so it never goes stale:

- Sam Okafor (radiographer) and Grace Mensah (nurse) hold current cannulation (CANN)
  sign-offs transcribed from the trust's vascular access training record, so either may
  assess cannulation; only Helen Shaw may assess two-view mammography (MAMMO-2V).
- Morgan Davies (MRI senior CSW, CANN in their plan) holds ANTT and basic life support, has
  a cannulation study day linked to CANN and 7 confirmed successful insertions witnessed by
  Grace: the trust's cannulation policy v4 (from 1 January 2026) asks for 10, so three more
  confirmed insertions make Morgan ready for sign-off at the point of care.
- Chris Taylor (assistant practitioner) was assessed not yet competent in CANN by Grace a few
  weeks ago, with feedback, then signed off by Sam three days ago (adults only, indirect
  supervision) and countersigned by Priya Patel the next day: a month ago the status was
  "in progress".
- Jordan Lee's basic life support, observed over a year ago, has expired (12-month
  reassessment), and shows so on his competencies and his home page.
- Aisha Khan's request for two-view mammography waits on Helen Shaw's to-do list.
- Jordan Lee was recruited without the recommended qualifications and waits for a place on
  the Healthcare Support Worker apprenticeship: the educator's qualification list shows how
  long ago his 6 months to start one passed (guidance, not a breach).
- Chris Taylor's portfolio PDF has something to show: his basic life support certificate (a
  PDF, appended when asked for) and a sketch of the sites he practised (a picture).

Records made "on an earlier day" pass that day to the services as `on`, as they would have
been made then. The services stamp their instants (`recorded_at`, `declared_at`,
`countersigned_at`, a request's `requested_at`) with the real time of loading, so a page
showing those instants shows the moment the demo was loaded.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageDraw
from sqlalchemy import select
from weasyprint import HTML

from portfolio.audit.services import Auditor
from portfolio.careers.queries import worker_scope_of
from portfolio.careers.services import (
    QualificationDetails,
    QualificationStatus,
    add_to_plan,
    grant_entitlement,
    record_qualification,
)
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.core.settings import get_settings
from portfolio.demo import practice
from portfolio.evidence import services as evidence
from portfolio.evidence.attachments import (
    PDF,
    PNG,
    AttachmentStore,
    CheckedFile,
    check_upload,
)
from portfolio.evidence.models import Evidence, EvidenceKind, ProcedureOutcome
from portfolio.frameworks import loading
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.files import SHIPPED, discover, read_set
from portfolio.frameworks.models import Post
from portfolio.frameworks.practice_terms import AssessorList
from portfolio.frameworks.services import PolicyDetails, record_policy, save_post
from portfolio.pdf.fetcher import AssetFetcher
from portfolio.people import services
from portfolio.people.models import Organisation, User
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.practice import assessor_lists
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff import rules
from portfolio.signoff import services as signoff
from portfolio.signoff.models import Authentication
from portfolio.standing.status import Outcome, SupervisionLevel

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
    try_this: str = ""  # the part of the sign-off story to try as them


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
        try_this="countersign a cannulation sign-off from the to-do list",
    ),
    DemoPerson(
        "radiographer@northfield.example",
        "Sam Okafor",
        frozenset({AccountRole.SUPERVISOR}),
        "the support workers they supervise",
        "radiographer",
        RegisterType.HCPC,
        "RA123456",
        try_this="sign off cannulation (CANN) on a worker's device; not mammography",
    ),
    DemoPerson(
        "mammographer@northfield.example",
        "Helen Shaw",
        frozenset({AccountRole.SUPERVISOR}),
        "the mammography associate they supervise",
        "radiographer",
        RegisterType.HCPC,
        "RA654321",
        try_this="decide Aisha Khan's request for two-view mammography from the to-do list",
    ),
    DemoPerson(
        "nurse@northfield.example",
        "Grace Mensah",
        frozenset({AccountRole.SUPERVISOR}),
        "an assessor with no one assigned yet",
        "nurse",
        RegisterType.NMC,
        "12A3456E",
        try_this="confirm a worker's supervised insertions on their device",
    ),
    DemoPerson(
        "csw@northfield.example",
        "Jordan Lee",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
        try_this="basic life support (CORE-BLS) shows as expired",
    ),
    DemoPerson(
        "scsw@northfield.example",
        "Morgan Davies",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
        try_this="CANN is three confirmed insertions short: log them, then be signed off",
    ),
    DemoPerson(
        "ma@northfield.example",
        "Aisha Khan",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role and supervisors",
        try_this="the request waiting on Helen Shaw's to-do list",
    ),
    DemoPerson(
        "ap@northfield.example",
        "Chris Taylor",
        frozenset({AccountRole.SUPPORT_WORKER}),
        "their own job role history and supervisors",
        try_this="CANN signed off and countersigned; show last month's status",
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
    for person in PEOPLE:
        lines.append(f"  {person.email:<34} {person.name:<14} sees {person.lands_on}")
        if person.try_this:
            lines.append(f"  {'':<34} {'':<14} try: {person.try_this}")
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
                radiography=Radiography.DIAGNOSTIC if demo.profession == "radiographer" else None,
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
    for code in ("ANTT", "CANN"):  # cannulation, and the aseptic technique it needs first
        add_to_plan(supervisor, people["scsw"], code, optional_codes={"ANTT", "CANN"})
    session.flush()
    _sign_off_story(auditor, people)
    practice.load(auditor, people, departments)
    session.flush()
    return True


# Confirmed successful insertions Morgan Davies has logged: three short of the 10 that
# cannulation policy v4 asks for, so the three a browser journey adds make them ready.
MORGAN_CONFIRMED_PROCEDURES = 7
VASCULAR_RECORD = "Trust vascular access training record, seen by Priya Patel"
RESUSCITATION_RECORD = "Trust resuscitation training record, seen by Priya Patel"
ANTT_RECORD = "Trust infection prevention training record, seen by Priya Patel"


def _sign_off_story(auditor: Auditor, people: dict[str, User]) -> None:
    """Transcribed sign-offs, evidence, confirmed procedures, decisions, a countersignature
    and a waiting request, each made through the services on the day it happened (see the
    module's docstring)."""
    session = auditor.session
    due_days = get_settings().reassessment_due_days
    register_days = get_settings().register_check_valid_days
    now = today()

    def ago(days: int) -> dt.date:
        return now - dt.timedelta(days=days)

    def acting(who: str) -> Auditor:
        return Auditor(session, key=auditor.key, actor_id=people[who].id)

    def context(who: str, code: str, on: dt.date) -> signoff_queries.SignOffContext:
        found = signoff_queries.sign_off_context(
            session, people[who], code, on, due_window_days=due_days
        )
        assert found is not None, f"{code} is not in the shipped frameworks"
        return found

    def transcribe(
        who: str,
        code: str,
        observed: int,
        typed: int,
        supervision: SupervisionLevel,
        assessor: tuple[str, str | None],
        source: str,
    ) -> None:
        signoff.transcribe(
            acting("educator"),
            people["educator"],
            context(who, code, ago(typed)),
            signoff.TranscribedDetails(
                observed_on=ago(observed),
                supervision=supervision,
                condition_codes=frozenset(),
                assessor_name=assessor[0],
                assessor_profession=assessor[1],
                source=source,
            ),
            on=ago(typed),
        )

    def log_evidence(
        who: str, kind: EvidenceKind, title: str, body: str, code: str, days: int
    ) -> int:
        scope = worker_scope_of(session, people[who].id, ago(days))
        saved = evidence.save_evidence(
            acting(who),
            people[who],
            evidence.EvidenceDetails(
                kind=kind,
                title=title,
                activity_on=ago(days),
                body=body,
                competency_codes=frozenset({code}),
            ),
            scope_codes=[row.code for row in scope.rows] if scope else [],
            today=ago(days),
        )
        return saved.id

    def procedures(who: str, witnesses: list[tuple[int, str, str]]) -> None:
        """Successful CANN insertions (days ago, setting, witness), each then confirmed."""
        for days, setting, witness in witnesses:
            line = evidence.log_procedure(
                acting(who),
                people[who],
                evidence.ProcedureDetails(
                    competency_code="CANN",
                    performed_on=ago(days),
                    setting=setting,
                    outcome=ProcedureOutcome.SUCCESSFUL,
                    witness_id=people[witness].id,
                ),
                procedure_codes=["CANN"],
                today=ago(days),
            )
            evidence.confirm_procedures(
                session, audit_key=auditor.key, witness=people[witness], lines=[line]
            )

    def assessor(who: str, code: str, worker: str, on: dt.date) -> rules.AssessorFacts:
        return signoff_queries.facts_of_assessor(
            session, people[who], context(worker, code, on), on, due_window_days=due_days
        )

    # The trust's cannulation and ANTT assessors, on its approved lists since the spring.
    for who in ("radiographer", "nurse"):
        assessor_lists.approve(
            acting("educator"),
            AssessorList.CANNULATION_ASSESSOR,
            people[who].id,
            approved_by=people["educator"],
            approved_on=ago(240),
            today=now,
        )
    assessor_lists.approve(
        acting("educator"),
        AssessorList.ANTT_ASSESSOR,
        people["nurse"].id,
        approved_by=people["educator"],
        approved_on=ago(240),
        today=now,
    )

    # The trust's cannulation assessors: their own sign-offs, typed in from paper last month.
    vascular_team = ("Vascular access team", "nurse")
    for who, observed in (("radiographer", 120), ("nurse", 200)):
        transcribe(
            who, "CANN", observed, 35, SupervisionLevel.REMOTE, vascular_team, VASCULAR_RECORD
        )

    resus = ("Resuscitation training team", "resuscitation_officer")
    ipc_team = ("Infection prevention and control team", "nurse")
    # Jordan Lee: basic life support observed over a year ago, never renewed.
    transcribe("csw", "CORE-BLS", 400, 390, SupervisionLevel.REMOTE, resus, RESUSCITATION_RECORD)

    # Morgan Davies: ready for cannulation but for three more confirmed insertions.
    transcribe("scsw", "ANTT", 150, 140, SupervisionLevel.INDIRECT, ipc_team, ANTT_RECORD)
    transcribe("scsw", "CORE-BLS", 90, 85, SupervisionLevel.REMOTE, resus, RESUSCITATION_RECORD)
    log_evidence(
        "scsw",
        EvidenceKind.TRAINING_RECORD,
        "Cannulation study day",
        "Theory of peripheral intravenous cannulation, then supervised insertions on a "
        "simulation arm with the vascular access team.",
        "CANN",
        60,
    )
    settings = ("MRI contrast list", "CT contrast list", "MRI outpatients")
    procedures(
        "scsw",
        [
            (50 - 6 * index, settings[index % len(settings)], "nurse")
            for index in range(MORGAN_CONFIRMED_PROCEDURES)
        ],
    )

    # Chris Taylor: not yet competent, then signed off and countersigned this week.
    transcribe("ap", "ANTT", 70, 65, SupervisionLevel.INDIRECT, ipc_team, ANTT_RECORD)
    transcribe("ap", "CORE-BLS", 100, 65, SupervisionLevel.REMOTE, resus, RESUSCITATION_RECORD)
    study_day = log_evidence(
        "ap",
        EvidenceKind.TRAINING_RECORD,
        "Cannulation study day",
        "Theory of peripheral intravenous cannulation and practice on a simulation arm.",
        "CANN",
        75,
    )
    # Ten insertions: seven before Grace's assessment, three after it, with Sam.
    procedures(
        "ap",
        [
            (58 - 6 * index, "CT contrast list", "radiographer" if index >= 7 else "nurse")
            for index in range(10)
        ],
    )
    for who, days, details in (
        (
            "nurse",
            20,
            signoff.DecisionDetails(
                outcome=Outcome.NOT_YET_COMPETENT,
                observed_on=ago(20),
                supervision=None,
                condition_codes=frozenset(),
                evidence_ids=frozenset({study_day}),
                went_well="Explained the procedure clearly and chose a suitable vein.",
                to_develop="Secure the cannula before flushing; the dressing lifted.",
                action_plan="Three more supervised insertions on the CT list with Sam "
                "Okafor, then ask for reassessment.",
            ),
        ),
        (
            "radiographer",
            3,
            signoff.DecisionDetails(
                outcome=Outcome.COMPETENT,
                observed_on=ago(3),
                supervision=SupervisionLevel.INDIRECT,
                condition_codes=frozenset({"adults-only"}),
                evidence_ids=frozenset({study_day}),
            ),
        ),
    ):
        decision = signoff.decide(
            acting(who),
            context("ap", "CANN", ago(days)),
            details,
            assessor=assessor(who, "CANN", "ap", ago(days)),
            authentication=Authentication.POINT_OF_CARE,
            declared=details.outcome is Outcome.COMPETENT,
            request=None,
            on=ago(days),
            register_check_valid_days=register_days,
        )
    signoff.countersign(acting("educator"), people["educator"], decision, on=ago(2))

    # Aisha Khan asks Helen Shaw, the one assessor with the postgraduate mammography award.
    observed = log_evidence(
        "ma",
        EvidenceKind.OBSERVED_PRACTICE,
        "Two-view screening mammography, observed",
        "A morning screening list on the mobile unit: craniocaudal and mediolateral oblique "
        "views of each breast, positioning checked by Helen Shaw.",
        "MAMMO-2V",
        5,
    )
    signoff.request_sign_off(
        acting("ma"),
        people["ma"],
        context("ma", "MAMMO-2V", now),
        assessor=assessor("mammographer", "MAMMO-2V", "ma", now),
        evidence_ids=[observed],
        declared=True,
        on=now,
        register_check_valid_days=register_days,
    )

    # Chris Taylor's portfolio PDF has a certificate to append and a picture to show.
    certificate = log_evidence(
        "ap",
        EvidenceKind.CERTIFICATE,
        "Basic life support certificate",
        "Annual basic life support update with the resuscitation team: adult and paediatric "
        "**basic life support**, choking and the automated external defibrillator.",
        "CORE-BLS",
        100,
    )
    reflection = log_evidence(
        "ap",
        EvidenceKind.REFLECTIVE_ACCOUNT,
        "Practising on the simulation arm",
        "Before my supervised insertions I practised on the simulation arm with the vascular "
        "access team.\n\n"
        "- choosing a vein by touch, not only by sight\n"
        "- anchoring the vein before insertion\n"
        "- securing the cannula _before_ flushing\n\n"
        "The sketch shows the sites we practised. Next I will ask Sam Okafor to watch my "
        "first insertions on the CT contrast list.",
        "CANN",
        62,
    )
    store = AttachmentStore(get_settings().attachment_folder)
    for evidence_id, checked in (
        (certificate, _checked(_certificate_pdf(), "bls-certificate.pdf")),
        (reflection, _checked(_practice_sketch(), "practice-sites.png")),
    ):
        piece = session.get_one(Evidence, evidence_id)
        evidence.add_attachment(acting("ap"), people["ap"], piece, checked, store)


def _checked(content: bytes, filename: str) -> CheckedFile:
    return check_upload(content, filename, allowed={PDF, PNG}, max_bytes=10 * 1024 * 1024)


def _certificate_pdf() -> bytes:
    """A one-page certificate, as a trust's training system might issue it (invented)."""
    html = (
        "<style>@page { size: A4 landscape; margin: 25mm } body { font-family: sans-serif; "
        "text-align: center } h1 { font-size: 30pt; color: #005eb8 }</style>"
        "<p>Northfield Teaching Hospitals NHS Foundation Trust (demo)</p>"
        "<h1>Certificate of attendance</h1><p>This is to certify that</p>"
        "<p style='font-size: 22pt'><strong>Chris Taylor</strong></p>"
        "<p>completed the annual basic life support update (adult and paediatric), "
        "assessed by the Resuscitation training team.</p><p>Certificate BLS-DEMO-0417</p>"
    )
    content: bytes = HTML(string=html, url_fetcher=AssetFetcher({})).write_pdf()
    return content


def _practice_sketch() -> bytes:
    """A simple drawing of the forearm sites practised on the simulation arm."""
    image = PILImage.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((40, 110, 440, 190), radius=40, outline="#4c6272", width=4)
    for x, y in ((150, 140), (250, 160), (340, 135)):
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill="#005eb8")
    draw.text((40, 40), "Simulation arm: sites practised", fill="#212b32")
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


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
    # Recruited without the recommended qualifications: on the waiting list for the next
    # intake of the Healthcare Support Worker apprenticeship, with no start date yet.
    ("csw", "hcsw-apprenticeship", QualificationStatus.WAITING_LIST, None, None),
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
