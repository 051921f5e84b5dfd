"""Logging evidence and supervised procedures. Audited (without copying the text); services
flush and never commit. Anything that looks like a patient identifier stops the save, and
the form keeps everything typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.clock import utcnow
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.core.roles import AccountRole
from portfolio.evidence import events
from portfolio.evidence.attachments import AttachmentStore, CheckedFile
from portfolio.evidence.drafts import discard_draft
from portfolio.evidence.models import (
    Attachment,
    Evidence,
    EvidenceKind,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.people.models import User


class EvidenceError(FieldError):
    """A change that cannot be made, with the form field it belongs to."""


@dataclass(frozen=True)
class EvidenceDetails:
    kind: EvidenceKind
    title: str
    activity_on: dt.date
    body: str
    competency_codes: frozenset[str]


def save_evidence(
    auditor: Auditor,
    worker: User,
    details: EvidenceDetails,
    *,
    scope_codes: Collection[str],
    today: dt.date,
    confirmed: Collection[str] = (),
    evidence: Evidence | None = None,
) -> Evidence:
    """Create evidence, change its draft, or (once a decision has considered it) add a
    corrected version beside the old one, carrying its files forward. The worker's draft
    saved automatically for this form is deleted in the same transaction."""
    if details.activity_on > today:
        raise EvidenceError("activity_on", "The date of the activity must be today or before")
    if not details.competency_codes:
        raise EvidenceError("competency_codes", "Select at least one competency it shows")
    outside = sorted(set(details.competency_codes) - set(scope_codes))
    if outside:
        raise EvidenceError("competency_codes", f"{outside[0]} is not in your scope of practice")
    guard({"title": details.title, "body": details.body}, confirmed)
    session = auditor.session
    action = "evidence.updated"
    draft_of = None if evidence is None else evidence.id
    carried: int | None = None
    if evidence is None:
        evidence = Evidence(worker_id=worker.id, versions=[])
        session.add(evidence)
        version = EvidenceVersion(number=1, links=[])
        evidence.versions.append(version)
        action = "evidence.created"
    elif evidence.latest.frozen:
        previous = evidence.latest
        # The files stay with the evidence: new rows for the new version, the same stored
        # content (files are kept by content hash, so nothing is copied on disk).
        version = EvidenceVersion(
            number=previous.number + 1,
            links=[],
            attachments=[
                Attachment(
                    sha256=item.sha256,
                    media_type=item.media_type,
                    filename=item.filename,
                    size=item.size,
                    uploaded_at=item.uploaded_at,
                )
                for item in previous.attachments
            ],
        )
        carried = len(previous.attachments)
        evidence.versions.append(version)
        action = "evidence.corrected"
    else:
        version = evidence.latest
    version.kind = details.kind
    version.title = details.title.strip()
    version.activity_on = details.activity_on
    version.body = details.body.strip()
    version.updated_at = utcnow()
    version.links = [
        EvidenceLink(competency_code=code) for code in sorted(details.competency_codes)
    ]
    discard_draft(session, worker.id, draft_of)
    session.flush()
    changes: dict[str, object] = {
        "version": version.number,
        "kind": details.kind.value,
        "activity_on": details.activity_on.isoformat(),
        "competencies": sorted(details.competency_codes),
        "title": "(changed)",
        "text": "(changed)",
    }
    if carried is not None:
        changes["attachments_carried"] = carried
    auditor.record(
        action,
        subject_type="evidence",
        subject_id=evidence.id,
        organisation_id=worker.organisation_id,
        changes=changes,
    )
    return evidence


def add_attachment(
    auditor: Auditor,
    worker: User,
    evidence: Evidence,
    checked: CheckedFile,
    store: AttachmentStore,
    *,
    confirmed: Collection[str] = (),
) -> tuple[Attachment, Callable[[], None]]:
    """Attach a checked file to the evidence's current version.

    Returns the attachment and an undo for the stored file, for the caller to run if its
    unit of work rolls back (`unit_of_work.on_rollback`): a failed upload leaves neither a
    record nor an orphan file.
    """
    if evidence.latest.frozen:
        raise EvidenceError(
            "file", "A decision has considered this evidence: make a correction to add files"
        )
    guard({"file": checked.filename, "file_text": checked.text}, confirmed)
    sha256, created = store.put(checked.content)

    def undo() -> None:
        if created:
            store.remove(sha256)

    try:
        attachment = attach_stored(
            auditor,
            worker,
            evidence,
            StoredFile(sha256, checked.media_type, checked.filename, checked.size),
        )
    except BaseException:
        undo()
        raise
    return attachment, undo


@dataclass(frozen=True)
class StoredFile:
    """A checked file already in the attachment store."""

    sha256: str
    media_type: str
    filename: str
    size: int


def attach_stored(
    auditor: Auditor, worker: User, evidence: Evidence, stored: StoredFile
) -> Attachment:
    """Name a file already checked and stored on the evidence's current version."""
    attachment = Attachment(
        version_id=evidence.latest.id,
        sha256=stored.sha256,
        media_type=stored.media_type,
        filename=stored.filename,
        size=stored.size,
    )
    auditor.session.add(attachment)
    auditor.session.flush()
    auditor.record(
        "evidence.attachment_added",
        subject_type="evidence",
        subject_id=evidence.id,
        organisation_id=worker.organisation_id,
        changes={
            "attachment_id": attachment.id,
            "sha256": stored.sha256,
            "type": stored.media_type,
        },
    )
    return attachment


