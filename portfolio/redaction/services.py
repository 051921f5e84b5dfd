"""Redacting a record in place: every version of a piece of evidence (title, text, file
names, and the draft being written for it), or a sign-off decision with what hangs on it
(the transcription's details, feedback, the reasons for a suspension, reinstatement,
revocation or minimum override).

The text is replaced where it is stored, so no page, export or later copy can show it; the
record keeps its versions, numbers, dates and links, so its history still reads. What is kept
of the redaction (`Redaction`, and the audit entry) names the places and the reason, never
the text. Flushes, never commits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.evidence.drafts import DraftFields
from portfolio.evidence.models import Attachment, Evidence, EvidenceDraft
from portfolio.people.models import User
from portfolio.redaction import rules
from portfolio.redaction.models import Redaction
from portfolio.signoff.models import Revocation, SignOffDecision, Suspension
from portfolio.signoff.services import moment


class RedactionError(FieldError):
    """A redaction that cannot be made, with the form field it belongs to."""


@dataclass(frozen=True)
class Place:
    """One stored text: its label for people, how to read and replace it, its length, and
    the row that holds it."""

    label: str
    read: Callable[[], str | None]
    write: Callable[[str], None]
    limit: int | None = None
    row: object | None = None


def _column(label: str, row: object, name: str, limit: int | None = None) -> Place:
    return Place(
        label,
        lambda: getattr(row, name),
        lambda value: setattr(row, name, value),
        limit,
        row,
    )


def _draft(label: str, draft: EvidenceDraft, name: str) -> Place:
    """The worker's unsaved draft for this evidence, held as JSON."""

    def write(value: str) -> None:
        fields = DraftFields.from_json(draft.fields)
        changed = (
            dataclasses.replace(fields, title=value)
            if name == "title"
            else dataclasses.replace(fields, body=value)
        )
        draft.fields = changed.to_json()

    return Place(
        label, lambda: getattr(DraftFields.from_json(draft.fields), name), write, row=draft
    )


def evidence_places(session: Session, evidence: Evidence) -> list[Place]:
    places: list[Place] = []
    for version in evidence.versions:
        name = f"Version {version.number}"
        places += [
            _column(f"{name}: title", version, "title", 200),
            _column(f"{name}: text", version, "body"),
        ]
        places += [
            _column(f"{name}: file name", item, "filename", 120)
            for item in session.scalars(
                select(Attachment).where(Attachment.version_id == version.id)
            )
        ]
    draft = session.scalar(select(EvidenceDraft).where(EvidenceDraft.evidence_id == evidence.id))
    if draft is not None:
        places += [
            _draft("Unsaved changes: title", draft, "title"),
            _draft("Unsaved changes: text", draft, "body"),
        ]
    return places


_DECISION_TEXT = (
    ("Transcribed from", "transcribed_source", None),
    ("Previous employer", "previous_employer", 200),
    ("Original seen by", "original_seen_by", 200),
    ("Assessor", "assessor_name", 200),
    ("Equipment and room observed on", "local_setting", 200),
    ("What went well", "went_well", None),
    ("What to develop", "to_develop", None),
    ("Action plan", "action_plan", None),
)


def decision_places(session: Session, decision: SignOffDecision) -> list[Place]:
    places = [_column(label, decision, name, limit) for label, name, limit in _DECISION_TEXT]
    for suspension in session.scalars(
        select(Suspension).where(Suspension.decision_id == decision.id).order_by(Suspension.id)
    ):
        places += [
            _column("Reason for the suspension", suspension, "reason"),
            _column("Reason for the reinstatement", suspension, "reinstatement_reason"),
        ]
    revocation = session.scalar(select(Revocation).where(Revocation.decision_id == decision.id))
    if revocation is not None:
        places.append(_column("Reason for the revocation", revocation, "reason"))
    if decision.minimum_override is not None:
        places.append(
            _column("Reason the minimum was overridden", decision.minimum_override, "reason")
        )
    return places


def found_in(places: Sequence[Place], text: str) -> list[tuple[str, int]]:
    """Where the text is, and how many times: what the page shows before anything changes."""
    counts: dict[str, int] = {}
    for place in places:
        count = rules.occurrences(text, place.read())
        if count:
            counts[place.label] = counts.get(place.label, 0) + count
    return list(counts.items())


