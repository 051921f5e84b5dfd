"""Builders for the standing engine's facts, over the shipped framework's items (no database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from portfolio.core.roles import JobRole
from portfolio.frameworks.files import SHIPPED, discover, read_set
from portfolio.frameworks.schema import FrameworkFile
from portfolio.standing.facts import (
    Competence,
    Designation,
    Entitlement,
    ItemFacts,
    PersonFacts,
    Preceptorship,
    RoleOnDate,
    Signers,
    Site,
)
from portfolio.standing.items import item_facts
from portfolio.standing.status import CompetencyHistory, Decision, SupervisionLevel, status_on
from portfolio.standing.terms import DesignationKind, EntitlementKind, Modality
from tests.factories.histories import SIGNED, history, sign_off

ON = dt.date(2026, 6, 1)
EXPIRY = dt.date(2027, 3, 1)
DAY = dt.timedelta(days=1)
DIRECT, INDIRECT, REMOTE = (
    SupervisionLevel.DIRECT,
    SupervisionLevel.INDIRECT,
    SupervisionLevel.REMOTE,
)


def _shipped() -> tuple[FrameworkFile, dict[str, ItemFacts]]:
    framework = next(
        f.data
        for f in read_set(discover(SHIPPED), SHIPPED.parent).frameworks
        if f.code == "imaging-support"
    )
    assert isinstance(framework, FrameworkFile)
    titles = {c.code: c.title for c in framework.competencies}
    sources = {s.key: s for s in framework.sources}
    return framework, {
        c.code: item_facts(c, titles=titles, sources=sources) for c in framework.competencies
    }


FRAMEWORK, ITEMS = _shipped()


def item(code: str) -> ItemFacts:
    return ITEMS[code]


def competence(record: CompetencyHistory, on: dt.date = ON, **kwargs: object) -> Competence:
    return Competence(status_on(record, on, with_since=False), **kwargs)  # type: ignore[arg-type]


def signed(
    *,
    supervision: SupervisionLevel | None = INDIRECT,
    conditions: tuple[str, ...] = (),
    expires: dt.date | None = EXPIRY,
    on: dt.date = ON,
    decision_id: int = 1,
    **kwargs: object,
) -> Competence:
    decision: Decision = sign_off(
        decision_id,
        supervision=supervision,
        conditions=conditions,
        expires=expires,
        **kwargs,  # type: ignore[arg-type]
    )
    return competence(history(decision), on)


def exposure(
    examination: str = "chest",
    modality: Modality = Modality.GENERAL_RADIOGRAPHY,
    *,
    granted: dt.date = SIGNED,
    review: dt.date | None = dt.date(2027, 1, 31),
    withdrawn: dt.date | None = None,
) -> Entitlement:
    return Entitlement(
        kind=EntitlementKind.EXPOSURE,
        modality=modality,
        examinations=frozenset({examination}),
        granted_on=granted,
        granted_by="Dr Ada Lovelace, IR(ME)R lead",
        review_on=review,
        withdrawn_on=withdrawn,
    )


def designation(
    kind: DesignationKind, *, review: dt.date | None = dt.date(2027, 2, 1), **kwargs: object
) -> Designation:
    return Designation(kind=kind, granted_on=SIGNED, review_on=review, **kwargs)  # type: ignore[arg-type]


def person(
    job_role: JobRole | None = JobRole.AP,
    *,
    competence: Mapping[str, Competence] | None = None,
    scope: tuple[str, ...] | None = None,
    trainee: bool = False,
    entitlements: tuple[Entitlement, ...] = (),
    designations: tuple[Designation, ...] = (),
    preceptorships: tuple[Preceptorship, ...] = (),
    site: Site | None = None,
) -> PersonFacts:
    held = dict(competence or {})
    role = (
        RoleOnDate(
            job_role=job_role,
            scope=frozenset(scope if scope is not None else ITEMS),
            trainee=trainee,
        )
        if job_role is not None
        else None
    )
    return PersonFacts(
        role=role,
        competence=held,
        entitlements=entitlements,
        designations=designations,
        preceptorships=preceptorships,
        site=site,
        signers={1: Signers("Sam Okafor", "Priya Patel")},
    )


def ap_chest(**kwargs: object) -> PersonFacts:
    """An AP signed off for chest radiography (indirect), entitled for chest exposures."""
    held = {"AP-CHEST": signed()}
    held.update(kwargs.pop("competence", {}))  # type: ignore[call-overload]
    kwargs.setdefault("entitlements", (exposure(),))
    return person(JobRole.AP, competence=held, **kwargs)  # type: ignore[arg-type]
