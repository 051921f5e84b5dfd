"""Drafts of the evidence form, saved automatically while the worker types.

A draft is not a record: it is never audited, each autosave replaces it, saving the evidence
deletes it (in the same transaction) and housekeeping prunes it after EVIDENCE_DRAFT_DAYS.
It must never hold a patient identifier, so anything the guard finds stops the autosave:
the worker resolves it on the form, where the guard explains.

Checking is pure; the functions that touch the session flush and never commit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Collection
from dataclasses import asdict, dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portfolio.core.identifiers import find_patient_identifiers
from portfolio.evidence.models import EvidenceDraft, EvidenceKind

IDENTIFIER_MESSAGE = (
    "Not saved automatically: remove or confirm the possible patient identifier, then save"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DraftRefusedError(Exception):
    """A draft that will not be kept, with the message the page shows."""

    def __init__(self, message: str, *, identifier: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.identifier = identifier


@dataclass(frozen=True)
class DraftFields:
    """The form as typed. A draft may be incomplete or hold a date the form would refuse."""

    kind: str = ""  # an EvidenceKind value, or empty before one is chosen
    title: str = ""
    activity_on: str = ""  # as the date field sends it: YYYY-MM-DD or empty
    body: str = ""
    competency_codes: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing the worker wrote or chose (the date alone starts as today)."""
        return not (self.kind or self.title.strip() or self.body.strip() or self.competency_codes)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> DraftFields:
        data = json.loads(raw)
        return cls(
            kind=str(data.get("kind", "")),
            title=str(data.get("title", "")),
            activity_on=str(data.get("activity_on", "")),
            body=str(data.get("body", "")),
            competency_codes=tuple(str(code) for code in data.get("competency_codes", [])),
        )


def check_draft(fields: DraftFields, *, scope_codes: Collection[str]) -> DraftFields:
    """The fields as they may be kept; DraftRefusedError when they may not be kept at all.

    Limits are the form's own; competencies outside the worker's scope are left out (the
    form cannot show them), not refused: an autosave should not fail on a stale page.
    """
    if fields.kind and fields.kind not in {item.value for item in EvidenceKind}:
        raise DraftRefusedError("Not saved automatically: choose a type of evidence from the list")
    if len(fields.title) > 200 or len(fields.body) > 20000:
        raise DraftRefusedError("Not saved automatically: the title or text is too long")
    if fields.activity_on and not _ISO_DATE.fullmatch(fields.activity_on):
        raise DraftRefusedError("Not saved automatically: the date is not in the form's format")
    if find_patient_identifiers(fields.title) or find_patient_identifiers(fields.body):
        raise DraftRefusedError(IDENTIFIER_MESSAGE, identifier=True)
    in_scope = set(scope_codes)
    codes = tuple(sorted({code for code in fields.competency_codes if code in in_scope}))
    return DraftFields(
        fields.kind, fields.title, fields.activity_on, fields.body, competency_codes=codes
    )


@dataclass(frozen=True)
class SavedDraft:
    fields: DraftFields
    saved_at: dt.datetime


def _find(session: Session, worker_id: int, evidence_id: int | None) -> EvidenceDraft | None:
    which = (
        EvidenceDraft.evidence_id.is_(None)
        if evidence_id is None
        else EvidenceDraft.evidence_id == evidence_id
    )
    return session.scalars(
        select(EvidenceDraft).where(EvidenceDraft.worker_id == worker_id, which)
    ).first()


def save_draft(
    session: Session,
    worker_id: int,
    evidence_id: int | None,
    fields: DraftFields,
    *,
    now: dt.datetime,
) -> dt.datetime | None:
    """Keep the fields (already checked) as the worker's draft of this evidence (None: new
    evidence), replacing any earlier one. A form emptied of everything keeps no draft.
    Returns when it was saved, or None when no draft is kept."""
    draft = _find(session, worker_id, evidence_id)
    if fields.is_empty:
        if draft is not None:
            session.delete(draft)
            session.flush()
        return None
    if draft is None:
        draft = EvidenceDraft(worker_id=worker_id, evidence_id=evidence_id)
        session.add(draft)
    draft.fields = fields.to_json()
    draft.saved_at = now
    session.flush()
    return now


def draft_of(session: Session, worker_id: int, evidence_id: int | None) -> SavedDraft | None:
    draft = _find(session, worker_id, evidence_id)
    if draft is None:
        return None
    return SavedDraft(DraftFields.from_json(draft.fields), draft.saved_at)


def discard_draft(session: Session, worker_id: int, evidence_id: int | None) -> None:
    draft = _find(session, worker_id, evidence_id)
    if draft is not None:
        session.delete(draft)
        session.flush()


def prune_drafts(session: Session, now: dt.datetime, *, days: int) -> int:
    """Delete drafts nobody has touched for `days` days. Returns how many."""
    result = session.execute(
        delete(EvidenceDraft).where(EvidenceDraft.saved_at < now - dt.timedelta(days=days))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
