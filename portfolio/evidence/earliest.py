"""Keeping `EarliestEvidence` true: after every flush that writes evidence, its versions or
their links, the rows of the workers concerned are worked out again from the evidence itself.

Writers that bypass the session's flush (bulk inserts: the synthetic trust, a restore of an
older archive) call `refresh` for the workers they wrote.

Two transactions writing one worker's evidence at once (a double-clicked Save, the API and a
page together, a redaction or an import while the worker saves) take turns here: see
`_one_worker_at_a_time`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from itertools import chain

from sqlalchemy import Connection, Select, delete, event, func, insert, or_, select
from sqlalchemy.orm import Session, aliased

from portfolio.evidence.models import EarliestEvidence, Evidence, EvidenceLink, EvidenceVersion
from portfolio.people.models import User


def computed(worker_ids: Collection[int] | None = None) -> Select[int, str, dt.date]:
    """(worker, competency, earliest date) from the evidence: the latest version of each
    piece only, that is the one with no later version."""
    later = aliased(EvidenceVersion)
    query = (
        select(
            Evidence.worker_id,
            EvidenceLink.competency_code,
            func.min(EvidenceVersion.activity_on),
        )
        .join(EvidenceVersion, EvidenceVersion.evidence_id == Evidence.id)
        .join(EvidenceLink, EvidenceLink.version_id == EvidenceVersion.id)
        .where(
            ~select(later.id)
            .where(
                later.evidence_id == EvidenceVersion.evidence_id,
                later.number > EvidenceVersion.number,
            )
            .exists()
        )
        .group_by(Evidence.worker_id, EvidenceLink.competency_code)
    )
    if worker_ids is not None:
        query = query.where(Evidence.worker_id.in_(list(worker_ids)))
    return query


def refresh(connection: Connection | Session, worker_ids: Collection[int]) -> None:
    """Work these workers' rows out again from their evidence."""
    if not worker_ids:
        return
    ids = sorted(worker_ids)
    _one_worker_at_a_time(connection, ids)
    connection.execute(delete(EarliestEvidence).where(EarliestEvidence.worker_id.in_(ids)))
    connection.execute(
        insert(EarliestEvidence).from_select(
            ["worker_id", "competency_code", "activity_on"], computed(ids)
        )
    )


def _one_worker_at_a_time(connection: Connection | Session, worker_ids: list[int]) -> None:
    """Lock the workers' rows until the transaction ends, in id order (so two refreshes of
    several workers cannot deadlock).

    PostgreSQL runs two transactions side by side. Without the lock, both would delete the
    worker's rows and insert them again, and the second insert would meet the first's rows
    (a duplicate key); an upsert would not fail, but whichever wrote last would win with a
    date worked out without the other's evidence. With it, the second waits for the first to
    commit, and its statements then read what the first committed. FOR NO KEY UPDATE: rows
    that only refer to the worker (evidence, audit entries) are not held up. SQLite runs
    write transactions one at a time already (BEGIN IMMEDIATE, `portfolio.db`)."""
    dialect = (
        connection.dialect if isinstance(connection, Connection) else connection.get_bind().dialect
    )
    if dialect.name != "postgresql":
        return
    connection.execute(
        select(User.id)
        .where(User.id.in_(worker_ids))
        .order_by(User.id)
        .with_for_update(key_share=True)
    )


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: object) -> None:
    worker_ids: set[int] = set()
    evidence_ids: set[int] = set()
    version_ids: set[int] = set()
    for item in chain(session.new, session.dirty, session.deleted):
        if isinstance(item, Evidence):
            worker_ids.add(item.worker_id)
        elif isinstance(item, EvidenceVersion):
            evidence_ids.add(item.evidence_id)
        elif isinstance(item, EvidenceLink):
            version_ids.add(item.version_id)
    if not (worker_ids or evidence_ids or version_ids):
        return
    # The session is mid-flush: statements go straight to its connection.
    connection = session.connection()
    if evidence_ids or version_ids:
        worker_ids.update(
            connection.scalars(
                select(Evidence.worker_id).where(
                    or_(
                        Evidence.id.in_(evidence_ids),
                        Evidence.id.in_(
                            select(EvidenceVersion.evidence_id).where(
                                EvidenceVersion.id.in_(version_ids)
                            )
                        ),
                    )
                )
            )
        )
    refresh(connection, worker_ids)
