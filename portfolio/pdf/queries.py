"""Reading a worker's whole portfolio as a `PortfolioDocument`, in a fixed number of queries
however many competencies, sign-offs, procedures and pieces of evidence it holds.

It reuses what the pages already read: progress and statuses (`progress.queries`, over the
three-statement `signoff.queries.histories`), the printable current scope
(`reckoner.queries.scope_answers`), procedures and qualifications (`evidence.queries`,
`careers.queries`); sign-offs, evidence with its text and files, and supervisors each come in
one more statement or two.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from portfolio.careers.queries import qualifications_of
from portfolio.core.roles import PROFESSIONS, job_role_title
from portfolio.evidence.attachments import JPEG, PDF, PNG
from portfolio.evidence.models import Attachment, EvidenceLink, EvidenceVersion
from portfolio.evidence.queries import latest_versions, procedures_of
from portfolio.frameworks import queries as frameworks
from portfolio.pdf import rules
from portfolio.pdf.document import (
    Appendix,
    CompetencyLine,
    Cover,
    Domain,
    EvidenceEntry,
    Image,
    PortfolioDocument,
    ProcedureEntry,
    QualificationLine,
    ScopeLine,
    SignOffLine,
    StandardLine,
    Summary,
    Verification,
)
from portfolio.people.models import SupervisorAssignment, User
from portfolio.people.queries import appointment_on
from portfolio.people.registers import RegisterType
from portfolio.progress.queries import worker_progress
from portfolio.progress.rules import Tally
from portfolio.reckoner.queries import scope_answers
from portfolio.reckoner.standings import Options
from portfolio.signoff.models import Authentication, Revocation, SignOffDecision, Suspension
from portfolio.standing.status import Outcome, Status, long_date

_QUALIFICATION_STATUS = {
    "in_progress": "In progress",
    "planned": "Planned",
    "waiting_list": "On a waiting list",
}


@dataclass(frozen=True)
class StoredFile:
    """A file the render needs from the attachment store: an image shown, or an appendix."""

    asset: str  # the fetcher's name for an image; "" for an appendix
    sha256: str
    media_type: str


@dataclass(frozen=True)
class Portfolio:
    document: PortfolioDocument
    images: tuple[StoredFile, ...]


def portfolio(
    session: Session,
    worker: User,
    *,
    on: dt.date,
    generated_at: dt.datetime,
    generated_by: str,
    verification: Verification,
    due_window_days: int,
    with_appendices: bool,
) -> Portfolio:
    appointment = appointment_on(session, worker.id, on)
    competencies = frameworks.current_competencies(session)
    titles = {code: view.title for code, view in competencies.items()}
    progress = worker_progress(
        session, worker, on, due_window_days=due_window_days, appointment=appointment
    )
    answers = scope_answers(
        session, worker.id, on, options=Options(due_window_days=due_window_days)
    )
    scope_rows = progress.scope.rows if progress.scope else []
    statuses = progress.statuses
    evidence, files = _evidence(session, worker.id, titles, with_appendices)
    cover = Cover(
        name=worker.name,
        employee_number=worker.employee_number,
        organisation=worker.organisation.name,
        job_role=job_role_title(appointment.job_role, appointment.trainee) if appointment else None,
        post=appointment.post.name if appointment and appointment.post else None,
        afc_band=appointment.afc_band if appointment else None,
        department=appointment.department.name if appointment else None,
        supervisors=_supervisors(session, worker.id, on),
        frameworks=tuple(
            f"{item.title}, version {item.version}"
            for item in frameworks.versions(session)
            if item.is_current
        ),
        generated_at=generated_at,
        generated_by=generated_by,
        on=on,
    )
    domains: dict[str, list[CompetencyLine]] = {}
    shown = progress.shown
    for row in scope_rows:
        status = statuses[row.code]
        differs = shown.get(row.code)
        domains.setdefault(row.domain, []).append(
            CompetencyLine(
                row.code,
                row.title,
                row.requirement.label,
                differs.code if differs else status.status.value,
                differs.text if differs else status.status.label,
                status.reason(),
            )
        )
    # The status table counts the same competencies as the "n of m" line (core, core in the
    # post and the plan), as each is shown (a lapsed prerequisite named); the optional rest
    # are counted on a line of their own.
    scope = progress.scope
    counted = scope.counted if scope else []
    counts = Counter(
        shown[row.code].label if row.code in shown else statuses[row.code].status.label
        for row in counted
    )
    optional = scope.optional if scope else []
    standards = progress.care_certificate
    document = PortfolioDocument(
        cover=cover,
        verification=verification,
        summary=Summary(
            overall=progress.progress.overall if progress.progress else None,
            by_domain=progress.progress.by_domain if progress.progress else (),
            by_status=tuple((label, count) for label, count in _in_status_order(counts)),
            optional=Tally(
                sum(
                    1
                    for row in optional
                    if statuses[row.code].may_practise
                    and not (row.code in shown and shown[row.code].lapsed)
                ),
                len(optional),
            ),
            care_certificate=Tally(
                sum(1 for row in standards if row.status.may_practise), len(standards)
            )
            if standards
            else None,
        ),
        scope=tuple(
            ScopeLine(
                row.code,
                row.title,
                row.requirement,
                row.answer.may,
                row.answer.supervision_text,
                row.answer.valid_until,
                row.answer.reason,
            )
            for row in answers.rows
        ),
        domains=tuple(Domain(name, tuple(lines)) for name, lines in domains.items()),
        sign_offs=_sign_offs(session, worker.id, titles, on),
        procedures=tuple(
            ProcedureEntry(
                line.performed_on,
                line.competency_code,
                titles.get(line.competency_code, line.competency_code),
                line.setting,
                line.outcome.label,
                line.witness,
                line.confirmed_at is not None,
            )
            for line in procedures_of(session, worker.id)
        ),
        evidence=evidence,
        qualifications=tuple(
            QualificationLine(
                row.title,
                f"{row.framework.upper()} level {row.level}",
                f"Achieved {long_date(row.achieved_on)}"
                if row.status == "achieved" and row.achieved_on
                else _QUALIFICATION_STATUS.get(row.status, row.status.capitalize())
                + (f", to start {long_date(row.planned_start_on)}" if row.planned_start_on else ""),
            )
            for row in qualifications_of(session, worker.id)
        ),
        care_certificate=tuple(
            StandardLine(row.code, row.title, row.status.status.label, row.status.reason())
            for row in standards
        )
        if standards
        else None,
        appendices=tuple(files.appendices),
        signed_off=tuple(
            (code, titles.get(code, code))
            for code, status in sorted(statuses.items())
            if status.may_practise
        ),
    )
    return Portfolio(document, tuple(files.images))


def _supervisors(session: Session, worker_id: int, on: dt.date) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(User.name)
            .join(SupervisorAssignment, SupervisorAssignment.supervisor_id == User.id)
            .where(
                SupervisorAssignment.worker_id == worker_id,
                SupervisorAssignment.starts_on <= on,
                or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= on),
            )
            .order_by(func.lower(User.name))
        )
    )


def _sign_offs(
    session: Session, worker_id: int, titles: dict[str, str], on: dt.date
) -> tuple[SignOffLine, ...]:
    """Every competent decision recorded by `on`, newest observation first: three statements."""
    decisions = session.scalars(
        select(SignOffDecision)
        .where(
            SignOffDecision.worker_id == worker_id,
            SignOffDecision.outcome == Outcome.COMPETENT,
            SignOffDecision.recorded_on <= on,
        )
        .order_by(SignOffDecision.observed_on.desc(), SignOffDecision.id.desc())
    ).all()
    ids = [decision.id for decision in decisions] or [-1]
    suspended: dict[int, dt.date] = {}
    for decision_id, starts_on, reinstated_on in session.execute(
        select(Suspension.decision_id, Suspension.starts_on, Suspension.reinstated_on).where(
            Suspension.decision_id.in_(ids)
        )
    ):
        if starts_on <= on and (reinstated_on is None or on < reinstated_on):
            suspended[decision_id] = min(starts_on, suspended.get(decision_id, starts_on))
    # A comprehension, not dict(result): a Result has .keys() and would be taken as a mapping.
    revoked = {  # noqa: C416
        decision_id: revoked_on
        for decision_id, revoked_on in session.execute(
            select(Revocation.decision_id, Revocation.revoked_on).where(
                Revocation.decision_id.in_(ids)
            )
        )
    }
    newest: dict[str, dt.date] = {}
    lines = []
    for decision in decisions:  # newest first: a later sign-off renews this one
        renewed_on = newest.get(decision.competency_code)
        newest.setdefault(decision.competency_code, decision.observed_on)
        registered = decision.assessor_register is not RegisterType.NONE
        lines.append(
            SignOffLine(
                code=decision.competency_code,
                title=titles.get(decision.competency_code, decision.competency_code),
                assessor=decision.assessor_name,
                profession=PROFESSIONS.get(decision.assessor_profession or "")
                or decision.assessor_profession,
                register=decision.assessor_register.label if registered else None,
                register_number=decision.assessor_register_number,
                register_checked_on=decision.assessor_register_checked_on,
                observed_on=decision.observed_on,
                recorded_on=decision.recorded_on,
                supervision=decision.supervision.label if decision.supervision else None,
                conditions=decision.condition_labels,
                expires_on=decision.expires_on,
                countersignature=_countersignature(decision, on),
                transcribed=decision.authentication is Authentication.TRANSCRIBED,
                transcribed_from=decision.transcribed_source,
                how_signed=decision.authentication.label,
                assessed_against=_assessed_against(decision),
                standing=rules.standing(
                    on=on,
                    expires_on=decision.expires_on,
                    countersignature_required=decision.countersignature_required,
                    countersigned_on=decision.countersigned_on,
                    suspended_since=suspended.get(decision.id),
                    revoked_on=revoked.get(decision.id),
                    renewed_on=renewed_on if renewed_on != decision.observed_on else None,
                ),
            )
        )
    return tuple(lines)


def _countersignature(decision: SignOffDecision, on: dt.date) -> str:
    if not decision.countersignature_required:
        return "Not required"
    if decision.countersigned_on is not None and decision.countersigned_on <= on:
        return f"{decision.countersigner_name}, {long_date(decision.countersigned_on)}"
    return "Awaiting a practice educator"


def _assessed_against(decision: SignOffDecision) -> str:
    policy = (
        f"local policy version {decision.policy_version} ({decision.policy_title})"
        if decision.policy_version
        else "the framework's default rule"
    )
    return f"Framework {decision.framework_code} version {decision.framework_version}; {policy}"


@dataclass
class _Files:
    images: list[StoredFile]
    appendices: list[Appendix]


def _evidence(
    session: Session, worker_id: int, titles: dict[str, str], with_appendices: bool
) -> tuple[tuple[EvidenceEntry, ...], _Files]:
    """The latest version of each piece of evidence, newest activity first, with its links
    and files: three statements."""
    versions = session.scalars(
        latest_versions(worker_id).order_by(
            EvidenceVersion.activity_on.desc(), EvidenceVersion.evidence_id.desc()
        )
    ).all()
    ids = [version.id for version in versions] or [-1]
    links: dict[int, list[str]] = {}
    for version_id, code in session.execute(
        select(EvidenceLink.version_id, EvidenceLink.competency_code)
        .where(EvidenceLink.version_id.in_(ids))
        .order_by(EvidenceLink.competency_code)
    ):
        links.setdefault(version_id, []).append(code)
    attachments: dict[int, list[tuple[str, str, str]]] = {}
    for version_id, sha256, media_type, filename in session.execute(
        select(Attachment.version_id, Attachment.sha256, Attachment.media_type, Attachment.filename)
        .where(Attachment.version_id.in_(ids))
        .order_by(Attachment.id)
    ):
        attachments.setdefault(version_id, []).append((sha256, media_type, filename))
    files = _Files([], [])
    entries = []
    for version in versions:
        images: list[Image] = []
        named: list[tuple[str, str | None]] = []
        for sha256, media_type, filename in attachments.get(version.id, []):
            if media_type in (PNG, JPEG):
                asset = f"attachment/{sha256}"
                images.append(Image(asset, filename))
                files.images.append(StoredFile(asset, sha256, media_type))
            elif media_type == PDF and with_appendices:
                letter = rules.appendix_letter(len(files.appendices))
                files.appendices.append(Appendix(letter, filename, version.title, sha256))
                named.append((filename, f"Appendix {letter}"))
            else:
                named.append((filename, None))
        entries.append(
            EvidenceEntry(
                kind=version.kind.label,
                title=version.title,
                activity_on=version.activity_on,
                version=version.number,
                competencies=tuple(
                    (code, titles.get(code, code)) for code in links.get(version.id, [])
                ),
                text=version.body,
                images=tuple(images),
                files=tuple(named),
            )
        )
    return tuple(entries), files


def _in_status_order(counts: Counter[str]) -> list[tuple[str, int]]:
    """Each status shown, in the statuses' own order, a lapsed prerequisite after its own."""
    order = {label: index for index, label in enumerate(status.label for status in Status)}
    return sorted(
        counts.items(), key=lambda item: (order.get(item[0].split(",")[0], len(order)), item[0])
    )
