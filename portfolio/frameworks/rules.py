"""Judgements about frameworks, as pure functions over plain values.

- which competencies a job role's scope of practice holds, core or optional, following the
  scopes it builds on, and what a worker's post and plan add to it;
- which rule is in force for a competency on a date: the framework's default, or the
  organisation's local policy version effective then;
- which qualification levels are equivalent across the UK frameworks and the EQF.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from portfolio.frameworks.schema import QualificationFramework


@dataclass(frozen=True)
class ScopeDefinition:
    code: str
    builds_on: str | None
    core: tuple[str, ...]
    optional: tuple[str, ...]


@dataclass(frozen=True)
class ScopeItem:
    code: str
    core: bool
    # The scope that first lists the item (e.g. an AP's cannulation comes from the SCSW's).
    from_scope: str


def resolve_scope(scopes: Mapping[str, ScopeDefinition], code: str) -> dict[str, ScopeItem]:
    """Everything a scope holds, including what it builds on.

    An item core anywhere along the chain is core: a role never makes its predecessor's core
    duty optional. Order: the foundation's items first, each scope's in its own order.
    """
    chain: list[ScopeDefinition] = []
    seen: set[str] = set()
    current: str | None = code
    while current is not None:
        if current in seen:
            raise ValueError(f"scopes build on each other in a cycle at {current}")
        seen.add(current)
        scope = scopes[current]
        chain.append(scope)
        current = scope.builds_on
    items: dict[str, ScopeItem] = {}
    for scope in reversed(chain):
        for item_code in scope.core:
            origin = items[item_code].from_scope if item_code in items else scope.code
            items[item_code] = ScopeItem(item_code, True, origin)
        for item_code in scope.optional:
            if item_code not in items:
                items[item_code] = ScopeItem(item_code, False, scope.code)
    return items


@dataclass(frozen=True)
class Rule:
    """The requirements a sign-off is made under."""

    supervised_procedures: int
    reassessment_months: int | None
    countersignature_required: bool
    policy_version: int | None  # None: the framework's default
    policy_title: str | None = None


@dataclass(frozen=True)
class PolicyVersion:
    version: int
    title: str
    effective_from: dt.date
    supervised_procedures: int | None = None
    reassessment_months: int | None = None
    countersignature_required: bool | None = None


def rule_in_force(default: Rule, policies: Sequence[PolicyVersion], on: dt.date) -> Rule:
    """The local policy version effective on the date, over the framework's default.

    A policy applies from its effective date: a sign-off made earlier keeps the rule it was
    made under. Between versions effective the same day the higher version wins. A policy
    that leaves a value unset keeps the framework's default for it.
    """
    in_force = [policy for policy in policies if policy.effective_from <= on]
    if not in_force:
        return default
    policy = max(in_force, key=lambda item: (item.effective_from, item.version))
    return Rule(
        supervised_procedures=default.supervised_procedures
        if policy.supervised_procedures is None
        else policy.supervised_procedures,
        reassessment_months=default.reassessment_months
        if policy.reassessment_months is None
        else policy.reassessment_months,
        countersignature_required=default.countersignature_required
        if policy.countersignature_required is None
        else policy.countersignature_required,
        policy_version=policy.version,
        policy_title=policy.title,
    )


# Qualifications Can Cross Boundaries (QAA, 8th edition, August 2023), table 1, levels 2-6.
# Each row is one band of equivalent levels. FHEQ starts at level 4 and numbers as RQF.
_EQUIVALENT_BANDS: tuple[dict[QualificationFramework, tuple[int, ...]], ...] = (
    {
        QualificationFramework.EQF: (3,),
        QualificationFramework.RQF: (2,),
        QualificationFramework.CQFW: (2,),
        QualificationFramework.SCQF: (5,),
        QualificationFramework.FHEQ: (),
    },
    {
        QualificationFramework.EQF: (4,),
        QualificationFramework.RQF: (3,),
        QualificationFramework.CQFW: (3,),
        QualificationFramework.SCQF: (6,),
        QualificationFramework.FHEQ: (),
    },
    {
        QualificationFramework.EQF: (5,),
        QualificationFramework.RQF: (4, 5),
        QualificationFramework.CQFW: (4, 5),
        QualificationFramework.SCQF: (7, 8),
        QualificationFramework.FHEQ: (4, 5),
    },
    {
        QualificationFramework.EQF: (6,),
        QualificationFramework.RQF: (6,),
        QualificationFramework.CQFW: (6,),
        QualificationFramework.SCQF: (9, 10),
        QualificationFramework.FHEQ: (6,),
    },
)


def equivalent_levels(
    framework: QualificationFramework, level: int
) -> dict[QualificationFramework, tuple[int, ...]]:
    """The levels in every framework equivalent to this one. RQF, CQFW and FHEQ share their
    numbering exactly (RQF 4 is FHEQ 4), so within the EQF 5 band they map level for level.

    Raises ValueError outside levels 2-6, which the source table does not cover.
    """
    for band in _EQUIVALENT_BANDS:
        if level in band[framework]:
            result = dict(band)
            if framework in _SAME_NUMBERING:
                for other in _SAME_NUMBERING:
                    result[other] = (level,) if level in band[other] else ()
            return result
    raise ValueError(f"no equivalence recorded for {framework.value.upper()} level {level}")


_SAME_NUMBERING = (
    QualificationFramework.RQF,
    QualificationFramework.CQFW,
    QualificationFramework.FHEQ,
)


def rqf_level(framework: QualificationFramework, level: int) -> int:
    """The RQF level a qualification sits at (the lowest, where a band spans two)."""
    levels = equivalent_levels(framework, level)[QualificationFramework.RQF]
    if not levels:
        raise ValueError(f"no RQF equivalent for {framework.value.upper()} level {level}")
    return min(levels)


class Requirement(enum.Enum):
    """Why a competency is in a worker's scope, and whether their progress counts it."""

    CORE = "core"  # core in the job role's scope
    POST_CORE = "post_core"  # optional in the scope, core in their post
    PLANNED = "planned"  # optional, added to their plan by a supervisor or educator
    OPTIONAL = "optional"  # available, not yet taken up

    @property
    def counts(self) -> bool:
        return self is not Requirement.OPTIONAL

    @property
    def label(self) -> str:
        return {
            "core": "Core",
            "post_core": "Core in this post",
            "planned": "In their plan",
            "optional": "Optional",
        }[self.value]


def worker_scope(
    items: Mapping[str, ScopeItem], post_core: Iterable[str], plan: Iterable[str]
) -> dict[str, Requirement]:
    """A worker's scope: the job role's, with their post's core items and their plan."""
    post, planned = set(post_core), set(plan)
    result = {}
    for code, item in items.items():
        if item.core:
            result[code] = Requirement.CORE
        elif code in post:
            result[code] = Requirement.POST_CORE
        elif code in planned:
            result[code] = Requirement.PLANNED
        else:
            result[code] = Requirement.OPTIONAL
    return result
