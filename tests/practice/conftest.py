"""A department with its IR(ME)R entitlement granter and MR Responsible Person, and people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people.models import Department, Organisation, User
from portfolio.practice.authorities import appoint_authority
from portfolio.practice.models import Authority
from tests import factories

TODAY = dt.date(2026, 6, 1)
GRANTED = dt.date(2026, 1, 5)
REVIEW = dt.date(2026, 12, 31)


@dataclass
class Trust:
    session: Session
    org: Organisation
    ward: Department
    granter: User  # holds the department's entitlement granter authority
    mr_lead: User  # the MR Responsible Person
    educator: User  # records on their behalf; holds no authority
    worker: User

    def auditor(self, actor: User | None = None):  # type: ignore[no-untyped-def]
        return factories.auditor(self.session, actor or self.educator)

    def person(self, **kwargs: object) -> User:
        return factories.person(
            self.session, self.org, department=self.ward, job_role=JobRole.AP, **kwargs
        )  # type: ignore[arg-type]


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


def audit_actions(session: Session, prefix: str) -> list[str]:
    return list(
        session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.startswith(prefix))
            .order_by(AuditEntry.seq)
        )
    )


def last_audit(session: Session, action: str) -> AuditEntry:
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq.desc())
    ).first()
    assert entry is not None, f"no {action} entry"
    return entry
