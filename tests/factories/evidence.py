"""Evidence, attachments and supervised procedures, built through the evidence services (or,
for confirmed procedures, as the rows a confirmation leaves behind)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Collection
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.evidence import services
from portfolio.evidence.attachments import JPEG, PDF, PNG, AttachmentStore, check_upload
from portfolio.evidence.models import (
    Attachment,
    Evidence,
    EvidenceKind,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.people.models import User
from tests.factories.people import auditor

TEN_MB = 10 * 1024 * 1024


def evidence(
    session: Session,
    worker: User,
    *,
    title: str = "Cannulation study day",
    codes: Collection[str] = ("CANN",),
    scope: Collection[str] = ("A-1", "CANN"),
    kind: EvidenceKind = EvidenceKind.TRAINING_RECORD,
    body: str = "Theory and simulation.",
    activity_on: dt.date | None = None,
    on: dt.date | None = None,
    correcting: Evidence | None = None,
) -> Evidence:
    """A piece of the worker's evidence for `codes` (by default the cannulation study day of
    ten days ago), saved as the worker; `correcting` adds a new version to that piece."""
    on = on or today()
    saved = services.save_evidence(
        auditor(session, worker),
        worker,
        services.EvidenceDetails(
            kind=kind,
            title=title,
            activity_on=activity_on or on - dt.timedelta(days=10),
            body=body,
            competency_codes=frozenset(codes),
        ),
        scope_codes=list(scope),
        today=on,
        evidence=correcting,
    )
    session.flush()
    return saved


def png(colour: tuple[int, int, int] = (0, 94, 184), size: tuple[int, int] = (30, 20)) -> bytes:
    """A small, real PNG image of one colour."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, "PNG")
    return output.getvalue()


def blank_pdf() -> bytes:
    """A real one-page PDF with nothing on it."""
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def attachment(
    session: Session,
    store_folder: Path,
    worker: User,
    piece: Evidence,
    content: bytes,
    name: str = "scan.png",
) -> Attachment:
    """A file attached to the evidence's current version as if uploaded: checked as an upload
    is (so it must be a real PNG, JPEG or PDF) and kept in the store under `store_folder`."""
    checked = check_upload(content, name, allowed={PDF, PNG, JPEG}, max_bytes=TEN_MB)
    added, _ = services.add_attachment(
        auditor(session, worker), worker, piece, checked, AttachmentStore(store_folder)
    )
    session.flush()
    return added


def procedure(
    session: Session,
    worker: User,
    witness: User,
    *,
    code: str = "CANN",
    performed_on: dt.date | None = None,
    setting: str = "CT",
    outcome: ProcedureOutcome = ProcedureOutcome.SUCCESSFUL,
    confirmed: bool = True,
) -> ProcedureLine:
    """One supervised procedure the witness has confirmed (or not yet, if `confirmed` is
    false), performed yesterday unless said otherwise."""
    line = ProcedureLine(
        worker_id=worker.id,
        competency_code=code,
        performed_on=performed_on or today() - dt.timedelta(days=1),
        setting=setting,
        outcome=outcome,
        witness_id=witness.id,
        confirmed_at=utcnow() if confirmed else None,
        confirmed_by="password" if confirmed else None,
    )
    session.add(line)
    session.flush()
    return line


def confirmed_procedures(
    session: Session, worker: User, witness: User, count: int, code: str = "CANN"
) -> None:
    """`count` successful procedures confirmed by the witness, one a day up to yesterday."""
    for day in range(count):
        procedure(
            session, worker, witness, code=code, performed_on=today() - dt.timedelta(days=day + 1)
        )


def logged_procedure(
    session: Session,
    worker: User,
    witness: User,
    *,
    code: str = "CANN",
    performed_on: dt.date | None = None,
    setting: str = "CT",
) -> ProcedureLine:
    """One successful procedure logged today by the worker, through the service, waiting for
    the witness to confirm it."""
    line = services.log_procedure(
        auditor(session, worker),
        worker,
        services.ProcedureDetails(
            code, performed_on or today(), setting, ProcedureOutcome.SUCCESSFUL, witness.id
        ),
        procedure_codes={code},
        today=today(),
    )
    session.flush()
    return line
