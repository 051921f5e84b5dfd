"""Reading loaded frameworks for pages: plain values out, a fixed number of queries each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, aliased

from portfolio.core.roles import JobRole
from portfolio.frameworks import schema
from portfolio.frameworks.models import (
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    LocalPolicy,
    Pathway,
    Post,
    PostCompetency,
    Qualification,
    Scope,
)
from portfolio.frameworks.rules import (
    PolicyVersion,
    Rule,
    ScopeDefinition,
    ScopeItem,
    resolve_scope,
    rule_in_force,
)
from portfolio.people.models import Department

# Parsed framework content, shared by every request of this process. Frameworks change only
# when a version is loaded, so the key is every version's id and content hash: one small
# query a request (memoised on the session until it next writes) instead of reading and
# parsing every competency's definition on every page.
_CACHE: dict[tuple[str, tuple[tuple[int, str], ...]], Any] = {}
_GENERATION = "framework_generation"
T = TypeVar("T")


def _generation(session: Session) -> tuple[tuple[int, str], ...]:
    generation = session.info.get(_GENERATION)
    if generation is None:
        generation = tuple(
            (version_id, content_hash)
            for version_id, content_hash in session.execute(
                select(FrameworkVersion.id, FrameworkVersion.content_hash).order_by(
                    FrameworkVersion.id
                )
            )
        )
        session.info[_GENERATION] = generation
    return generation


def cached(session: Session, name: str, build: Callable[[Session], T]) -> T:
    """Something built from the current frameworks alone, built once per generation (a
    framework version loaded or retired starts a new one)."""
    key = (name, _generation(session))
    if key not in _CACHE:
        if len(_CACHE) > 30:
            # Old generations are never asked for again: drop the oldest entry, not all of
            # them, or the entries of the generation in use go too and are built again.
            del _CACHE[next(iter(_CACHE))]
        _CACHE[key] = build(session)
    return _CACHE[key]  # type: ignore[no-any-return]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_generation(session: Session, *args: object) -> None:
    # A write may have loaded a framework version: ask again next time.
    session.info.pop(_GENERATION, None)


@dataclass(frozen=True)
class VersionSummary:
    id: int
    framework_code: str
    kind: str
    title: str
    version: str
    published_on: dt.date
    sequence: int
    is_current: bool


def versions(session: Session) -> list[VersionSummary]:
    latest = (
        select(FrameworkVersion.framework_id, func.max(FrameworkVersion.sequence).label("top"))
        .group_by(FrameworkVersion.framework_id)
        .subquery()
    )
    rows = session.execute(
        select(FrameworkVersion, Framework, latest.c.top)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .join(latest, latest.c.framework_id == FrameworkVersion.framework_id)
        .order_by(Framework.code, FrameworkVersion.sequence.desc())
    ).all()
    return [
        VersionSummary(
            version.id,
            framework.code,
            framework.kind,
            version.title,
            version.version,
            version.published_on,
            version.sequence,
            version.sequence == top,
        )
        for version, framework, top in rows
    ]


def current_version_id(session: Session, framework_code: str) -> int | None:
    return session.scalar(
        select(FrameworkVersion.id)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(Framework.code == framework_code)
        .order_by(FrameworkVersion.sequence.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class SourceRow:
    key: str
    title: str
    publisher: str
    date: str
    url: str | None


@dataclass(frozen=True)
class CompetencyView:
    code: str
    definition: schema.Competency
    framework_code: str
    version: str

    @property
    def title(self) -> str:
        return self.definition.title


@dataclass(frozen=True)
class FrameworkView:
    summary: VersionSummary
    description: str
    nations: tuple[str, ...]
    sources: dict[str, SourceRow]
    competencies: list[CompetencyView]

    def by_domain(self) -> list[tuple[str, list[CompetencyView]]]:
        domains: dict[str, list[CompetencyView]] = {}
        for item in self.competencies:
            domains.setdefault(item.definition.domain, []).append(item)
        return list(domains.items())


def framework(session: Session, code: str, version: str | None = None) -> FrameworkView | None:
    summaries = [item for item in versions(session) if item.framework_code == code]
    chosen = next(
        (item for item in summaries if (item.version == version if version else item.is_current)),
        None,
    )
    if chosen is None:
        return None
    stored = session.get_one(FrameworkVersion, chosen.id)
    return FrameworkView(
        summary=chosen,
        description=stored.description,
        nations=tuple(filter(None, stored.nations.split(","))),
        sources=_sources(session, [chosen.id]),
        competencies=[
            CompetencyView(
                row.code,
                schema.Competency.model_validate_json(row.definition),
                code,
                chosen.version,
            )
            for row in session.scalars(
                select(Competency)
                .where(Competency.version_id == chosen.id)
                .order_by(Competency.position)
            )
        ],
    )


def _sources(session: Session, version_ids: Sequence[int]) -> dict[str, SourceRow]:
    return {
        row.key: SourceRow(row.key, row.title, row.publisher, row.date, row.url)
        for row in session.scalars(
            select(FrameworkSource).where(FrameworkSource.version_id.in_(version_ids))
        )
    }


def current_competencies(session: Session) -> dict[str, CompetencyView]:
    """Every competency in the current version of each framework, by code."""
    return dict(cached(session, "competencies", _current_competencies))


def _current_competencies(session: Session) -> dict[str, CompetencyView]:
    current = [item for item in versions(session) if item.is_current]
    ids = {item.id: item for item in current}
    if not ids:
        return {}
    rows = session.scalars(
        select(Competency).where(Competency.version_id.in_(ids)).order_by(Competency.position)
    )
    return {
        row.code: CompetencyView(
            row.code,
            schema.Competency.model_validate_json(row.definition),
            ids[row.version_id].framework_code,
            ids[row.version_id].version,
        )
        for row in rows
    }


def current_sources(session: Session) -> dict[str, SourceRow]:
    return _sources(session, [item.id for item in versions(session) if item.is_current])


def scope_definitions(session: Session) -> dict[str, tuple[ScopeDefinition, schema.Scope]]:
    return dict(cached(session, "scopes", _scope_definitions))


def _scope_definitions(session: Session) -> dict[str, tuple[ScopeDefinition, schema.Scope]]:
    current = [item.id for item in versions(session) if item.is_current]
    result = {}
    for row in session.scalars(select(Scope).where(Scope.version_id.in_(current or [-1]))):
        definition = schema.Scope.model_validate_json(row.definition)
        result[row.code] = (
            ScopeDefinition(
                row.code, row.builds_on, tuple(definition.core), tuple(definition.optional)
            ),
            definition,
        )
    return result


@dataclass(frozen=True)
class ScopeView:
    job_role: JobRole
    scope: schema.Scope
    items: list[tuple[ScopeItem, CompetencyView]]
    chain: list[schema.Scope]

    @property
    def core(self) -> list[tuple[ScopeItem, CompetencyView]]:
        return [pair for pair in self.items if pair[0].core]

    @property
    def optional(self) -> list[tuple[ScopeItem, CompetencyView]]:
        return [pair for pair in self.items if not pair[0].core]


def scope_for(session: Session, job_role: JobRole) -> ScopeView | None:
    definitions = scope_definitions(session)
    match = next(
        (code for code, (_, item) in definitions.items() if item.job_role is job_role), None
    )
    if match is None:
        return None
    competencies = current_competencies(session)
    resolved = resolve_scope({code: pair[0] for code, pair in definitions.items()}, match)
    chain: list[schema.Scope] = []
    current: str | None = match
    while current is not None:
        chain.append(definitions[current][1])
        current = definitions[current][1].builds_on
    return ScopeView(
        job_role=job_role,
        scope=definitions[match][1],
        items=[
            (item, competencies[code]) for code, item in resolved.items() if code in competencies
        ],
        chain=chain,
    )


@dataclass(frozen=True)
class PolicyRow:
    id: int
    competency_code: str
    version: int
    title: str
    effective_from: dt.date
    supervised_procedures: int | None
    reassessment_months: int | None
    countersignature_required: bool | None
    notes: str | None
    recorded_at: dt.datetime
    recorded_by: str | None

    def as_version(self) -> PolicyVersion:
        return PolicyVersion(
            self.version,
            self.title,
            self.effective_from,
            self.supervised_procedures,
            self.reassessment_months,
            self.countersignature_required,
        )


def policies(session: Session, organisation_id: int, code: str | None = None) -> list[PolicyRow]:
    from portfolio.people.models import User

    recorder = aliased(User)
    query = (
        select(LocalPolicy, recorder.name)
        .outerjoin(recorder, recorder.id == LocalPolicy.recorded_by_id)
        .where(LocalPolicy.organisation_id == organisation_id)
        .order_by(LocalPolicy.competency_code, LocalPolicy.version.desc())
    )
    if code is not None:
        query = query.where(LocalPolicy.competency_code == code)
    return [
        PolicyRow(
            row.id,
            row.competency_code,
            row.version,
            row.title,
            row.effective_from,
            row.supervised_procedures,
            row.reassessment_months,
            row.countersignature_required,
            row.notes,
            row.recorded_at,
            name,
        )
        for row, name in session.execute(query)
    ]


def framework_default(competency: schema.Competency) -> Rule:
    return Rule(
        supervised_procedures=competency.evidence.supervised_procedures.value
        if competency.evidence.supervised_procedures
        else 0,
        reassessment_months=competency.reassessment_months.value
        if competency.reassessment_months
        else None,
        countersignature_required=competency.countersignature_required,
        policy_version=None,
    )


def rule_today(competency: schema.Competency, rows: Sequence[PolicyRow], on: dt.date) -> Rule:
    return rule_in_force(framework_default(competency), [row.as_version() for row in rows], on)


@dataclass(frozen=True)
class PostRow:
    id: int
    name: str
    job_role: JobRole
    department_id: int
    department: str
    core_codes: tuple[str, ...]


def posts(session: Session, organisation_id: int) -> list[PostRow]:
    rows = session.execute(
        select(Post, Department.name)
        .join(Department, Department.id == Post.department_id)
        .where(Department.organisation_id == organisation_id)
        .order_by(func.lower(Department.name), func.lower(Post.name))
    ).all()
    codes: dict[int, list[str]] = {}
    if rows:
        for post_id, code in session.execute(
            select(PostCompetency.post_id, PostCompetency.competency_code)
            .where(PostCompetency.post_id.in_([post.id for post, _ in rows]))
            .order_by(PostCompetency.competency_code)
        ):
            codes.setdefault(post_id, []).append(code)
    return [
        PostRow(
            post.id,
            post.name,
            post.job_role,
            post.department_id,
            name,
            tuple(codes.get(post.id, [])),
        )
        for post, name in rows
    ]


@dataclass(frozen=True)
class CatalogueView:
    qualifications: list[schema.Qualification]
    pathways: dict[JobRole, schema.Pathway]


def catalogue(session: Session) -> CatalogueView:
    return cached(session, "catalogue", _catalogue)


def _catalogue(session: Session) -> CatalogueView:
    current = [
        item.id for item in versions(session) if item.is_current and item.kind == "qualifications"
    ]
    qualifications = [
        schema.Qualification.model_validate_json(row.definition)
        for row in session.scalars(
            select(Qualification)
            .where(Qualification.version_id.in_(current or [-1]))
            .order_by(Qualification.position)
        )
    ]
    pathways = {
        row.job_role: schema.Pathway.model_validate_json(row.definition)
        for row in session.scalars(
            select(Pathway)
            .where(Pathway.version_id.in_(current or [-1]))
            .order_by(Pathway.position)
        )
    }
    return CatalogueView(qualifications, pathways)
