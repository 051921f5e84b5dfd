"""A portfolio as plain data: everything the PDF prints, and nothing the database knows.

Built by `pdf.queries` inside a request (or, later, a job), handed to `pdf.render` in a child
process. Only strings, numbers, dates and tuples of these: no ORM object, no session, no
Flask, so a render can run anywhere and the template cannot reach past what it was given.
Evidence text stays as typed; the renderer passes it through `evidence.text.render`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portfolio.pdf.rules import group_code
from portfolio.progress.rules import DomainProgress, Tally


@dataclass(frozen=True)
class Verification:
    code: str
    url: str  # where the QR code and the footer point: <public base>/verify/<code>

    @property
    def printed(self) -> str:
        """The code as printed for reading and typing: in groups of four."""
        return group_code(self.code)


@dataclass(frozen=True)
class Cover:
    name: str
    employee_number: str | None
    organisation: str
    job_role: str | None  # "Trainee assistant practitioner"
    post: str | None
    afc_band: str | None
    department: str | None
    supervisors: tuple[str, ...]
    frameworks: tuple[str, ...]  # "Care Certificate standards (2025) version 2025.1"
    generated_at: dt.datetime
    generated_by: str
    on: dt.date  # the day everything is judged on (Europe/London)


@dataclass(frozen=True)
class Summary:
    overall: Tally | None  # None: no job role, so no scope to count against
    by_domain: tuple[DomainProgress, ...]
    # ("Competent", 12), in the status table's order: the competencies `overall` counts, so
    # the table's rows add up to its total and "competent" plus "due" to its "done".
    by_status: tuple[tuple[str, int], ...]
    care_certificate: Tally | None
    # The optional rest of the scope (not counted in `overall`): how many may be practised.
    optional: Tally = field(default_factory=lambda: Tally(0, 0))


@dataclass(frozen=True)
class ScopeLine:
    """One competency of the current scope of practice: may they do it today, and how."""

    code: str
    title: str
    requirement: str  # "Core", "Core in this post", "In their plan", "Optional"
    may: bool
    supervision: str  # "Indirect supervision; Adults only", "" when they may not
    valid_until: dt.date | None
    reason: str


@dataclass(frozen=True)
class CompetencyLine:
    code: str
    title: str
    requirement: str
    status: str  # the status's value, for the print style ("competent", "expired", …)
    status_label: str
    reason: str


@dataclass(frozen=True)
class Domain:
    name: str
    competencies: tuple[CompetencyLine, ...]


@dataclass(frozen=True)
class SignOffLine:
    code: str
    title: str
    assessor: str
    profession: str | None
    register: str | None  # "Health and Care Professions Council (HCPC)"; None: not registered
    register_number: str | None
    register_checked_on: dt.date | None
    observed_on: dt.date
    recorded_on: dt.date
    supervision: str | None  # "Indirect supervision"
    conditions: tuple[str, ...]
    expires_on: dt.date | None  # None: does not expire
    countersignature: str  # "Not required", "Priya Patel, 3 March 2026", "Awaiting …"
    transcribed: bool
    transcribed_from: str | None
    how_signed: str
    assessed_against: str  # framework and policy version
    standing: str  # "In force", "Expired", "Suspended since …", … (`pdf.rules.standing`)


@dataclass(frozen=True)
class ProcedureEntry:
    performed_on: dt.date
    code: str
    title: str
    setting: str
    outcome: str
    witness: str
    confirmed: bool


@dataclass(frozen=True)
class Image:
    asset: str  # the name the fetcher serves it under
    filename: str


@dataclass(frozen=True)
class EvidenceEntry:
    kind: str
    title: str
    activity_on: dt.date
    version: int
    competencies: tuple[tuple[str, str], ...]  # (code, title)
    text: str  # as typed, in the small formatting subset
    images: tuple[Image, ...]
    files: tuple[tuple[str, str | None], ...]  # (file name, "Appendix A" when appended)


@dataclass(frozen=True)
class QualificationLine:
    title: str
    level: str  # "RQF level 3"
    status: str  # "Achieved 1 July 2025", "In progress", …


@dataclass(frozen=True)
class StandardLine:
    code: str
    title: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class Appendix:
    letter: str  # "A"
    filename: str
    evidence_title: str
    sha256: str  # the attachment's stored file


@dataclass(frozen=True)
class PortfolioDocument:
    cover: Cover
    verification: Verification
    summary: Summary
    scope: tuple[ScopeLine, ...]
    domains: tuple[Domain, ...]
    sign_offs: tuple[SignOffLine, ...]
    procedures: tuple[ProcedureEntry, ...]
    evidence: tuple[EvidenceEntry, ...]
    qualifications: tuple[QualificationLine, ...]
    care_certificate: tuple[StandardLine, ...] | None  # None: it does not apply to them
    appendices: tuple[Appendix, ...]
    # Competent and current on the day, for the public verify page: (code, title).
    signed_off: tuple[tuple[str, str], ...]
