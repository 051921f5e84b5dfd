"""A department where each support worker stands somewhere different with cannulation, built
through the real services (sample framework: tests/frameworks/fixtures/minimal, where CANN is
optional for a senior CSW, outside a CSW's scope, needs A-1 first, 5 confirmed procedures, a
registrant assessor who holds it and a countersignature, and expires after 12 months).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people.models import Department, User
from portfolio.people.registers import RegisterType
from portfolio.signoff import services
from tests import factories
from tests.reckoner.shift import Shift

PREVIOUS_EMPLOYER = "Previous employer's cannulation record, seen by the practice educator"


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
    factories.registrant(radiographer, RegisterType.HCPC, "RA123456", "radiographer")
    nurse = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    factories.registrant(nurse, RegisterType.NMC, "12A3456E", "nurse")
    for assessor in (radiographer, nurse):
        factories.transcribed(session, assessor, "CANN", educator)

    def worker(name: str, job_role: JobRole = JobRole.SCSW, department: Department = mri) -> User:
        return factories.person(session, org, department=department, job_role=job_role, name=name)

    ready = worker("Riley Ready")
    awaiting = worker("Alex Awaiting")
    suspended = worker("Sasha Suspended")
    expired = worker("Eden Expired")
    out_of_scope = worker("Olly Outside", JobRole.CSW)
    learning = worker("Morgan Davies")
    elsewhere = worker("Casey Elsewhere", department=ct)

    decision = factories.signed_off(session, ready, radiographer, educator)
    factories.signed_off(session, awaiting, nurse, educator, countersign=False)
    held = factories.signed_off(session, suspended, radiographer, educator)
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
    factories.transcribed(session, expired, "A-1", educator)
    factories.transcribed(
        session, expired, "CANN", educator, days_ago=400, source=PREVIOUS_EMPLOYER
    )
    factories.transcribed(
        session, out_of_scope, "CANN", educator, days_ago=20, source=PREVIOUS_EMPLOYER
    )
    factories.evidence(session, learning)
    factories.signed_off(session, elsewhere, radiographer, educator)
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
