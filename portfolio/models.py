"""Every model, imported in one place so the metadata is complete (for Alembic)."""

from __future__ import annotations

from portfolio.accounts.models import PasswordLink, SignInAttempt
from portfolio.api.models import ApiToken
from portfolio.audit.models import AuditEntry, AuditHead
from portfolio.cohorts.models import CohortExport, CohortPortfolio
from portfolio.core.db import Base
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
from portfolio.leavers.models import PortfolioImport
from portfolio.notices.models import EmailPreference, Notice, SignOffReminder
from portfolio.onboarding.models import StaffUpload
from portfolio.pdf.models import ExportedSignOff, PortfolioExport
from portfolio.people.models import (
    Appointment,
    Department,
    EducatorDepartment,
    Organisation,
    RegistrationReview,
    SupervisorAssignment,
    User,
    UserAccountRole,
)
from portfolio.practice.models import (
    AppointmentSite,
    AssessorListEntry,
    Designation,
    DesignationVersion,
    EntitlementExamination,
    EntitlementVersion,
    IrmerEntitlement,
    PracticeAuthority,
    Preceptorship,
    Site,
    SiteModelRecord,
)
from portfolio.ratelimit.models import RateLimitHit
from portfolio.redaction.models import Redaction
from portfolio.signoff.models import (
    MinimumOverride,
    Revocation,
    SignOffDecision,
    SignOffDispute,
    SignOffEvidence,
    SignOffLink,
    SignOffProcedure,
    SignOffRequest,
    SignOffRequestEvidence,
    Suspension,
)

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Appointment",
    "AppointmentSite",
    "AssessorListEntry",
    "Attachment",
    "AuditEntry",
    "AuditHead",
    "CohortExport",
    "CohortPortfolio",
    "Competency",
    "Department",
    "Designation",
    "DesignationVersion",
    "EarliestEvidence",
    "EducatorDepartment",
    "EmailPreference",
    "EntitlementExamination",
    "EntitlementVersion",
    "Evidence",
    "EvidenceLink",
    "EvidenceVersion",
    "ExportedSignOff",
    "Framework",
    "FrameworkSource",
    "FrameworkVersion",
    "IrmerEntitlement",
    "LocalPolicy",
    "MinimumOverride",
    "Notice",
    "OperatorEntitlement",
    "Organisation",
    "PasswordLink",
    "Pathway",
    "PersonQualification",
    "PlanItem",
    "PortfolioExport",
    "PortfolioImport",
    "Post",
    "PostCompetency",
    "PracticeAuthority",
    "Preceptorship",
    "ProcedureLine",
    "Qualification",
    "RateLimitHit",
    "Redaction",
    "RegistrationReview",
    "Revocation",
    "Scope",
    "SignInAttempt",
    "SignOffDecision",
    "SignOffDispute",
    "SignOffEvidence",
    "SignOffLink",
    "SignOffProcedure",
    "SignOffReminder",
    "SignOffRequest",
    "SignOffRequestEvidence",
    "Site",
    "SiteModelRecord",
    "StaffUpload",
    "SupervisorAssignment",
    "Suspension",
    "User",
    "UserAccountRole",
    "metadata",
]
