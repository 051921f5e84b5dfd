"""Asking for a cohort export, preparing its portfolios one at a time, building its ZIP, and
deleting it when it expires.

Each step is safe to repeat. A portfolio is marked done only by a conditional update from
waiting, in the same transaction as its print's record; its PDF is written first, under its
own print's code, so a second run of the same task can neither overwrite the first's file nor
record a second print. The ZIP is written under a temporary name and moved into place, then
the export marked ready by another conditional update. Services flush; the caller commits
(the jobs in `portfolio.jobs.cohorts` decide where each transaction ends).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.cohorts import rules
from portfolio.cohorts.models import CohortExport, CohortPortfolio, CohortState, PortfolioState
from portfolio.core.clock import local
from portfolio.core.spreadsheet import csv_bytes
from portfolio.oversight import queries as oversight
from portfolio.oversight.matrix import Filters, select_workers
from portfolio.oversight.queries import Reach
from portfolio.pdf.models import PortfolioExport
from portfolio.pdf.services import verification_url
from portfolio.people.models import User

ZIP = "portfolios.zip"


class CohortError(Exception):
    """A cohort export that cannot be asked for, with the reason in the educator's words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Choice:
    """What the educator chose: the filters, and their names for the description."""

    filters: Filters
    department: str | None = None
    post: str | None = None


def request_export(
    auditor: Auditor,
    educator: User,
    reach: Reach,
    choice: Choice,
    *,
    on: dt.date,
    now: dt.datetime,
    with_appendices: bool,
    verify_base: str,
    hours: int,
    max_portfolios: int,
) -> CohortExport:
    """Record an export of every active support worker in reach matching the filters, each
    portfolio waiting to be prepared. Raises `CohortError` when nobody matches, when there
    are more than `max_portfolios`, or when the educator already has one being prepared."""
    session = auditor.session
    if preparing_for(session, educator.id) is not None:
        raise CohortError(
            "Your last export is still being prepared: wait for it to finish, then ask again"
        )
    chosen = select_workers(oversight.workers(session, reach, on), choice.filters)
    if not chosen:
        raise CohortError("No active support workers match what you chose: choose again")
    if len(chosen) > max_portfolios:
        raise CohortError(
            f"That is {len(chosen)} portfolios, more than the {max_portfolios} one export may "
            "hold: choose a department, post or job role"
        )
    filters = choice.filters
    export = CohortExport(
        organisation_id=reach.organisation_id,
        requested_by_id=educator.id,
        requested_at=now,
        description=rules.describe(
            department=choice.department, post=choice.post, job_role=filters.job_role
        ),
        department_id=filters.department_id,
        post_id=filters.post_id,
        job_role=filters.job_role,
        with_appendices=with_appendices,
        verify_base=verify_base,
        state=CohortState.PREPARING,
        total=len(chosen),
        last_progress_at=now,
        expires_at=rules.expires_at(now, hours),
        portfolios=[
            CohortPortfolio(
                worker_id=worker.id,
                position=position,
                worker_name=worker.name,
                job_role=worker.job_role_title,
                department=worker.department,
                post=worker.post,
                state=PortfolioState.WAITING,
            )
            for position, worker in enumerate(chosen, start=1)
        ],
    )
    try:
        with session.begin_nested():  # a second tab's request at the same moment
            session.add(export)
            session.flush()
    except IntegrityError as error:
        raise CohortError(
            "Your last export is still being prepared: wait for it to finish, then ask again"
        ) from error
    auditor.record(
        "portfolios.cohort_requested",
        subject_type="cohort_export",
        subject_id=export.id,
        organisation_id=reach.organisation_id,
        changes={
            "description": export.description,
            "portfolios": export.total,
            "appendices": with_appendices,
        },
    )
    return export


def preparing_for(session: Session, educator_id: int) -> CohortExport | None:
    return session.scalar(
        select(CohortExport).where(
            CohortExport.requested_by_id == educator_id,
            CohortExport.state == CohortState.PREPARING,
        )
    )


def exports_of(session: Session, educator_id: int, *, limit: int = 10) -> list[CohortExport]:
    """The educator's latest exports, newest first."""
    return list(
        session.scalars(
            select(CohortExport)
            .where(CohortExport.requested_by_id == educator_id)
            .order_by(CohortExport.requested_at.desc(), CohortExport.id.desc())
            .limit(limit)
        )
    )


