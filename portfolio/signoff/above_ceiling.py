"""Sign-offs recorded before the ceilings were enforced whose level is laxer than the
worker's supervision ceiling on the day observed: listed for a person to review, never
rewritten (the record says what the assessor signed; the standing engine already caps what
the person may do). `flask report above-ceiling` prints them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.spreadsheet import csv_bytes
from portfolio.frameworks import queries as frameworks
from portfolio.people.models import User
from portfolio.practice.ceilings import sign_off_ceiling
from portfolio.signoff.models import Revocation, SignOffDecision
from portfolio.standing.status import Outcome, SupervisionLevel
from portfolio.standing.terms import laxer


@dataclass(frozen=True)
class AboveCeiling:
    decision_id: int
    person: str
    competency: str
    observed_on: dt.date
    recorded: SupervisionLevel
    ceiling: SupervisionLevel
    source: str


def above_ceiling(session: Session) -> list[AboveCeiling]:
    """Every competent sign-off, not revoked, above its ceiling; by person, then date. One
    ceiling is worked out per sign-off (a command for an occasional review, not a page)."""
    competencies = frameworks.current_competencies(session)
    rows = session.execute(
        select(SignOffDecision, User.name)
        .join(User, User.id == SignOffDecision.worker_id)
        .where(
            SignOffDecision.outcome == Outcome.COMPETENT,
            SignOffDecision.supervision.is_not(None),
            ~select(Revocation.id).where(Revocation.decision_id == SignOffDecision.id).exists(),
        )
        .order_by(User.name, SignOffDecision.observed_on, SignOffDecision.id)
    ).all()
    found: list[AboveCeiling] = []
    for decision, name in rows:
        competency = competencies.get(decision.competency_code)
        if competency is None or decision.supervision is None:
            continue
        ceiling = sign_off_ceiling(session, decision.worker_id, competency, decision.observed_on)
        if ceiling is not None and laxer(decision.supervision, ceiling.level):
            found.append(
                AboveCeiling(
                    decision.id,
                    name,
                    f"{competency.code}: {competency.title}",
                    decision.observed_on,
                    decision.supervision,
                    ceiling.level,
                    ceiling.basis.label,
                )
            )
    return found


HEADER = ("Person", "Competency", "Date observed", "Recorded", "Ceiling", "Source", "Sign-off")


def _cells(item: AboveCeiling) -> tuple[str, ...]:
    return (
        item.person,
        item.competency,
        item.observed_on.isoformat(),
        item.recorded.label,
        item.ceiling.label,
        item.source,
        str(item.decision_id),
    )


def as_csv(items: Sequence[AboveCeiling]) -> bytes:
    return csv_bytes(HEADER, [_cells(item) for item in items])


def as_lines(items: Sequence[AboveCeiling]) -> list[str]:
    if not items:
        return ["No sign-off records a level above its supervision ceiling."]
    return [
        f"{item.person}, {item.competency}, observed {item.observed_on:%-d %B %Y}: recorded "
        f"{item.recorded.label.lower()}, ceiling {item.ceiling.label.lower()} ({item.source}); "
        f"sign-off {item.decision_id}"
        for item in items
    ] + [
        f"{len(items)} sign-off{'s' if len(items) != 1 else ''} above the ceiling: review "
        f"{'each' if len(items) != 1 else 'it'}; nothing was changed."
    ]
