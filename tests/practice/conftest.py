"""The practice tests' fixture: a small trust with its granters."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole, JobRole
from portfolio.practice.authorities import appoint_authority
from portfolio.practice.models import Authority
from tests import factories
from tests.practice.records import Trust


@pytest.fixture
def trust(session: Session) -> Trust:
    org = factories.organisation(session)
    ward = factories.department(session, org, "General radiography")
    granter = factories.person(session, org, AccountRole.SUPERVISOR, name="Dr Ada Lovelace")
    mr_lead = factories.person(session, org, AccountRole.SUPERVISOR, name="Mo Rahman")
    educator = factories.person(session, org, AccountRole.EDUCATOR, name="Priya Patel")
    worker = factories.person(session, org, department=ward, job_role=JobRole.AP, name="Kim Lee")
    auditor = factories.auditor(session, educator)
    start = dt.date(2025, 1, 1)
    appoint_authority(auditor, ward, granter, Authority.ENTITLEMENT_GRANTER, starts_on=start)
    appoint_authority(auditor, ward, mr_lead, Authority.MR_RESPONSIBLE_PERSON, starts_on=start)
    return Trust(session, org, ward, granter, mr_lead, educator, worker)