def progress_of(session: Session, exports: list[CohortExport]) -> dict[int, rules.Progress]:
    """Each export's progress, in one statement however many there are."""
    if not exports:
        return {}
    counts = {
        export_id: (done, failed)
        for export_id, done, failed in session.execute(
            select(
                CohortPortfolio.cohort_export_id,
                func.sum(case((CohortPortfolio.state == PortfolioState.DONE, 1), else_=0)),
                func.sum(case((CohortPortfolio.state == PortfolioState.FAILED, 1), else_=0)),
            )
            .where(CohortPortfolio.cohort_export_id.in_([item.id for item in exports]))
            .group_by(CohortPortfolio.cohort_export_id)
        )
    }
    return {
        export.id: rules.Progress(
            total=export.total,
            done=int(counts.get(export.id, (0, 0))[0] or 0),
            failed=int(counts.get(export.id, (0, 0))[1] or 0),
            ready=export.state is CohortState.READY,
        )
        for export in exports
    }


def waiting_portfolios(session: Session, export_id: int | None = None) -> list[int]:
    """Portfolios still to prepare, of one export or of every export being prepared."""
    query = (
        select(CohortPortfolio.id)
        .join(CohortExport, CohortExport.id == CohortPortfolio.cohort_export_id)
        .where(
            CohortExport.state == CohortState.PREPARING,
            CohortPortfolio.state == PortfolioState.WAITING,
        )
        .order_by(CohortPortfolio.cohort_export_id, CohortPortfolio.position)
    )
    if export_id is not None:
        query = query.where(CohortExport.id == export_id)
    return list(session.scalars(query))


def to_prepare(session: Session, portfolio_id: int) -> CohortPortfolio | None:
    """The portfolio, if it is still waiting in an export being prepared."""
    found = session.get(CohortPortfolio, portfolio_id)
    if found is None or found.state is not PortfolioState.WAITING:
        return None
    if found.cohort.state is not CohortState.PREPARING:
        return None
    return found


def folder(root: Path, export_id: int) -> Path:
    return root / str(export_id)


def write_pdf(root: Path, export_id: int, code: str, content: bytes) -> str:
    """Write one prepared PDF under its print's code; returns its name in the folder. Written
    whole under a temporary name and then renamed: a killed worker leaves no half a file
    under a name the ZIP would take."""
    where = folder(root, export_id)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{code}.pdf"
    partial = where / f".{name}.part"
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, where / name)
    return name