@dataclass(frozen=True)
class ProcedureDetails:
    competency_code: str
    performed_on: dt.date
    setting: str
    outcome: ProcedureOutcome
    witness_id: int


def log_procedure(
    auditor: Auditor,
    worker: User,
    details: ProcedureDetails,
    *,
    procedure_codes: Collection[str],
    today: dt.date,
    confirmed: Collection[str] = (),
) -> ProcedureLine:
    if details.competency_code not in procedure_codes:
        raise EvidenceError(
            "competency_code", "Choose a competency in your scope that counts supervised procedures"
        )
    if details.performed_on > today:
        raise EvidenceError("performed_on", "The date must be today or before")
    witness = auditor.session.get(User, details.witness_id)
    if (
        witness is None
        or witness.id == worker.id
        or not witness.active
        or witness.organisation_id != worker.organisation_id
        or not witness.has_role(AccountRole.SUPERVISOR)
    ):
        raise EvidenceError("witness_id", "Choose the supervisor or assessor who watched")
    guard({"setting": details.setting}, confirmed)
    line = ProcedureLine(
        worker_id=worker.id,
        competency_code=details.competency_code,
        performed_on=details.performed_on,
        setting=details.setting.strip(),
        outcome=details.outcome,
        witness_id=witness.id,
    )
    auditor.session.add(line)
    auditor.session.flush()
    events.procedure_logged.send(line, session=auditor.session)
    auditor.record(
        "procedure.logged",
        subject_type="procedure_line",
        subject_id=line.id,
        organisation_id=worker.organisation_id,
        changes={
            "competency": details.competency_code,
            "performed_on": details.performed_on.isoformat(),
            "outcome": details.outcome.value,
            "witness_id": witness.id,
        },
    )
    return line


def confirm_procedures(
    session: Session,
    *,
    audit_key: bytes,
    witness: User,
    lines: Collection[ProcedureLine],
    identity_checked_at: dt.datetime | None = None,
) -> int:
    """The witness confirms, as themselves, the lines that name them. Returns how many; the
    audit entry of each says when the witness's password was checked."""
    auditor = Auditor(session, key=audit_key, actor_id=witness.id)
    count = 0
    for line in lines:
        if line.witness_id != witness.id or line.confirmed_at is not None:
            continue
        line.confirmed_at = utcnow()
        line.confirmed_by = "password"
        auditor.record(
            "procedure.confirmed",
            subject_type="procedure_line",
            subject_id=line.id,
            organisation_id=witness.organisation_id,
            changes={
                "method": "own password at the point of care",
                "identity_checked_at": identity_checked_at.isoformat()
                if identity_checked_at
                else None,
            },
        )
        count += 1
    session.flush()
    return count
