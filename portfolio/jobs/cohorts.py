"""The cohort export's jobs: one task per portfolio, one to build the ZIP, and the upkeep that
deletes expired ZIPs and re-queues exports that stopped making progress.

The database is the source of truth (`portfolio.cohorts.models`); the queue only carries
portfolio ids. A page queues every portfolio once the export is committed; the consumer
queues again whatever is still waiting when it starts (`requeue_unfinished`), so a consumer
killed mid-export carries on where it was when it comes back, and a task that runs twice
prepares nothing twice.

A portfolio's task reads in a read-only transaction, ends it, renders under
`sandbox.run_here` (this worker process's own time and memory limits; its fonts and
stylesheets stay loaded for the next render), writes the PDF, then records the print and
marks the portfolio done in one short write transaction. On SQLite, no transaction holds
the write lock while a PDF is laid out, so both workers render side by side.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from flask import Flask, g
from huey import Huey, crontab
from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.cohorts import rules, services
from portfolio.cohorts.models import CohortExport, CohortState
from portfolio.core.clock import utcnow
from portfolio.core.sandbox import StoppedError, run_here
from portfolio.core.settings import get_settings
from portfolio.evidence.attachments import AttachmentStore
from portfolio.unit_of_work import after_commit, doom, reading, transaction

log = logging.getLogger(__name__)
_PREPARE = "portfolio.prepare_cohort_portfolio"
_BUILD = "portfolio.build_cohort_zip"
# An export with no portfolio finished for this long has lost a task (a worker process that
# died mid-render, a queue that was emptied): its waiting portfolios are queued again.
STALLED_AFTER = dt.timedelta(minutes=30)


def export_folder(app: Flask) -> Path:
    return get_settings(app).cohort_export_folder


def register(queue: Huey, app: Flask) -> None:
    @queue.task(name="prepare_cohort_portfolio", retries=2, retry_delay=30, context=True)
    def _prepare(portfolio_id: int, task: Any = None) -> str:
        with app.app_context():
            # A job is not a route: whoever queued it was allowed to when they asked.
            g.policy_consulted = True
            last_attempt = task is None or not task.retries
            return prepare_portfolio(app, portfolio_id, last_attempt=last_attempt)

    @queue.task(name="build_cohort_zip", retries=3, retry_delay=60)
    def _build(export_id: int) -> bool:
        with app.app_context(), transaction() as session:
            g.policy_consulted = True
            built = services.build_zip(
                session,
                export_folder(app),
                export_id,
                now=utcnow(),
                hours=get_settings(app).cohort_export_hours,
            )
        if built:
            log.info("cohort export %s: ZIP ready", export_id)
        return built

    @queue.periodic_task(crontab(minute="*/10"), name="cohort_exports_upkeep")
    def _upkeep() -> int:
        """Delete expired ZIPs; queue again the exports that stopped making progress."""
        with app.app_context(), transaction() as session:
            g.policy_consulted = True
            now = utcnow()
            removed = services.remove_expired(session, export_folder(app), now)
            for export_id in services.stalled(session, now, after=STALLED_AFTER):
                log.warning("cohort export %s made no progress: queued again", export_id)
                queue_export(app, export_id)
            return removed

    app.extensions[_PREPARE] = _prepare
    app.extensions[_BUILD] = _build


def prepare_portfolio(app: Flask, portfolio_id: int, *, last_attempt: bool) -> str:
    """Prepare one portfolio of a cohort export (see the module's docstring); queue the ZIP
    when it was the last. Returns what happened, for the consumer's log.

    A job of several units of work (`portfolio.unit_of_work`): a read, the render with no
    transaction open, then one short write; on the last attempt's failure, another write
    that records it."""
    try:
        outcome, export_id = _prepare_portfolio(app, portfolio_id)
    except Exception:
        if not last_attempt:
            raise  # Huey runs it again after retry_delay
        log.exception("cohort export: portfolio %s failed on its last attempt", portfolio_id)
        with transaction() as session:
            item = services.to_prepare(session, portfolio_id)
            if item is None:
                raise
            export_id = item.cohort_export_id
            services.fail_portfolio(
                session,
                portfolio_id,
                export_id=export_id,
                failure="It could not be prepared as a PDF",
                now=utcnow(),
            )
        outcome = "failed"
    if export_id is None:
        return outcome
    with reading() as session:
        finished = services.all_finished(session, export_id)
    if finished:
        build_zip(app, export_id)
    return outcome


def _prepare_portfolio(app: Flask, portfolio_id: int) -> tuple[str, int | None]:
    """What happened, and the export whose ZIP may now be due (None: nothing to look at)."""
    from portfolio.pdf import services as printing

    settings = get_settings(app)
    root = export_folder(app)
    now = utcnow()
    with reading() as session:  # no transaction stays open while the PDF is laid out
        item = services.to_prepare(session, portfolio_id)
        if item is None:
            return "nothing to do", None
        export_id = item.cohort_export_id
        export = item.cohort
        worker, requester = item.worker, export.requested_by
        try:
            prepared = printing.prepare_portfolio(
                session,
                worker,
                exported_by=requester.name,
                store=AttachmentStore(settings.attachment_folder),
                now=now,
                verify_base=export.verify_base,
                due_window_days=settings.reassessment_due_days,
                with_appendices=export.with_appendices,
            )
            stopped: StoppedError | None = None
        except StoppedError as error:
            stopped = error
        requester_id = requester.id

    if stopped is None:
        try:
            rendered = printing.render_prepared(
                prepared, printing.Limits.of(settings), run=run_here
            )
        except StoppedError as error:
            stopped = error
    if stopped is not None:
        log.warning(
            "cohort export %s: portfolio %s stopped: %s",
            export_id,
            portfolio_id,
            stopped.message,
        )
        with transaction() as session:
            services.fail_portfolio(
                session,
                portfolio_id,
                export_id=export_id,
                failure=rules.failure_text(stopped.why, stopped.message),
                now=utcnow(),
            )
        return "stopped", export_id
    name = services.write_pdf(root, export_id, prepared.code, rendered.content)
    with transaction() as session:
        auditor = Auditor(session, key=settings.audit_key_bytes, actor_id=requester_id)
        printed = printing.record_export(
            auditor,
            item.worker,
            exported_by_id=requester_id,
            now=now,
            prepared=prepared,
            rendered=rendered,
        )
        finished = services.finish_portfolio(
            session,
            portfolio_id,
            export_id=export_id,
            print_id=printed.id,
            filename=name,
            now=utcnow(),
        )
        if not finished:  # another run of this task got there first, or it expired
            doom()
            (services.folder(root, export_id) / name).unlink(missing_ok=True)
            return "done already", None
    return "prepared", export_id


def queue_export(app: Flask, export_id: int, *, or_later: bool = False) -> int:
    """Queue every portfolio of the export still waiting, or its ZIP when none is, once the
    unit of work commits (the export with it). Returns how many portfolios are queued.
    `or_later`: a queue that cannot be reached is logged, not raised; the export is kept, and
    the consumer queues it as it starts (`requeue_unfinished`)."""
    from portfolio.db import get_session

    session = get_session()
    waiting = services.waiting_portfolios(session, export_id)
    finished = not waiting and services.all_finished(session, export_id)

    def send() -> None:
        try:
            for portfolio_id in waiting:
                app.extensions[_PREPARE](portfolio_id)
            if finished:
                build_zip(app, export_id)
        except Exception:
            if not or_later:
                raise
            log.exception("cohort export %s: could not be queued yet", export_id)

    after_commit(send)
    return len(waiting)


def build_zip(app: Flask, export_id: int) -> None:
    app.extensions[_BUILD](export_id)


def requeue_unfinished(app: Flask) -> int:
    """What the consumer does as it starts: queue again every portfolio still waiting, and
    the ZIP of every export whose portfolios are all finished. Tasks already in the queue run
    too and find nothing to do."""
    with app.app_context(), transaction() as session:
        g.policy_consulted = True
        exports = list(
            session.scalars(
                select(CohortExport.id).where(CohortExport.state == CohortState.PREPARING)
            )
        )
        queued = sum(queue_export(app, export_id) for export_id in exports)
    if exports:
        log.info("re-queued %d portfolios of %d cohort exports", queued, len(exports))
    return queued
