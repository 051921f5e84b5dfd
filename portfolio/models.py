"""Every model, imported in one place so the metadata is complete (for Alembic)."""

from __future__ import annotations

from portfolio.accounts.models import SignInAttempt
from portfolio.audit.models import AuditEntry, AuditHead
from portfolio.db import Base
from portfolio.evidence.models import (
    Attachment,
    EarliestEvidence,
    Evidence,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
)
from portfolio.frameworks.models import (
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    LocalPolicy,
    OperatorEntitlement,
    Pathway,
    PersonQualification,
    PlanItem,
    Post,
    PostCompetency,
    Qualification,
    Scope,
)
from portfolio.notices.models import EmailPreference, Notice, SignOffReminder
from portfolio.pdf.models import ExportedSignOff, PortfolioExport, VerificationCheck
from portfolio.people.models import (
    Appointment,
    Department,
    EducatorDepartment,
    Organisation,
    SupervisorAssignment,
    User,
    UserAccountRole,
)
from portfolio.signoff.models import (
    Revocation,
    SignOffDecision,
    SignOffEvidence,
    SignOffProcedure,
    SignOffRequest,
    SignOffRequestEvidence,
    Suspension,
)

metadata = Base.metadata

__all__ = [
    "Appointment",
    "Attachment",
    "AuditEntry",
    "AuditHead",
    "Competency",
    "Department",
    "EarliestEvidence",
    "EducatorDepartment",
    "EmailPreference",
    "Evidence",
    "EvidenceLink",
    "EvidenceVersion",
    "ExportedSignOff",
    "Framework",
    "FrameworkSource",
    "FrameworkVersion",
    "LocalPolicy",
    "Notice",
    "OperatorEntitlement",
    "Organisation",
    "Pathway",
    "PersonQualification",
    "PlanItem",
    "PortfolioExport",
    "Post",
    "PostCompetency",
    "ProcedureLine",
    "Qualification",
    "Revocation",
    "Scope",
    "SignInAttempt",
    "SignOffDecision",
    "SignOffEvidence",
    "SignOffProcedure",
    "SignOffReminder",
    "SignOffRequest",
    "SignOffRequestEvidence",
    "SupervisorAssignment",
    "Suspension",
    "User",
    "UserAccountRole",
    "VerificationCheck",
    "metadata",
]
