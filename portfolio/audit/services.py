"""Appending to the audit log and verifying it.

`record` flushes and never commits: the entry lands in the same transaction as the change it
describes, so either both are kept or neither is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from portfolio.audit.chain import (
    GENESIS_HASH,
    Anchor,
    ChainedEntry,
    Problem,
    canonical_json,
    entry_hash,
    find_first_problem,
    head_signature,
)
from portfolio.audit.models import AuditEntry, AuditHead
from portfolio.core.clock import utcnow

HEAD_ID = 1

# Values that are free text someone might later need to redact are never copied into the
# log: the entry says the field changed, not what it says.
TEXT_CHANGED = "(changed)"


def changed_fields(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    *,
    text_fields: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """{field: [old, new]} for each field whose value differs; free text marked, not copied."""
    changes: dict[str, Any] = {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        changes[field] = TEXT_CHANGED if field in text_fields else [_plain(old), _plain(new)]
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(_plain(item) for item in value)
    return str(value)


def record(
    session: Session,
    *,
    key: bytes,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | str,
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry at the end of the chain, inside the caller's transaction.

    The head row is locked first (SELECT … FOR UPDATE on PostgreSQL; on SQLite every
    transaction already holds the write lock from its start), so concurrent appends queue
    up and the chain never forks.
    """
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one()
    seq = head.seq + 1
    prev_hash = head.entry_hash if head.seq else GENESIS_HASH
    recorded_at = utcnow()
    changes_json = canonical_json(changes or {})
    fields: dict[str, Any] = {
        "seq": seq,
        "recorded_at": recorded_at,
        "actor_id": actor_id,
        "organisation_id": organisation_id,
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "changes": changes_json,
        "prev_hash": prev_hash,
    }
    digest = entry_hash(key, **fields)
    entry = AuditEntry(**fields, entry_hash=digest)
    session.add(entry)
    head.seq = seq
    head.entry_hash = digest
    head.signature = head_signature(key, seq, digest)
    session.flush()
    return entry


def _stored_entries(session: Session, batch: int = 1000) -> Iterator[ChainedEntry]:
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield ChainedEntry(
                seq=row.seq,
                recorded_at=row.recorded_at,
                actor_id=row.actor_id,
                organisation_id=row.organisation_id,
                action=row.action,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                changes=row.changes,
                prev_hash=row.prev_hash,
                entry_hash=row.entry_hash,
            )
        last_id = rows[-1].id
        session.expunge_all()


def snapshot_session(session: Session) -> Session:
    """Make a fresh session read one consistent snapshot for the rest of its transaction
    (PostgreSQL's default, read committed, sees each statement's own)."""
    bind = session.get_bind()
    if isinstance(bind, Connection) and bind.in_transaction():
        # Joined to a transaction its owner began (a test's, rolled back): the owner's
        # isolation stands, and PostgreSQL cannot change it once a transaction has begun.
        return session
    if bind.dialect.name == "postgresql":
        session.connection(
            execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
    return session


def verify(session: Session, *, key: bytes, anchors: Iterable[Anchor] = ()) -> Problem | None:
    """The first problem in the stored log, or None when it is intact.

    Entries are read in the order they were written (their row id), so swapping two
    entries' positions is found even if their seq numbers were swapped too. Give it a
    session reading one snapshot (`snapshot_session`), or an append committed meanwhile could
    be mistaken for tampering.
    """
    head = session.get(AuditHead, HEAD_ID)
    if head is None:
        return Problem(None, "the chain head is missing")
    head_seq, head_hash, head_sig = head.seq, head.entry_hash, head.signature
    problem = find_first_problem(
        key, _stored_entries(session), head_seq, head_hash, head_sig, anchors
    )
    if problem is None and head_seq == 0:
        # An empty log is only believable in an installation where nobody exists yet.
        from portfolio.people.models import User

        if session.scalar(select(func.count()).select_from(User)):
            return Problem(None, "the log is empty but people have been recorded")
    return problem


class Auditor:
    """Records entries on behalf of one actor (a person, or None for the command line)."""

    def __init__(self, session: Session, *, key: bytes, actor_id: int | None) -> None:
        self.session = session
        self.key = key
        self.actor_id = actor_id

    def record(
        self,
        action: str,
        *,
        subject_type: str,
        subject_id: int | str,
        organisation_id: int | None,
        changes: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        return record(
            self.session,
            key=self.key,
            actor_id=self.actor_id,
            organisation_id=organisation_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            changes=changes,
        )
