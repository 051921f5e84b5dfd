"""A trust to import staff into: two departments, a post, a supervisor, an administrator."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole, JobRole
from tests import factories
from tests.onboarding.staff_files import Trust


@pytest.fixture
def trust(session: Session) -> Trust:
    from portfolio.frameworks.services import save_post

    org = factories.organisation(session)
    mri = factories.department(session, org, "MRI")
    plain_film = factories.department(session, org, "General radiography")
    post = save_post(
        factories.auditor(session),
        mri,
        name="MRI senior CSW",
        job_role=JobRole.SCSW,
        core_codes=(),
        optional_in_scope=(),
    )
    supervisor = factories.person(
        session, org, AccountRole.SUPERVISOR, name="Sam Okafor", email="sam.okafor@trust.example"
    )
    educator = factories.person(
        session, org, AccountRole.EDUCATOR, name="Priya Patel", email="priya@trust.example"
    )
    admin = factories.person(session, org, AccountRole.ADMIN, email="admin@trust.example")
    supervisor.employee_number = "90001"
    session.flush()
    return Trust(org, mri, plain_film, post, supervisor, educator, admin)
