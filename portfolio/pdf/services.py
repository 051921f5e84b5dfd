"""Exporting a portfolio (render under limits, record with its code and hash) and the public
checks of an export. Services flush and never commit: the request commits."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.clock import local
from portfolio.core.sandbox import Stop, StoppedError, run_limited
from portfolio.core.settings import Settings
from portfolio.evidence.attachments import AttachmentStore
from portfolio.pdf import queries, rules
from portfolio.pdf.document import PortfolioDocument, Verification
from portfolio.pdf.fetcher import Asset
from portfolio.pdf.models import ExportedSignOff, PortfolioExport
from portfolio.pdf.render import RenderedPdf, render_pdf
from portfolio.people.models import Organisation, User
from portfolio.signoff.shown import statuses_with_shown

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    seconds: float
    memory_mb: int
    max_pages: int

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        return cls(
            seconds=settings.pdf_render_seconds,
            memory_mb=settings.pdf_render_memory_mb,
            max_pages=settings.pdf_max_pages,
        )


def new_code() -> str:
    """Random characters of the unambiguous alphabet: nobody finds an export by guessing."""
    return "".join(secrets.choice(rules.CODE_ALPHABET) for _ in range(rules.CODE_LENGTH))


def verification_url(base: str, code: str) -> str:
    return f"{base.rstrip('/')}/verify/{code}"


@dataclass(frozen=True)
class Prepared:
    """Everything one render needs, read from the database and the attachment store: plain
    data, so the render can happen after the reading transaction has ended."""

    code: str
    document: PortfolioDocument
    images: dict[str, Asset]
    appendices: list[bytes]


# How a render is run under its limits: `sandbox.run_limited` (a forked child, for web
# workers) or `sandbox.run_here` (in a long-lived job worker process).
Runner = Callable[..., RenderedPdf]


def export_portfolio(
    auditor: Auditor,
    worker: User,
    *,
    exported_by: User,
    store: AttachmentStore,
    now: dt.datetime,
    verify_base: str,
    due_window_days: int,
    with_appendices: bool,
    limits: Limits,
) -> tuple[PortfolioExport, bytes]:
    """Read, render (in a child process, within `limits`) and record one export. Raises
    `StoppedError` with a message for the person when the render is stopped; nothing
    is recorded then."""
    prepared = prepare_portfolio(
        auditor.session,
        worker,
        exported_by=exported_by.name,
        store=store,
        now=now,
        verify_base=verify_base,
        due_window_days=due_window_days,
        with_appendices=with_appendices,
    )
    rendered = render_prepared(prepared, limits)
    export = record_export(
        auditor,
        worker,
        exported_by_id=exported_by.id,
        now=now,
        prepared=prepared,
        rendered=rendered,
    )
    return export, rendered.content


def prepare_portfolio(
    session: Session,
    worker: User,
    *,
    exported_by: str,
    store: AttachmentStore,
    now: dt.datetime,
    verify_base: str,
    due_window_days: int,
    with_appendices: bool,
) -> Prepared:
    """The portfolio read as a document, with a new verification code, and the stored files
    it shows or appends. `StoppedError` when a stored file cannot be read."""
    code = new_code()
    found = queries.portfolio(
        session,
        worker,
        on=local(now).date(),
        generated_at=now,
        generated_by=exported_by,
        verification=Verification(code, verification_url(verify_base, code)),
        due_window_days=due_window_days,
        with_appendices=with_appendices,
    )
    document = found.document
    try:
        images = {
            item.asset: Asset(store.read(item.sha256), item.media_type) for item in found.images
        }
        appendices = [store.read(item.sha256) for item in document.appendices]
    except (OSError, ValueError) as error:  # a stored file gone missing: /health says so too
        log.error(
            "portfolio export of person %s: an attachment cannot be read: %s", worker.id, error
        )
        raise StoppedError(
            Stop.FAILED, "An attached file cannot be read from the attachment store"
        ) from error
    return Prepared(code, document, images, appendices)


def render_prepared(prepared: Prepared, limits: Limits, run: Runner = run_limited) -> RenderedPdf:
    return run(
        functools.partial(render_pdf, max_pages=limits.max_pages),
        prepared.document,
        prepared.images,
        prepared.appendices,
        seconds=limits.seconds,
        memory_mb=limits.memory_mb,
    )


def record_export(
    auditor: Auditor,
    worker: User,
    *,
    exported_by_id: int,
    now: dt.datetime,
    prepared: Prepared,
    rendered: RenderedPdf,
) -> PortfolioExport:
    """Keep what the public verify page shows and the file's hash, and audit the print."""
    document = prepared.document
    export = PortfolioExport(
        code=prepared.code,
        worker_id=worker.id,
        exported_by_id=exported_by_id,
        exported_at=now,
        exported_on=document.cover.on,
        worker_name=document.cover.name,
        job_role=document.cover.job_role,
        sha256=hashlib.sha256(rendered.content).hexdigest(),
        pages=rendered.pages,
        appendices=len(document.appendices),
        size=len(rendered.content),
        sign_offs=[
            ExportedSignOff(competency_code=code, title=title, position=position)
            for position, (code, title) in enumerate(document.signed_off)
        ],
    )
    auditor.session.add(export)
    auditor.session.flush()
    # The code and the bytes stay out of the trail: the hash identifies the file.
    auditor.record(
        "portfolio.printed",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={
            "export": export.id,
            "pages": export.pages,
            "appendices": export.appendices,
            "sha256": export.sha256,
        },
    )
    return export


def export_with_code(session: Session, typed: str) -> PortfolioExport | None:
    """The export a typed code names: as typed (an older, case-sensitive code), else in any
    case with any spaces or hyphens between its characters."""
    typed = typed.strip()
    if len(typed) > 64:
        return None
    candidates = list(dict.fromkeys((typed, rules.normalise_code(typed))))
    found = session.scalars(select(PortfolioExport).where(PortfolioExport.code.in_(candidates)))
    by_code = {export.code: export for export in found}
    return next((by_code[code] for code in candidates if code in by_code), None)


def trust_of(session: Session, export: PortfolioExport) -> str:
    """The name of the trust the worker was exported from (the verify page names it)."""
    return (
        session.scalar(
            select(Organisation.name)
            .join(User, User.organisation_id == Organisation.id)
            .where(User.id == export.worker_id)
        )
        or ""
    )


def export_with_hash(session: Session, sha256: str) -> PortfolioExport | None:
    return session.scalar(select(PortfolioExport).where(PortfolioExport.sha256 == sha256).limit(1))


@dataclass(frozen=True)
class SignedOff:
    code: str
    title: str
    now: str  # "Still current", "Expired since the export", …

    @property
    def current(self) -> bool:
        return rules.is_current(self.now)


def standing_now(
    session: Session, export: PortfolioExport, on: dt.date, *, due_window_days: int
) -> list[SignedOff]:
    """Each competency the export showed as signed off, with what has happened since."""
    codes = [item.competency_code for item in export.sign_offs]
    found, shown = statuses_with_shown(
        session, export.worker_id, codes, on, due_window_days=due_window_days
    )
    return [
        SignedOff(
            item.competency_code,
            item.title,
            rules.since_export(found[item.competency_code].status, shown.get(item.competency_code)),
        )
        for item in export.sign_offs
    ]


def sha256_of(chunks: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()