def check(
    places: Sequence[Place], text: str, reason: str, confirmed: Collection[str] = ()
) -> list[tuple[str, int]]:
    """The places the text is in; RedactionError when the redaction cannot be made, and
    IdentifierFoundError when the reason itself holds a patient identifier."""
    refused = rules.refusal(text, reason)
    if refused is not None:
        raise RedactionError(refused.field, refused.message)
    guard({"reason": reason}, confirmed)
    found = found_in(places, text)
    if not found:
        raise RedactionError(
            "text", "That text is not in this record: copy it exactly as it appears"
        )
    return found


def redact(
    auditor: Auditor,
    by: User,
    record: Evidence | SignOffDecision,
    places: Sequence[Place],
    *,
    text: str,
    reason: str,
    on: dt.date,
    confirmed: Collection[str] = (),
) -> Redaction:
    session = auditor.session
    _lock(session, places)
    found = check(places, text, reason, confirmed)
    for place in places:
        value = place.read()
        if value and rules.occurrences(text, value):
            place.write(rules.redact(text, value, place.limit))
    described = rules.describe(found)
    is_evidence = isinstance(record, Evidence)
    redaction = Redaction(
        worker_id=record.worker_id,
        evidence_id=record.id if is_evidence else None,
        decision_id=None if is_evidence else record.id,
        places="\n".join(described),
        occurrences=sum(count for _, count in found),
        reason=reason.strip(),
        redacted_by_id=by.id,
        redacted_at=moment(on),
        redacted_on=on,
    )
    session.add(redaction)
    session.flush()
    auditor.record(
        "record.redacted",
        subject_type="evidence" if is_evidence else "sign_off_decision",
        subject_id=record.id,
        organisation_id=by.organisation_id,
        changes={
            "redaction_id": redaction.id,
            "worker_id": record.worker_id,
            "places": list(described),
            "occurrences": redaction.occurrences,
            "reason": "(recorded)",
        },
    )
    return redaction


def _lock(session: Session, places: Sequence[Place]) -> None:
    """Read the texts again, locked until the transaction ends (SELECT … FOR UPDATE on
    PostgreSQL), before working out what they become.

    The page read them earlier. Two educators redacting different text from one record at
    once would otherwise each replace what they read, and whichever wrote second would put
    back the text the first had just removed. Locked, the second waits for the first to
    commit and then reads what it left. SQLite runs write transactions one at a time already
    (BEGIN IMMEDIATE, `portfolio.db`): the read is fresh, and the lock clause is left out."""
    seen: set[int] = set()
    for place in places:
        if place.row is not None and id(place.row) not in seen:
            seen.add(id(place.row))
            session.refresh(place.row, with_for_update={"key_share": True})


@dataclass(frozen=True)
class RedactionNote:
    """What a page says about a redaction: the date for everyone; who, why and where only
    for those who may redact."""

    redacted_on: dt.date
    reason: str
    by: str
    places: tuple[str, ...]


def notes(
    session: Session, *, evidence_ids: Collection[int] = (), decision_ids: Collection[int] = ()
) -> dict[tuple[str, int], list[RedactionNote]]:
    """Keyed ("evidence", id) or ("decision", id); one statement."""
    found: dict[tuple[str, int], list[RedactionNote]] = {}
    if not evidence_ids and not decision_ids:
        return found
    rows = session.execute(
        select(Redaction, User.name)
        .join(User, User.id == Redaction.redacted_by_id)
        .where(
            Redaction.evidence_id.in_(list(evidence_ids))
            | Redaction.decision_id.in_(list(decision_ids))
        )
        .order_by(Redaction.redacted_at, Redaction.id)
    )
    for redaction, name in rows:
        key = (
            ("evidence", redaction.evidence_id)
            if redaction.evidence_id is not None
            else ("decision", redaction.decision_id or 0)
        )
        found.setdefault(key, []).append(
            RedactionNote(redaction.redacted_on, redaction.reason, name, redaction.place_lines)
        )
    return found
