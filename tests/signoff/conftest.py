"""A small department ready for cannulation sign-off, built through the real services.

Sample framework (tests/frameworks/fixtures/minimal): A-1 is core and any competent colleague
assesses it; CANN needs 5 confirmed procedures, A-1 first, a registered radiographer or nurse
who is signed off in CANN themselves, and a countersignature; it expires after 12 months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence import services as evidence
from portfolio.evidence.models import EvidenceKind, ProcedureLine, ProcedureOutcome
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterCheckResult, RegisterType
from portfolio.signoff import queries, services
from portfolio.signoff.status import SupervisionLevel
from tests import factories


@dataclass
class SignOffWorld:
    """The people and records the sign-off tests start from."""

    org: Organisation
    ward: Department
    radiographer: User
    nurse: User
    educator: User
    worker: User
    evidence_id: int


def registrant(user: User, register: RegisterType, number: str, profession: str) -> None:
    user.register, user.register_number, user.profession = register, number, profession
    user.register_checked_on = today() - dt.timedelta(days=30)
    user.register_check_result = RegisterCheckResult.REGISTERED


def transcribed(session: Session, person: User, code: str, by: User, *, days_ago: int = 20) -> None:
    """A current sign-off held on paper (how a trust's first assessors come in)."""
    context = queries.sign_off_context(session, person, code, today(), due_window_days=60)
    assert context is not None
    services.transcribe(
        factories.auditor(session, by),
        by,
        context,
        services.TranscribedDetails(
            observed_on=today() - dt.timedelta(days=days_ago),
            supervision=SupervisionLevel.REMOTE,
            condition_codes=frozenset(),
            assessor_name="Vascular access team",
            assessor_profession=None,
            source="Trust cannulation training record, seen by the practice educator",
        ),
        on=today(),
    )


def confirmed_procedures(session: Session, worker: User, witness: User, count: int) -> None:
    for day in range(count):
        session.add(
            ProcedureLine(
                worker_id=worker.id,
                competency_code="CANN",
                performed_on=today() - dt.timedelta(days=day + 1),
                setting="CT",
                outcome=ProcedureOutcome.SUCCESSFUL,
                witness_id=witness.id,
                confirmed_at=utcnow(),
                confirmed_by="password",
            )
        )
    session.flush()


@pytest.fixture
def department(session: Session) -> SignOffWorld:
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    educator = factories.person(
        session, org, AccountRole.EDUCATOR, name="Pat Educator", reach=[ward]
    )
    radiographer = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    registrant(radiographer, RegisterType.HCPC, "RA123456", "radiographer")
    nurse = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    registrant(nurse, RegisterType.NMC, "12A3456E", "nurse")
    worker = factories.person(
        session, org, department=ward, job_role=JobRole.SCSW, name="Morgan Davies"
    )
    for assessor in (radiographer, nurse):
        transcribed(session, assessor, "CANN", educator)
    # A-1, the prerequisite, signed off by a colleague on paper too.
    transcribed(session, worker, "A-1", educator)
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
    return SignOffWorld(org, ward, radiographer, nurse, educator, worker, saved.id)
