"""Reading a worker's evidence and procedure log: plain values, a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from portfolio.careers.queries import worker_scope_of
from portfolio.evidence.models import (
    Attachment,
    Evidence,
    EvidenceKind,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.schema import EvidenceType
from portfolio.people.models import User


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    kind: EvidenceKind
    title: str
    activity_on: dt.date
    version: int
    frozen: bool
    competency_codes: tuple[str, ...]
    attachments: int


def latest_versions(worker_id: int) -> Select[EvidenceVersion]:
    """Each piece of a worker's evidence at its latest version: a query to refine."""
    latest = (
        select(EvidenceVersion.evidence_id, func.max(EvidenceVersion.number).label("number"))
        .join(Evidence, Evidence.id == EvidenceVersion.evidence_id)
        .where(Evidence.worker_id == worker_id)
        .group_by(EvidenceVersion.evidence_id)
        .subquery()
    )
    return select(EvidenceVersion).join(
        latest,
        (latest.c.evidence_id == EvidenceVersion.evidence_id)
        & (latest.c.number == EvidenceVersion.number),
    )


def evidence_of(session: Session, worker_id: int) -> list[EvidenceRow]:
    rows = session.scalars(
        latest_versions(worker_id).order_by(
            EvidenceVersion.activity_on.desc(), EvidenceVersion.evidence_id.desc()
        )
    ).all()
    version_ids = [version.id for version in rows]
    links: dict[int, list[str]] = {}
    counts: dict[int, int] = {}
    if version_ids:
        for version_id, code in session.execute(
            select(EvidenceLink.version_id, EvidenceLink.competency_code)
            .where(EvidenceLink.version_id.in_(version_ids))
            .order_by(EvidenceLink.competency_code)
        ):
            links.setdefault(version_id, []).append(code)
        # A comprehension, not dict(result): a Result has .keys() and would be taken as a mapping.
        counts = {  # noqa: C416
            version_id: count
            for version_id, count in session.execute(
                select(Attachment.version_id, func.count())
                .where(Attachment.version_id.in_(version_ids))
                .group_by(Attachment.version_id)
            )
        }
    return [
        EvidenceRow(
            version.evidence_id,
            version.kind,
            version.title,
            version.activity_on,
            version.number,
            version.frozen,
            tuple(links.get(version.id, [])),
            counts.get(version.id, 0),
        )
        for version in rows
    ]


@dataclass(frozen=True)
class ProcedureRow:
    id: int
    competency_code: str
    performed_on: dt.date
    setting: str
    outcome: ProcedureOutcome
    witness_id: int | None  # None: brought in from another organisation's export
    witness: str
    confirmed_at: dt.datetime | None
    imported_from: str | None = None


def procedures_of(session: Session, worker_id: int) -> list[ProcedureRow]:
    witness = aliased(User)
    return [
        ProcedureRow(
            line.id,
            line.competency_code,
            line.performed_on,
            line.setting,
            line.outcome,
            line.witness_id,
            name or line.witness_name or "",
            line.confirmed_at,
            line.imported_from,
        )
        for line, name in session.execute(
            select(ProcedureLine, witness.name)
            .outerjoin(witness, witness.id == ProcedureLine.witness_id)
            .where(ProcedureLine.worker_id == worker_id)
            .order_by(ProcedureLine.performed_on.desc(), ProcedureLine.id.desc())
        )
    ]


@dataclass(frozen=True)
class ScopeChoices:
    """What a worker may link evidence to, and which of those count supervised procedures."""

    evidence: list[tuple[str, str]]
    procedures: list[tuple[str, str]]


def scope_choices(session: Session, worker: User, on: dt.date) -> ScopeChoices:
    scope = worker_scope_of(session, worker.id, on)
    if scope is None:
        return ScopeChoices([], [])
    definitions = frameworks.current_competencies(session)
    policies: dict[str, list[frameworks.PolicyRow]] = {}
    for row in frameworks.policies(session, worker.organisation_id):
        policies.setdefault(row.competency_code, []).append(row)
    evidence = [(row.code, f"{row.code}: {row.title}") for row in scope.rows]

    def counts_procedures(code: str) -> bool:
        # The trust's policy in force decides, over the framework: a local rule can ask
        # for supervised procedures where the framework sets none.
        definition = definitions[code].definition
        if EvidenceType.PROCEDURE_LOG in definition.evidence.types:
            return True
        return (
            frameworks.rule_today(definition, policies.get(code, []), on).supervised_procedures > 0
        )

    procedures = [
        (row.code, f"{row.code}: {row.title}")
        for row in scope.rows
        if row.code in definitions and counts_procedures(row.code)
    ]
    return ScopeChoices(evidence, procedures)
