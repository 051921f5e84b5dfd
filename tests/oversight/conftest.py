"""Two departments of one trust, built through the real services, for the oversight pages.

Frameworks: the sample framework (A-1 core and never expiring; CANN optional for senior CSWs,
reassessed every 12 months) and the shipped qualifications catalogue with its pathways.

Ward A (the department educator's reach) holds Morgan Davies (senior CSW in a post: A-1
signed off, CANN due for reassessment within the month, no qualification: the 6 months passed
long ago), Alex Reid (senior CSW: CANN expired last month, an apprenticeship start planned)
and a clinical support worker whose name is a spreadsheet formula (A-1 suspended today;
GCSEs achieved, so not on the qualifications list). Ward B holds Olu Outside, out of reach.
"""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from sqlalchemy.orm import Session

from portfolio.careers.services import (
    QualificationDetails,
    QualificationStatus,
    record_qualification,
)
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.frameworks import loading
from portfolio.frameworks.files import SHIPPED, FrameworkSet, read_set
from portfolio.frameworks.schema import QualificationFramework
from portfolio.people.models import User
from portfolio.signoff.models import SignOffDecision
from portfolio.standing.status import SupervisionLevel
from tests import factories
from tests.oversight.trust import FORMULA_NAME, Trust, move_to_post


def sign_off(session: Session, worker: User, code: str, by: User, days_ago: int) -> SignOffDecision:
    """A paper sign-off observed `days_ago` days ago, typed in today."""
    return factories.transcribed(
        session,
        worker,
        code,
        by,
        days_ago=days_ago,
        supervision=SupervisionLevel.INDIRECT,
        source="Trust training record, seen by the practice educator",
    )


def qualification(
    session: Session,
    person: User,
    code: str,
    status: QualificationStatus,
    by: User,
    planned: dt.date | None = None,
) -> None:
    record_qualification(
        factories.auditor(session, by),
        person,
        QualificationDetails(
            title=code.replace("-", " ").capitalize(),
            framework=QualificationFramework.RQF,
            level=3,
            status=status,
            qualification_code=code,
            achieved_on=dt.date(2020, 8, 20) if status is QualificationStatus.ACHIEVED else None,
            planned_start_on=planned,
        ),
        today=today(),
    )


@functools.cache
def _frameworks() -> FrameworkSet:
    """Read once per test process: parsing the catalogue is most of a test's set-up."""
    return read_set(
        [factories.FIXTURES / "minimal" / "sample.yaml", SHIPPED / "qualifications.yaml"]
    )


@pytest.fixture
def trust(session: Session) -> Trust:
    org = factories.organisation(session)
    loading.load(factories.auditor(session), _frameworks())
    ward = factories.department(session, org, "Ward A")
    other = factories.department(session, org, "Ward B")
    post = factories.post(session, ward, "Plain film senior CSW")
    educator = factories.person(
        session, org, AccountRole.EDUCATOR, name="Pat Educator", reach=[ward]
    )
    whole = factories.person(
        session, org, AccountRole.EDUCATOR, name="Priya Patel", reach_whole_organisation=True
    )
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    admin = factories.person(session, org, AccountRole.ADMIN, name="Alex Morgan")
    morgan = factories.person(
        session, org, department=ward, job_role=JobRole.SCSW, name="Morgan Davies"
    )
    move_to_post(session, morgan, post, ward)
    alex = factories.person(session, org, department=ward, job_role=JobRole.SCSW, name="Alex Reid")
    formula = factories.person(
        session, org, department=ward, job_role=JobRole.CSW, name=FORMULA_NAME
    )
    outsider = factories.person(
        session, org, department=other, job_role=JobRole.CSW, name="Olu Outside"
    )

    sign_off(session, morgan, "A-1", educator, 400)
    sign_off(session, morgan, "CANN", educator, 350)  # 12 months: due within the month
    sign_off(session, alex, "CANN", educator, 400)  # expired about a month ago
    sign_off(session, outsider, "A-1", educator, 30)
    suspended = sign_off(session, formula, "A-1", educator, 100)
    factories.suspension(session, suspended, educator, reason="Long absence")
    qualification(session, formula, "gcse-9-4", QualificationStatus.ACHIEVED, admin)
    qualification(
        session,
        alex,
        "senior-hcsw-apprenticeship",
        QualificationStatus.PLANNED,
        admin,
        planned=today() + dt.timedelta(days=40),
    )
    qualification(session, morgan, "gcse-9-4", QualificationStatus.ACHIEVED, admin)  # level 2 only
    session.flush()
    return Trust(
        org, ward, other, post, educator, whole, supervisor, admin, morgan, alex, formula, outsider
    )