def finish_portfolio(
    session: Session,
    portfolio_id: int,
    *,
    export_id: int,
    print_id: int,
    filename: str,
    now: dt.datetime,
) -> bool:
    """Mark the portfolio done with its PDF and print. False when another run got there
    first: the caller rolls back its print and removes its file."""
    changed = session.execute(
        update(CohortPortfolio)
        .where(
            CohortPortfolio.id == portfolio_id,
            CohortPortfolio.state == PortfolioState.WAITING,
            # Not an export that expired while this one was rendering.
            CohortPortfolio.cohort_export_id.in_(
                select(CohortExport.id).where(CohortExport.state == CohortState.PREPARING)
            ),
        )
        .values(
            state=PortfolioState.DONE,
            filename=filename,
            portfolio_export_id=print_id,
            finished_at=now,
        )
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    _progressed(session, export_id, now)
    return True


def fail_portfolio(
    session: Session, portfolio_id: int, *, export_id: int, failure: str, now: dt.datetime
) -> bool:
    """Mark the portfolio as one that could not be prepared: the index says why."""
    changed = session.execute(
        update(CohortPortfolio)
        .where(CohortPortfolio.id == portfolio_id, CohortPortfolio.state == PortfolioState.WAITING)
        .values(state=PortfolioState.FAILED, failure=failure[:300], finished_at=now)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    _progressed(session, export_id, now)
    return True


def _progressed(session: Session, export_id: int, now: dt.datetime) -> None:
    session.execute(
        update(CohortExport).where(CohortExport.id == export_id).values(last_progress_at=now)
    )


def all_finished(session: Session, export_id: int) -> bool:
    """Every portfolio of the export done or failed (and the export not yet built)."""
    waiting = session.scalar(
        select(func.count()).where(
            CohortPortfolio.cohort_export_id == export_id,
            CohortPortfolio.state == PortfolioState.WAITING,
        )
    )
    return waiting == 0


def build_zip(
    session: Session, root: Path, export_id: int, *, now: dt.datetime, hours: int
) -> bool:
    """Put the prepared PDFs and the index into the export's ZIP and mark it ready, to expire
    `hours` from now. False (and nothing written) unless every portfolio is finished and
    the export is still being prepared."""
    export = session.get(CohortExport, export_id)
    if export is None or export.state is not CohortState.PREPARING:
        return False
    rows = session.execute(
        select(CohortPortfolio, PortfolioExport)
        .outerjoin(PortfolioExport, PortfolioExport.id == CohortPortfolio.portfolio_export_id)
        .where(CohortPortfolio.cohort_export_id == export_id)
        .order_by(CohortPortfolio.position)
    ).all()
    if any(item.state is PortfolioState.WAITING for item, _ in rows):
        return False
    on = local(export.requested_at).date()
    lines = [
        rules.IndexLine(
            position=item.position,
            name=item.worker_name,
            job_role=item.job_role,
            department=item.department,
            post=item.post,
            on=on,
            done=item.state is PortfolioState.DONE,
            failure=item.failure,
            pages=printed.pages if printed else None,
            verification_url=verification_url(export.verify_base, printed.code)
            if printed
            else None,
            sha256=printed.sha256 if printed else None,
        )
        for item, printed in rows
    ]
    where = folder(root, export_id)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = where / f".{ZIP}.part"
    # Every entry carries the time it was asked for: one export's ZIP has the same bytes
    # whichever worker builds it, and however often.
    stamp = local(export.requested_at).timetuple()[:6]
    with zipfile.ZipFile(partial, "w") as archive:
        index = zipfile.ZipInfo(rules.INDEX, date_time=stamp)
        index.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(index, csv_bytes(rules.INDEX_HEADER, rules.index_rows(lines)))
        for (item, _), line in zip(rows, lines, strict=True):
            if line.file is None or item.filename is None:
                continue
            entry = zipfile.ZipInfo(line.file, date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED  # a PDF is compressed already
            with open(where / item.filename, "rb") as source, archive.open(entry, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
    size = partial.stat().st_size
    os.replace(partial, where / ZIP)
    changed = session.execute(
        update(CohortExport)
        .where(CohortExport.id == export_id, CohortExport.state == CohortState.PREPARING)
        .values(
            state=CohortState.READY,
            finished_at=now,
            expires_at=rules.expires_at(now, hours),
            zip_size=size,
        )
    )
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


def zip_path(root: Path, export: CohortExport) -> Path | None:
    """The ZIP to download, if it is ready, unexpired and on disk."""
    if export.state is not CohortState.READY:
        return None
    path = folder(root, export.id) / ZIP
    return path if path.is_file() else None


def stalled(session: Session, now: dt.datetime, *, after: dt.timedelta) -> list[int]:
    """Exports being prepared that have made no progress for `after`: a task lost with a
    worker that died, say. Their clocks are reset, so each is queued again only once per
    period."""
    found = list(
        session.scalars(
            select(CohortExport.id).where(
                CohortExport.state == CohortState.PREPARING,
                CohortExport.last_progress_at < now - after,
            )
        )
    )
    if found:
        session.execute(
            update(CohortExport).where(CohortExport.id.in_(found)).values(last_progress_at=now)
        )
    return found


def remove_expired(session: Session, root: Path, now: dt.datetime) -> int:
    """Delete the files of every export past its expiry, ready or not, and mark it expired.
    The rows stay (who asked for what, and when); the portfolios' prints stay verifiable.
    Any other folder of an export that is not live (left by a worker that was rendering
    when its export expired) goes too."""
    expired = list(
        session.scalars(
            select(CohortExport).where(
                CohortExport.state != CohortState.EXPIRED, CohortExport.expires_at <= now
            )
        )
    )
    for export in expired:
        shutil.rmtree(folder(root, export.id), ignore_errors=True)
        export.state = CohortState.EXPIRED
    session.flush()
    live = set(
        session.scalars(select(CohortExport.id).where(CohortExport.state != CohortState.EXPIRED))
    )
    # Only exports that existed when `live` was read: a newer one's folder may be appearing.
    newest = session.scalar(select(func.max(CohortExport.id))) or 0
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and entry.name.isdigit():
                number = int(entry.name)
                if number <= newest and number not in live:
                    shutil.rmtree(entry, ignore_errors=True)
    return len(expired)
