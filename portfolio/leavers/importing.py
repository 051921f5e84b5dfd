"""Bringing a person's export from another organisation in, all or nothing.

First the whole file is checked, and every problem is listed by file, item and field before
anything is written: the format and version, each attachment against the SHA-256 and size
the manifest gives it and by its content (as an evidence upload is), the sizes, the lengths
of texts against the columns that hold them, no procedure dated after today, and all free
text (the source organisation's name too) for patient identifiers. Only then does it write,
in the caller's one transaction: the person (chosen by email, or added), their evidence (the
latest version of each, with its files, marked with where it came from), their confirmed
supervised procedures, their sign-offs as a previous employer's transcribed records that
count only once accepted here (`leavers.rules` says which and why), and their qualifications
as recorded (not verified here). What does not come in is listed in the report, with the
reason. Importing the same export into the same organisation again changes nothing: it is
recognised by the export's own id.

The export is the person's own file, and they can edit it (its manifest is inside it), so
nothing in it is taken on trust: a sign-off brought in lets nobody practise until an educator
or administrator here accepts it on one practice observed on local equipment.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from typing import IO

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.careers import services as careers
from portfolio.core.clock import long_date, utcnow
from portfolio.core.errors import MultipleFieldError
from portfolio.core.roles import AccountRole
from portfolio.evidence import services as evidence_services
from portfolio.evidence.attachments import (
    AttachmentStore,
)
from portfolio.evidence.models import Attachment, EvidenceKind, ProcedureLine, ProcedureOutcome
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.schema import QualificationFramework
from portfolio.leavers import checks, rules
from portfolio.leavers import document as doc
from portfolio.leavers.models import PortfolioImport
from portfolio.people import services as people
from portfolio.people.models import Organisation, User
from portfolio.people.registers import RegisterType
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff import services as signoff
from portfolio.standing.status import SupervisionLevel


class AlreadyImportedError(Exception):
    def __init__(self, previous: PortfolioImport, person: User) -> None:
        super().__init__("already imported")
        self.previous = previous
        self.person = person


@dataclass
class ImportReport:
    source_organisation: str
    exported_at: str
    brought_in: dict[str, int] = field(default_factory=dict)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (what, why)
    unknown_competencies: list[str] = field(default_factory=list)

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> ImportReport:
        data = json.loads(text)
        data["left_out"] = [tuple(item) for item in data["left_out"]]
        return cls(**data)


@dataclass(frozen=True)
class ImportOutcome:
    person: User
    created: bool
    temporary_password: str | None  # for a person added by the import: shown once
    report: ImportReport
    record: PortfolioImport
    # Removes the files stored for it that no record names, if the unit of work rolls back
    # (`unit_of_work.on_rollback` runs it after the rollback).
    undo: Callable[[], None]


def _person(
    session: Session, organisation: Organisation, email: str, name: str | None
) -> tuple[User | None, list[checks.Problem]]:
    address = email.strip().lower()
    if not address:
        return None, [checks.Problem("email", "Enter the person's email address here")]
    found = session.scalar(select(User).where(func.lower(User.email) == address))
    if found is None:
        return None, []
    if found.organisation_id != organisation.id:
        return None, [
            checks.Problem("email", "Someone in another organisation has this email address")
        ]
    if not found.has_role(AccountRole.SUPPORT_WORKER):
        return None, [checks.Problem("email", f"{found.name} is not a support worker here")]
    if not found.active:
        return None, [checks.Problem("email", f"{found.name} has left: reactivate them first")]
    return found, []


def import_portfolio(
    auditor: Auditor,
    archive: IO[bytes],
    *,
    organisation: Organisation,
    by: User,
    email: str,
    name: str | None,
    store: AttachmentStore,
    limits: checks.Limits,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> ImportOutcome:
    """Check everything, then bring it in (flushing, never committing). Raises
    ImportRefusedError with every problem, or AlreadyImportedError, having changed nothing."""
    session = auditor.session
    opened, document = checks.read_archive(archive, limits)
    previous = session.scalar(
        select(PortfolioImport).where(
            PortfolioImport.organisation_id == organisation.id,
            PortfolioImport.export_id == document.export_id,
        )
    )
    if previous is not None:
        raise AlreadyImportedError(previous, session.get_one(User, previous.person_id))
    problems: list[checks.Problem] = []
    to_confirm: list[str] = []
    checks.check_values(document, problems, today=today)
    checks.check_lengths(document, problems)
    checks.guard_text(checks.free_text(document), confirmed, problems, to_confirm)
    person, found = _person(session, organisation, email, name)
    problems += found
    if person is None and not found:
        if not (name or document.person.name).strip():
            problems.append(checks.Problem("name", "Enter the person's name"))
        checks.check_person(email, name, document, problems)
    if person is not None and person.id == by.id:
        problems.append(checks.Problem("email", "Nobody can bring in their own portfolio"))
    checked = checks.check_attachments(
        opened, document, store, limits, confirmed, problems, to_confirm
    )

    def undo() -> None:
        _remove_unused(session, store, checked.created)

    if problems:
        undo()
        raise checks.ImportRefusedError(problems, to_confirm)
    # A savepoint, so that if bringing in fails the rows it flushed are gone before `undo`
    # asks whether anything names the files (a savepoint is not a commit: the unit of work commits).
    try:
        with session.begin_nested():
            outcome = _bring_in(
                auditor,
                document,
                checked,
                organisation=organisation,
                by=by,
                person=person,
                email=email,
                name=name,
                today=today,
                limits=limits,
                confirmed=confirmed,
                undo=undo,
            )
    except BaseException:
        undo()  # after the savepoint is rolled back
        raise
    return outcome


def _remove_unused(session: Session, store: AttachmentStore, created: Collection[str]) -> None:
    """Take back the files this import stored, except any a record names.

    The store holds each content once: a file this import created may since have been stored
    again for another record (an upload of the same picture), whose row then needs it. When
    the question cannot be asked, the files stay: a file nobody names is harmless, a record
    whose file has gone is not."""
    if not created:
        return
    try:
        named = set(
            session.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(created)))
        )
    except SQLAlchemyError:
        return
    for sha256 in created:
        if sha256 not in named:
            store.remove(sha256)


def _bring_in(
    auditor: Auditor,
    document: doc.Document,
    checked: checks.Checked,
    *,
    organisation: Organisation,
    by: User,
    person: User | None,
    email: str,
    name: str | None,
    today: dt.date,
    limits: checks.Limits,
    confirmed: Collection[str],
    undo: Callable[[], None],
) -> ImportOutcome:
    session = auditor.session
    source = document.source.organisation
    exported_on = document.exported_at.date()
    report = ImportReport(source, document.exported_at.isoformat())
    password = None
    created = person is None
    if person is None:
        person, password = people.create_person(
            auditor,
            organisation,
            people.PersonDetails(
                name=(name or document.person.name).strip(),
                email=email,
                roles=frozenset({AccountRole.SUPPORT_WORKER}),
                employee_number=None,
            ),
        )
    known = frameworks.current_competencies(session)
    unknown: set[str] = set()
    counts = {"evidence": 0, "attachments": 0, "procedures": 0, "sign_offs": 0, "qualifications": 0}

    for item in document.evidence:
        latest = item.latest
        codes = [code for code in latest.competencies if code in known]
        unknown |= set(latest.competencies) - set(known)
        what = f"Evidence {latest.title!r} ({long_date(latest.activity_on)})"
        if not codes:
            report.left_out.append(
                (what, "none of its competencies are in this installation's frameworks")
            )
            continue
        try:
            saved = evidence_services.save_evidence(
                auditor,
                person,
                evidence_services.EvidenceDetails(
                    kind=EvidenceKind(latest.kind),
                    title=latest.title,
                    activity_on=latest.activity_on,
                    body=rules.evidence_body(latest, organisation=source, exported_on=exported_on),
                    competency_codes=frozenset(codes),
                ),
                scope_codes=codes,
                today=today,
                confirmed=confirmed,
            )
        except evidence_services.EvidenceError as error:
            report.left_out.append((what, error.message))
            continue
        counts["evidence"] += 1
        for ref in latest.attachments:
            evidence_services.attach_stored(auditor, person, saved, checked.stored[ref.sha256])
            counts["attachments"] += 1

    for line in document.procedures:
        reason = rules.procedure_left_out(line, known=line.competency in known)
        unknown |= {line.competency} - set(known)
        if reason:
            report.left_out.append(
                (
                    f"Supervised procedure {line.competency} on {long_date(line.performed_on)}",
                    reason,
                )
            )
            continue
        _bring_in_procedure(auditor, person, line, source=source, exported_on=exported_on)
        counts["procedures"] += 1

    above_ceiling: list[checks.Problem] = []
    for index, sign_off in enumerate(document.sign_offs):
        what = f"Sign-off {sign_off.competency} observed {long_date(sign_off.observed_on)}"
        reason = rules.sign_off_left_out(
            sign_off,
            organisation=source,
            exported_on=exported_on,
            known=sign_off.competency in known,
        )
        unknown |= {sign_off.competency} - set(known)
        if reason is None:
            reason = _transcribe(
                auditor,
                by,
                person,
                sign_off,
                source=source,
                exported_on=exported_on,
                today=today,
                limits=limits,
                confirmed=confirmed,
                above_ceiling=above_ceiling,
                where=f"portfolio.json: sign_offs[{index}].supervision",
            )
        if reason is not None:
            report.left_out.append((what, reason))
        else:
            counts["sign_offs"] += 1

    if above_ceiling:  # a level this trust may not record: nothing is brought in
        raise checks.ImportRefusedError(above_ceiling)
    for qualification in document.qualifications:
        reason = _bring_in_qualification(auditor, person, qualification, today, confirmed)
        if reason is not None:
            report.left_out.append((f"Qualification {qualification.title!r}", reason))
        else:
            counts["qualifications"] += 1

    for what, rows, why in (
        ("IR(ME)R operator entitlements", document.entitlements, "the employer grants its own"),
        (
            "Optional competencies in the plan",
            document.plan,
            "a supervisor or educator here adds them",
        ),
        ("Job role history", document.job_roles, "record their job role here"),
        ("Supervisors", document.supervisors, "assign supervisors here"),
        (
            "Sign-off requests",
            document.sign_off_requests,
            "they belonged to the previous organisation",
        ),
    ):
        if rows:
            report.left_out.append((f"{what} ({len(rows)})", why))
    report.brought_in = counts
    report.unknown_competencies = sorted(unknown)
    record = PortfolioImport(
        organisation_id=organisation.id,
        export_id=document.export_id,
        person_id=person.id,
        source_organisation=source,
        exported_at=document.exported_at,
        imported_at=utcnow(),
        imported_by_id=auditor.actor_id,
        report=report.as_json(),
    )
    session.add(record)
    session.flush()
    auditor.record(
        "portfolio.imported",
        subject_type="user",
        subject_id=person.id,
        organisation_id=organisation.id,
        changes={
            "export_id": document.export_id,
            "source_organisation": source,
            "exported_at": document.exported_at.isoformat(),
            "person_created": created,
            **counts,
            "left_out": len(report.left_out),
            "unknown_competencies": report.unknown_competencies,
        },
    )
    return ImportOutcome(person, created, password, report, record, undo)


def _bring_in_procedure(
    auditor: Auditor, person: User, line: doc.Procedure, *, source: str, exported_on: dt.date
) -> None:
    row = ProcedureLine(
        worker_id=person.id,
        competency_code=line.competency,
        performed_on=line.performed_on,
        setting=line.setting.strip(),
        outcome=ProcedureOutcome(line.outcome),
        witness_id=None,
        witness_name=line.witness.strip(),
        imported_from=rules.procedure_origin(line, organisation=source, exported_on=exported_on),
        confirmed_at=line.confirmed_at,
        confirmed_by=(line.confirmed_by or "")[:40] or None,
    )
    auditor.session.add(row)
    auditor.session.flush()
    auditor.record(
        "procedure.imported",
        subject_type="procedure_line",
        subject_id=row.id,
        organisation_id=person.organisation_id,
        changes={
            "worker_id": person.id,
            "competency": line.competency,
            "performed_on": line.performed_on.isoformat(),
            "outcome": line.outcome,
            "source_organisation": source,
        },
    )


def _transcribe(
    auditor: Auditor,
    by: User,
    person: User,
    sign_off: doc.SignOff,
    *,
    source: str,
    exported_on: dt.date,
    today: dt.date,
    limits: checks.Limits,
    confirmed: Collection[str],
    above_ceiling: list[checks.Problem],
    where: str,
) -> str | None:
    """Bring one sign-off in as a previous employer's transcribed record, waiting for local
    acceptance; the reason when it cannot be. A level above the person's supervision ceiling
    here is a problem with the file (`where`), added to `above_ceiling`: the import is refused."""
    context = signoff_queries.sign_off_context(
        auditor.session, person, sign_off.competency, today, due_window_days=limits.due_window_days
    )
    if context is None:
        return f"{sign_off.competency} is not a competency in this installation's frameworks"
    conditions = {item.label: item.code for item in context.competency.definition.conditions}
    missing = rules.unknown_conditions(sign_off, conditions)
    if missing:
        return (
            f"its conditions ({', '.join(missing)}) are not conditions this installation's "
            "framework knows, and it would claim more without them"
        )
    try:
        signoff.transcribe(
            auditor,
            by,
            context,
            signoff.TranscribedDetails(
                observed_on=sign_off.observed_on,
                supervision=SupervisionLevel(sign_off.supervision),
                condition_codes=frozenset(conditions[label] for label in sign_off.conditions),
                assessor_name=sign_off.assessor.name,
                assessor_profession=sign_off.assessor.profession,
                source=rules.transcribed_source(
                    sign_off, organisation=source, exported_on=exported_on
                ),
                # The employer that made it, and the assessor's registration as they recorded
                # it: shown as written, never checked on the register here.
                previous_employer=rules.previous_employer(sign_off, organisation=source),
                assessor_register=_register(sign_off.assessor.register_type),
                assessor_register_number=sign_off.assessor.register_number,
                # Nobody here has seen it assessed or seen the original: it counts once an
                # educator or administrator here accepts it after a local observation.
                awaiting_acceptance=True,
            ),
            on=today,
            expires_by=sign_off.expires_on,
            confirmed=confirmed,
        )
    except signoff.SignOffError as error:
        found = error.errors if isinstance(error, MultipleFieldError) else [error]
        above = [
            checks.Problem(where, each.message) for each in found if each.field == "supervision"
        ]
        above_ceiling += above
        return None if above else error.message  # refused whole when above a ceiling
    return None


def _register(value: str | None) -> RegisterType:
    try:
        return RegisterType(value) if value else RegisterType.NONE
    except ValueError:  # a register this installation does not know: kept in the source text
        return RegisterType.NONE


def _bring_in_qualification(
    auditor: Auditor,
    person: User,
    qualification: doc.Qualification,
    today: dt.date,
    confirmed: Collection[str],
) -> str | None:
    try:
        framework = QualificationFramework(qualification.framework)
        status = careers.QualificationStatus(qualification.status)
        row = careers.record_qualification(
            auditor,
            person,
            careers.QualificationDetails(
                title=qualification.title,
                framework=framework,
                level=qualification.level,
                status=status,
                qualification_code=qualification.code,
                achieved_on=qualification.achieved_on,
                planned_start_on=qualification.planned_start_on,
            ),
            today=today,
            confirmed=confirmed,
        )
    except careers.CareerRecordError as error:
        return error.message
    except ValueError:
        return f"{qualification.framework!r} or {qualification.status!r} is not known here"
    # Nobody here has seen the certificate: it reads as self-reported until an educator or
    # administrator records it, and it qualifies nobody to assess.
    row.recorded_by_id = person.id
    auditor.session.flush()
    return None
