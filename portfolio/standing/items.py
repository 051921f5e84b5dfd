"""An item's facts from the framework data (`frameworks.schema`): pure.

The practice rules stay inside the validated framework model (the loaded JSON of each
competency), and reach the engine only through `ItemFacts`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Protocol

from portfolio.frameworks import schema
from portfolio.frameworks.practice_terms import Level
from portfolio.standing.facts import (
    Basis,
    Ceiling,
    ConditionRule,
    DesignationNeed,
    EntitlementNeed,
    ItemFacts,
    ItemRef,
    PatientGroupRule,
)
from portfolio.standing.status import SupervisionLevel


class Named(Protocol):
    """A framework source as the file gives it or as stored: who published it, its title."""

    @property
    def publisher(self) -> str: ...

    @property
    def title(self) -> str: ...


def item_facts(
    competency: schema.Competency,
    *,
    titles: Mapping[str, str],
    sources: Mapping[str, Named],
    switched_on: Collection[str] = (),
) -> ItemFacts:
    """`titles` names other competencies by code (prerequisites), `sources` the framework's
    sources by key; `switched_on` lists the items whose optional entitlement the trust
    requires (a local setting)."""
    practice = competency.practice or schema.Practice()
    entitlement = practice.entitlement
    if entitlement is not None and not entitlement.required:
        entitlement = entitlement if competency.code in switched_on else None
    return ItemFacts(
        code=competency.code,
        title=competency.title,
        prerequisites=tuple(_ref(code, titles) for code in competency.evidence.prerequisites),
        entitlement=_entitlement(entitlement, sources) if entitlement else None,
        designations=tuple(
            DesignationNeed(kind=item.kind, basis=basis_of(item.basis, sources))
            for item in practice.designations
        ),
        ceilings=tuple(_ceiling(item, sources) for item in practice.ceilings),
        patient_groups=tuple(
            PatientGroupRule(
                group=item.group,
                job_roles=frozenset(item.job_roles),
                requires=tuple(_ref(code, titles) for code in item.requires),
                basis=basis_of(item.basis, sources),
            )
            for item in practice.patient_groups
        ),
        conditions=tuple(
            ConditionRule(
                code=item.code,
                label=item.label,
                mandatory_for=frozenset(item.mandatory_for),
                patient_groups=frozenset(item.patient_groups),
                supervision=_level(item.supervision) if item.supervision else None,
            )
            for item in competency.conditions
        ),
    )


def _ref(code: str, titles: Mapping[str, str]) -> ItemRef:
    return ItemRef(code, titles.get(code, code))


def _entitlement(rule: schema.EntitlementRule, sources: Mapping[str, Named]) -> EntitlementNeed:
    return EntitlementNeed(
        kind=rule.kind,
        basis=basis_of(rule.basis, sources),
        modality=rule.modality,
        examination=rule.examination,
        task_modality_only=rule.task_modality_only,
    )


def _ceiling(rule: schema.CeilingRule, sources: Mapping[str, Named]) -> Ceiling:
    return Ceiling(
        at_most=_level(rule.at_most),
        basis=basis_of(rule.basis, sources),
        job_roles=frozenset(rule.job_roles),
        trainee=rule.trainee,
        preceptee=rule.preceptee,
        patient_group=rule.patient_group,
        remote_at_qualifying_site=rule.remote_at_qualifying_site,
    )


def basis_of(rule: schema.RuleSource, sources: Mapping[str, Named]) -> Basis:
    """'Society of Radiographers, Practice standards for imaging children…: 5. Standard
    requirements', or a local setting with its note."""
    if rule.source is None:
        return Basis(rule.note or "", local=True)
    found = sources.get(rule.source.key)
    text = f"{found.publisher}, {found.title}" if found else rule.source.key
    if rule.source.section and rule.source.section not in text:
        text += f": {rule.source.section}"
    if rule.source.confidence is not schema.Confidence.CONFIRMED:
        text += " (to confirm locally)"
    return Basis(text)


def _level(level: Level) -> SupervisionLevel:
    return SupervisionLevel(level.value)
