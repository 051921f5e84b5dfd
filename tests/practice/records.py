"""The practice tests' small trust and audit readers (fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.roles import JobRole
from portfolio.people.models import Department, Organisation, User
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
