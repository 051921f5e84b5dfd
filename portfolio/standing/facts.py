"""What the standing engine is told: plain, frozen values the queries build.

Three kinds of facts:
- `PersonFacts`: the person on the date. Their job role and trainee flag, the scope of
  practice it gives them, the competence status of each competency (`standing.status`), their
  IR(ME)R operator entitlements, designations (MR Authorised Person, staff MR safety screening),
  preceptorship periods and the site they work at.
- `ItemFacts`: the competency's practice rules from the framework: the entitlement it needs,
  the designations it needs, supervision ceilings per job role, trainee and preceptee, the
  patient groups it covers, its prerequisites and its conditions.
- `TaskContext`, optional: the task being allocated (patient group, room, equipment, site).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from portfolio.core.roles import JobRole
from portfolio.standing.status import StatusOnDate, SupervisionLevel
from portfolio.standing.terms import DesignationKind, EntitlementKind, Modality, PatientGroup

LOCAL_LABEL = "set by your trust"


@dataclass(frozen=True)
class Basis:
    """Where a rule comes from: a public source, or a setting of the trust (`local`)."""

    text: str = ""
    local: bool = False

    @property
    def label(self) -> str:
        if self.local:
            return f"{LOCAL_LABEL}: {self.text}" if self.text else LOCAL_LABEL
        return self.text


# The two rules the engine applies whatever the framework says, each with its source.
IRMER_OPERATOR = Basis(
    "IR(ME)R 2017 reg 2: a person taking part in practical aspects as part of practical "
    "training is not an operator, and only under the direct supervision of an adequately "
    "trained person (quoted from secondary copies of SI 2017/1322)"
)
PRECEPTORSHIP_DEFAULT = Basis("direct supervision during a preceptorship", local=True)


class GrantState(enum.Enum):
    NOT_YET = "not_yet"  # granted from a later day
    CURRENT = "current"
    REVIEW_LAPSED = "review_lapsed"  # past its review date without a renewal
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, kw_only=True)
class Grant:
    """A dated grant by the employer: current from `granted_on` through `review_on` (its last
    day without a review), and no longer from the day it is withdrawn."""

    granted_on: dt.date
    granted_by: str = ""
    review_on: dt.date | None = None
    withdrawn_on: dt.date | None = None

    def __post_init__(self) -> None:
        if self.review_on is not None and self.review_on < self.granted_on:
            raise ValueError("a grant cannot be due for review before it is granted")
        if self.withdrawn_on is not None and self.withdrawn_on < self.granted_on:
            raise ValueError("a grant cannot be withdrawn before it is granted")

    def state_on(self, on: dt.date) -> GrantState:
        if self.withdrawn_on is not None and on >= self.withdrawn_on:
            return GrantState.WITHDRAWN
        if on < self.granted_on:
            return GrantState.NOT_YET
        if self.review_on is not None and on > self.review_on:
            return GrantState.REVIEW_LAPSED
        return GrantState.CURRENT


@dataclass(frozen=True, kw_only=True)
class Entitlement(Grant):
    """An IR(ME)R operator entitlement for one task kind, in one modality (None: any)."""

    kind: EntitlementKind
    modality: Modality | None = None
    # Exposure: the named examinations it covers (chest, appendicular…).
    examinations: frozenset[str] = frozenset()


@dataclass(frozen=True, kw_only=True)
class Designation(Grant):
    kind: DesignationKind


@dataclass(frozen=True, kw_only=True)
class Preceptorship:
    """A dated preceptorship period on an appointment, with a named preceptor."""

    starts_on: dt.date
    ends_on: dt.date  # its last day
    preceptor: str
    ceiling: SupervisionLevel = SupervisionLevel.DIRECT  # the trust's default
    items: frozenset[str] | None = None  # the competencies it caps; None: every one

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError("a preceptorship cannot end before it starts")

    def applies(self, code: str, on: dt.date) -> bool:
        in_period = self.starts_on <= on <= self.ends_on
        return in_period and (self.items is None or code in self.items)


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    # Recorded as meeting the NHSBSP two-mammography-associate model (hard-wired to the base
    # site, or phone access to a qualified mammographer).
    two_ma_remote_model: bool = False


@dataclass(frozen=True)
class Signers:
    """Who a decision names: the assessor as recorded, and the countersigning educator."""

    assessor: str
    countersigner: str | None = None


class ConditionKind(enum.Enum):
    PATIENT_GROUP = "patient_group"
    ROOM = "room"
    EQUIPMENT = "equipment"
    SITE = "site"
    MODALITY = "modality"  # radiological equipment of a modality (QA)
    NOTE = "note"  # a condition the task cannot be matched against (co-operative patients)


@dataclass(frozen=True)
class Condition:
    """A condition of practice, as values a task can be matched against.

    Without `supervision`: the task must be one of `values` ("adults only"), or none of them
    when `excluded` ("not children"). With it: when the task is one of `values`, supervision
    is at most that level ("direct supervision when imaging children")."""

    kind: ConditionKind
    values: frozenset[str]
    label: str
    supervision: SupervisionLevel | None = None
    excluded: bool = False

    def matches(self, task: TaskContext) -> bool | None:
        """Whether the task is one of the values; None when the task does not say."""
        value = task.value_for(self.kind)
        return None if value is None else value in self.values

    def admits(self, task: TaskContext) -> bool:
        """False only when the task says something the condition excludes."""
        matched = self.matches(task)
        if self.supervision is not None or matched is None:
            return True
        return not matched if self.excluded else matched


@dataclass(frozen=True)
class Competence:
    """A competency's status on the date (`standing.status.status_on`), and what it cannot
    show: a newer sign-off waiting for its countersignature, and structured restrictions
    recorded on the sign-off (a room, equipment, a site)."""

    status: StatusOnDate
    countersignature_pending: bool = False
    restrictions: tuple[Condition, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RoleOnDate:
    job_role: JobRole
    scope: frozenset[str]  # competency codes in their scope of practice (job role, post, plan)
    trainee: bool = False
    post: str | None = None


@dataclass(frozen=True, kw_only=True)
class PersonFacts:
    role: RoleOnDate | None  # None: no job role recorded that day
    competence: Mapping[str, Competence] = field(default_factory=dict)
    entitlements: tuple[Entitlement, ...] = ()
    designations: tuple[Designation, ...] = ()
    preceptorships: tuple[Preceptorship, ...] = ()
    site: Site | None = None  # where they work that day, when the task does not say
    signers: Mapping[int, Signers] = field(default_factory=dict)  # by decision id


@dataclass(frozen=True)
class ItemRef:
    code: str
    title: str

    @property
    def name(self) -> str:
        return self.title if self.code in self.title else f"{self.title} ({self.code})"


@dataclass(frozen=True, kw_only=True)
class EntitlementNeed:
    kind: EntitlementKind
    basis: Basis
    modality: Modality | None = None
    examination: str | None = None
    # Needed only when the task is on radiological equipment; the task names the modality.
    task_modality_only: bool = False

    def for_task(self, task: TaskContext | None) -> EntitlementNeed | None:
        """The need for this task: None when the task needs no entitlement."""
        if not self.task_modality_only:
            return self
        if task is None or task.modality is None:
            return None
        return dataclasses.replace(self, modality=task.modality, task_modality_only=False)

    @property
    def label(self) -> str:
        where = [self.modality.label] if self.modality else []
        where += [self.examination.replace("-", " ")] if self.examination else []
        detail = f" ({': '.join(where)})" if where else ""
        return f"IR(ME)R operator entitlement for {self.kind.label}{detail}"

    def covered_by(self, entitlement: Entitlement) -> bool:
        return (
            entitlement.kind is self.kind
            and (entitlement.modality is None or entitlement.modality is self.modality)
            and (self.examination is None or self.examination in entitlement.examinations)
        )


@dataclass(frozen=True, kw_only=True)
class DesignationNeed:
    kind: DesignationKind
    basis: Basis


@dataclass(frozen=True, kw_only=True)
class Ceiling:
    """The most autonomy a sign-off allows, for whom it applies."""

    at_most: SupervisionLevel
    basis: Basis
    job_roles: frozenset[JobRole] = frozenset()  # empty: every job role
    trainee: bool = False  # only while a trainee
    preceptee: bool = False  # only during a preceptorship
    patient_group: PatientGroup | None = None  # only for this patient group
    # Remote is allowed at a site recorded as qualifying for the two-associate model;
    # elsewhere the ceiling is `at_most`.
    remote_at_qualifying_site: bool = False

    def applies_to(self, role: RoleOnDate, *, preceptee: bool) -> bool:
        return (
            (not self.job_roles or role.job_role in self.job_roles)
            and (not self.trainee or role.trainee)
            and (not self.preceptee or preceptee)
        )


@dataclass(frozen=True, kw_only=True)
class PatientGroupRule:
    """A patient group some job roles may see only with other competencies current (an AP
    imaging children needs paediatrics)."""

    group: PatientGroup
    job_roles: frozenset[JobRole]
    requires: tuple[ItemRef, ...]
    basis: Basis


@dataclass(frozen=True, kw_only=True)
class ConditionRule:
    """A framework condition: its code and label as sign-offs record them, and its values."""

    code: str
    label: str
    mandatory_for: frozenset[JobRole] = frozenset()
    patient_groups: frozenset[PatientGroup] = frozenset()
    supervision: SupervisionLevel | None = None

    def structured(self) -> Condition:
        if not self.patient_groups:
            return Condition(ConditionKind.NOTE, frozenset(), self.label)
        values = frozenset(group.value for group in self.patient_groups)
        return Condition(ConditionKind.PATIENT_GROUP, values, self.label, self.supervision)


@dataclass(frozen=True, kw_only=True)
class ItemFacts:
    code: str
    title: str
    prerequisites: tuple[ItemRef, ...] = ()
    entitlement: EntitlementNeed | None = None
    designations: tuple[DesignationNeed, ...] = ()
    ceilings: tuple[Ceiling, ...] = ()
    patient_groups: tuple[PatientGroupRule, ...] = ()
    conditions: tuple[ConditionRule, ...] = ()

    @property
    def ref(self) -> ItemRef:
        return ItemRef(self.code, self.title)


@dataclass(frozen=True, kw_only=True)
class TaskContext:
    patient_group: PatientGroup | None = None
    room: str | None = None
    equipment: str | None = None
    site: Site | None = None
    modality: Modality | None = None  # of the radiological equipment, for QA

    def value_for(self, kind: ConditionKind) -> str | None:
        match kind:
            case ConditionKind.PATIENT_GROUP:
                return self.patient_group.value if self.patient_group else None
            case ConditionKind.ROOM:
                return self.room
            case ConditionKind.EQUIPMENT:
                return self.equipment
            case ConditionKind.SITE:
                return self.site.code if self.site else None
            case ConditionKind.MODALITY:
                return self.modality.value if self.modality else None
        return None


@dataclass(frozen=True, kw_only=True)
class Settings:
    """The trust's settings for the engine (labelled "set by your trust" where shown)."""

    warn_within_days: int = 7  # amber: something the answer rests on ends within this window

    def __post_init__(self) -> None:
        if self.warn_within_days < 0:
            raise ValueError("the warning window cannot be negative")
