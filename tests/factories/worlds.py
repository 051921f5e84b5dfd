"""Small worlds many tests start from, each built from the other builders.

`sign_off_world`: a department ready for cannulation sign-off. Sample framework
(tests/frameworks/fixtures/minimal): A-1 is core and any competent colleague assesses it;
CANN needs 5 confirmed procedures, A-1 first, a registered radiographer or nurse who is signed
off in CANN themselves, and a countersignature; it expires after 12 months.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole, JobRole
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterType
from tests.factories.evidence import evidence
from tests.factories.people import department, frameworks, organisation, person, registrant
from tests.factories.signoffs import transcribed


@dataclass
class SignOffWorld:
    """The people and records the sign-off tests start from."""

    org: Organisation
    ward: Department
    radiographer: User  # HCPC, signed off in CANN on paper
    nurse: User  # NMC, signed off in CANN on paper
    educator: User  # the ward in reach
    worker: User  # Morgan Davies, senior CSW: A-1 on paper, the cannulation study day logged
    evidence_id: int


def sign_off_world(session: Session) -> SignOffWorld:
    org = organisation(session)
    frameworks(session, "minimal")
    ward = department(session, org)
    educator = person(session, org, AccountRole.EDUCATOR, name="Pat Educator", reach=[ward])
    radiographer = person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    registrant(radiographer, RegisterType.HCPC, "RA123456", "radiographer")
    nurse = person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    registrant(nurse, RegisterType.NMC, "12A3456E", "nurse")
    worker = person(session, org, department=ward, job_role=JobRole.SCSW, name="Morgan Davies")
    for assessor in (radiographer, nurse):
        transcribed(session, assessor, "CANN", educator)
    # A-1, the prerequisite, signed off by a colleague on paper too.
    transcribed(session, worker, "A-1", educator)
    saved = evidence(session, worker)
    session.flush()
    return SignOffWorld(org, ward, radiographer, nurse, educator, worker, saved.id)
