"""A department where each support worker stands somewhere different with cannulation, built
through the real services (sample framework: tests/frameworks/fixtures/minimal, where CANN is
optional for a senior CSW, outside a CSW's scope, needs A-1 first, 5 confirmed procedures, a
registrant assessor who holds it and a countersignature, and expires after 12 months).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence import services as evidence
from portfolio.evidence.models import EvidenceKind
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterType
from portfolio.signoff import queries, services
from portfolio.signoff.models import Authentication, SignOffDecision
from portfolio.signoff.status import Outcome, SupervisionLevel
from tests import factories
from tests.signoff.conftest import confirmed_procedures, registrant, transcribed


@dataclass
class Shift:
    """Who is where: `mri` holds one worker in each state; `ct` is another department."""

    org: Organisation
    mri: Department
    ct: Department
    radiographer: User
    nurse: User
    educator: User
    ready: User  # signed off, countersigned: may, indirect supervision, adults only
    awaiting: User  # signed off, not countersigned
    suspended: User  # signed off, countersigned, suspended from today
    expired: User  # transcribed sign-off observed 400 days ago
    out_of_scope: User  # a CSW with a transcribed cannulation sign-off
    learning: User  # evidence logged only
    elsewhere: User  # a senior CSW in CT, signed off
    sign_off: SignOffDecision  # ready's


def log_cannulation_evidence(session: Session, worker: User) -> int:
    saved = evidence.save_evidence(
        factories.auditor(session, worker),
        worker,
        evidence.EvidenceDetails(
            kind=EvidenceKind.TRAINING_RECORD,
            title="Cannulation study day",
            activity_on=today() - dt.timedelta(days=10),
            body="Theory and simulation.",
            competency_codes=frozenset({"CANN"}),
        ),
        scope_codes=["A-1", "CANN"],
        today=today(),
    )
    session.flush()
    return saved.id


def signed_off(
    session: Session, worker: User, assessor: User, educator: User, *, countersign: bool = True
) -> SignOffDecision:
    """Ready for cannulation and signed off at the point of care today, as it really happens."""
    transcribed(session, worker, "A-1", educator)
    evidence_id = log_cannulation_evidence(session, worker)
    confirmed_procedures(session, worker, assessor, 5)
    context = queries.sign_off_context(session, worker, "CANN", today(), due_window_days=60)
    assert context is not None
    decision = services.decide(
        factories.auditor(session, assessor),
        context,
        services.DecisionDetails(
            outcome=Outcome.COMPETENT,
            observed_on=today(),
            supervision=SupervisionLevel.INDIRECT,
            condition_codes=frozenset({"adults-only"}),
            evidence_ids=frozenset({evidence_id}),
        ),
        assessor=queries.assessor_facts(
            session, [assessor], "CANN", today(), due_window_days=60, own_status_needed=True
        )[assessor.id],
        authentication=Authentication.POINT_OF_CARE,
        declared=True,
        request=None,
        on=today(),
        register_check_valid_days=365,
    )
    if countersign:
        services.countersign(factories.auditor(session, educator), educator, decision, on=today())
    session.flush()
    return decision


def transcribed_long_ago(session: Session, worker: User, by: User, days: int) -> None:
    context = queries.sign_off_context(session, worker, "CANN", today(), due_window_days=60)
    assert context is not None
    services.transcribe(
        factories.auditor(session, by),
        by,
        context,
        services.TranscribedDetails(
            observed_on=today() - dt.timedelta(days=days),
            supervision=SupervisionLevel.REMOTE,
            condition_codes=frozenset(),
            assessor_name="Vascular access team",
            assessor_profession=None,
            source="Previous employer's cannulation record, seen by the practice educator",
        ),
        on=today(),
    )
    session.flush()


@pytest.fixture
def shift(session: Session) -> Shift:
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    mri = factories.department(session, org, "MRI")
    ct = factories.department(session, org, "CT")
    educator = factories.person(
        session, org, AccountRole.EDUCATOR, name="Pat Educator", reach=[mri, ct]
    )
    radiographer = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    registrant(radiographer, RegisterType.HCPC, "RA123456", "radiographer")
    nurse = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    registrant(nurse, RegisterType.NMC, "12A3456E", "nurse")
    for assessor in (radiographer, nurse):
        transcribed(session, assessor, "CANN", educator)

    def worker(name: str, job_role: JobRole = JobRole.SCSW, department: Department = mri) -> User:
        return factories.person(session, org, department=department, job_role=job_role, name=name)

    ready = worker("Riley Ready")
    awaiting = worker("Alex Awaiting")
    suspended = worker("Sasha Suspended")
    expired = worker("Eden Expired")
    out_of_scope = worker("Olly Outside", JobRole.CSW)
    learning = worker("Morgan Davies")
    elsewhere = worker("Casey Elsewhere", department=ct)

    decision = signed_off(session, ready, radiographer, educator)
    signed_off(session, awaiting, nurse, educator, countersign=False)
    held = signed_off(session, suspended, radiographer, educator)
    services.suspend(
        factories.auditor(session, educator),
        educator,
        held,
        starts_on=today(),
        reason="Pending an investigation",
        open_suspension=None,
        revoked=False,
        on=today(),
    )
    transcribed(session, expired, "A-1", educator)
    transcribed_long_ago(session, expired, educator, 400)
    transcribed_long_ago(session, out_of_scope, educator, 20)
    log_cannulation_evidence(session, learning)
    signed_off(session, elsewhere, radiographer, educator)
    session.flush()
    return Shift(
        org,
        mri,
        ct,
        radiographer,
        nurse,
        educator,
        ready,
        awaiting,
        suspended,
        expired,
        out_of_scope,
        learning,
        elsewhere,
        decision,
    )
