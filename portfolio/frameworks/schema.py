"""The framework file format, as a schema every file is checked against before anything
touches the database. Pure: no Flask, no database.

A framework file (YAML) declares its code and version, the sources it draws on, its
competencies and, for job-role frameworks, the scopes of practice. A catalogue file
(`kind: qualifications`) lists qualifications, the tags assessors' rules refer to, and each
job role's recommended entry requirements and training in post.

Where a value is local policy or not confirmed in a source, the item says so through its
`confidence` (confirmed, to_confirm, unconfirmed): such values ship only as labelled,
editable defaults that an organisation's local policy overrides.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from portfolio.core.roles import PROFESSIONS, JobRole, Nation
from portfolio.frameworks.practice_terms import (
    AssessorList,
    DesignationKind,
    EntitlementKind,
    Level,
    Modality,
    PatientGroup,
)
from portfolio.people.registers import Radiography, RegisterType

Code = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Z0-9.-]{0,39}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
# "2021-12" or "2021-12-01": sources are often dated to the month only.
SourceDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Confidence(enum.StrEnum):
    CONFIRMED = "confirmed"  # seen in the cited source
    TO_CONFIRM = "to_confirm"  # background knowledge: a default to check locally
    UNCONFIRMED = "unconfirmed"  # sources disagree or were not seen


class EvidenceType(enum.StrEnum):
    REFLECTIVE_ACCOUNT = "reflective_account"
    OBSERVED_PRACTICE = "observed_practice"
    TRAINING_RECORD = "training_record"
    CERTIFICATE = "certificate"
    WITNESS_TESTIMONY = "witness_testimony"
    PROCEDURE_LOG = "procedure_log"


class AssessmentMethod(enum.StrEnum):
    OBSERVATION = "observation"  # in the workplace
    SIMULATION = "simulation"
    DISCUSSION = "discussion"
    QUESTIONING = "questioning"
    WORKBOOK = "workbook"
    E_LEARNING = "e_learning"
    WITNESS_TESTIMONY = "witness_testimony"
    PRODUCT_OF_WORK = "product_of_work"


class AssessorRule(enum.StrEnum):
    ANY_COMPETENT_COLLEAGUE = "any_competent_colleague"
    REGISTRANT = "registrant"
    QUALIFIED_REGISTRANT = "qualified_registrant"
    # On one of the department's approved-assessor lists (`approved_lists`); any registers
    # named must also be held in good standing (domain review section 2b).
    APPROVED_LIST = "approved_list"


class QualificationFramework(enum.StrEnum):
    RQF = "rqf"
    FHEQ = "fheq"
    SCQF = "scqf"
    CQFW = "cqfw"
    EQF = "eqf"


class Source(Strict):
    key: Slug
    title: ShortText
    publisher: ShortText
    date: SourceDate
    url: str | None = Field(default=None, pattern=r"^https://")


class SourceRef(Strict):
    key: Slug
    section: ShortText | None = None
    confidence: Confidence = Confidence.CONFIRMED
    note: Text | None = None


class Default(Strict):
    """A number the framework suggests, with how sure it is (local policy overrides it)."""

    value: int = Field(ge=0, le=1000)
    confidence: Confidence
    note: Text | None = None


class Evidence(Strict):
    types: list[EvidenceType] = Field(min_length=1)
    # Each supervised procedure is a line its witness confirms; 0 means none required.
    # No national minimum exists for cannulation: trusts set it in local policy.
    supervised_procedures: Default | None = None
    prerequisites: list[Code] = Field(default_factory=list)


def _empty(value: object) -> bool:
    """Fields added after a version shipped are left out of its canonical form while unset,
    so the content hash of a file that does not use them does not change."""
    return value is None or value == []


class Assessors(Strict):
    rule: AssessorRule
    registers: list[RegisterType] = Field(default_factory=list)
    professions: list[str] = Field(default_factory=list)
    # The assessor must themselves be signed off and current in this competency.
    must_hold_sign_off: bool = False
    qualifications: list[Slug] = Field(default_factory=list)
    # A radiographer assessing it must be on this part of the HCPC register (E18).
    radiography: Radiography | None = Field(default=None, exclude_if=_empty)
    # The assessor must be on one of these lists or hold one of these designations, current
    # on the day (E20: MR safety by an MR Authorised Person or an approved MR safety trainer).
    approved_lists: list[AssessorList] = Field(default_factory=list, exclude_if=_empty)
    designations: list[DesignationKind] = Field(default_factory=list, exclude_if=_empty)
    note: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Assessors:
        unknown = [item for item in self.professions if item not in PROFESSIONS]
        if unknown:
            raise ValueError(f"unknown profession {unknown[0]!r}")
        if self.rule is AssessorRule.ANY_COMPETENT_COLLEAGUE and (
            self.registers or self.qualifications
        ):
            raise ValueError("any_competent_colleague takes no registers or qualifications")
        if self.rule in _REGISTERED_RULES and not self.registers:
            raise ValueError(f"{self.rule.value} needs at least one register")
        if RegisterType.NONE in self.registers:
            raise ValueError("'none' is not a register an assessor can hold")
        if self.rule is AssessorRule.QUALIFIED_REGISTRANT and not self.qualifications:
            raise ValueError("qualified_registrant needs at least one qualification")
        if self.rule is AssessorRule.APPROVED_LIST and not self.approved_lists:
            raise ValueError("approved_list needs at least one list in approved_lists")
        if self.rule is AssessorRule.APPROVED_LIST and self.must_hold_sign_off:
            raise ValueError("approved_list replaces must_hold_sign_off: choose one")
        if self.radiography is not None and (
            "radiographer" not in self.professions or RegisterType.HCPC not in self.registers
        ):
            raise ValueError("radiography needs the radiographer profession and the hcpc register")
        return self


_REGISTERED_RULES = (AssessorRule.REGISTRANT, AssessorRule.QUALIFIED_REGISTRANT)


class Criterion(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9.]{1,16}$")]
    text: Text
    methods: list[AssessmentMethod] = Field(min_length=1)


class Condition(Strict):
    code: Slug
    label: ShortText
    # Always on the sign-off for some job roles (an AP imaging children: direct supervision).
    mandatory_for: list[JobRole] = Field(default_factory=list)
    # As values a task is matched against: without `supervision`, the task's patient group
    # must be one of these ("adults only"); with it, supervision is at most that level when
    # it is ("direct supervision when imaging children").
    patient_groups: list[PatientGroup] = Field(default_factory=list, exclude_if=_empty)
    supervision: Level | None = Field(default=None, exclude_if=_empty)

    @model_validator(mode="after")
    def _structured(self) -> Condition:
        if self.supervision is not None and not self.patient_groups:
            raise ValueError("a condition with a supervision level needs its patient_groups")
        return self


class RuleSource(Strict):
    """Where a practice rule comes from: a cited source, or the trust's own setting (shown
    as "set by your trust")."""

    source: SourceRef | None = None
    set_by_trust: bool = False
    note: Text | None = None

    @model_validator(mode="after")
    def _one(self) -> RuleSource:
        if (self.source is None) == (not self.set_by_trust):
            raise ValueError("give either a source or set_by_trust: true, not both")
        if self.set_by_trust and not self.note:
            raise ValueError("a rule set by the trust needs a note saying what to set")
        return self


class EntitlementRule(Strict):
    """The IR(ME)R operator entitlement an item needs before anyone may do it."""

    kind: EntitlementKind
    modality: Modality | None = None
    examination: Slug | None = None  # exposure: the named examination
    # False: a local setting the trust switches on (shipped off where no source requires it).
    required: bool = True
    # Needed only for a task on radiological equipment of a modality (QA: X-ray and
    # fluoroscopy need it, ultrasound and display monitors do not).
    task_modality_only: bool = False
    basis: RuleSource

    @model_validator(mode="after")
    def _sourced(self) -> EntitlementRule:
        if not self.required and not self.basis.set_by_trust:
            raise ValueError("an entitlement that is not required is set by the trust")
        if self.task_modality_only and self.modality is not None:
            raise ValueError("task_modality_only takes its modality from the task")
        return self


class DesignationRule(Strict):
    kind: DesignationKind
    basis: RuleSource


class CeilingRule(Strict):
    """The most autonomy a sign-off allows (at_most), and for whom: job roles (none: every
    one), only trainees, only preceptees, only for a patient group."""

    at_most: Level
    job_roles: list[JobRole] = Field(default_factory=list)
    trainee: bool = False
    preceptee: bool = False
    patient_group: PatientGroup | None = None
    # Remote only at a site recorded as qualifying for the two-associate model.
    remote_at_qualifying_site: bool = False
    basis: RuleSource

    @model_validator(mode="after")
    def _meaningful(self) -> CeilingRule:
        if self.remote_at_qualifying_site and self.at_most is Level.REMOTE:
            raise ValueError("remote_at_qualifying_site needs a stricter at_most than remote")
        return self


class PatientGroupRequirement(Strict):
    """A patient group these job roles see only with other competencies current."""

    group: PatientGroup
    job_roles: list[JobRole] = Field(min_length=1)
    requires: list[Code] = Field(min_length=1)
    basis: RuleSource


class Practice(Strict):
    """What the standing engine checks beyond the sign-off (`portfolio.standing`)."""

    entitlement: EntitlementRule | None = None
    designations: list[DesignationRule] = Field(default_factory=list)
    ceilings: list[CeilingRule] = Field(default_factory=list)
    patient_groups: list[PatientGroupRequirement] = Field(default_factory=list)


class Competency(Strict):
    code: Code
    title: ShortText
    description: Text
    domain: ShortText
    level: int = Field(ge=1, le=8, description="RQF level")
    source: SourceRef
    nations: list[Nation] | None = None  # None: the framework's nations
    evidence: Evidence
    expires: bool
    reassessment_months: Default | None = None
    countersignature_required: bool = False
    conditions: list[Condition] = Field(default_factory=list)
    assessors: Assessors
    criteria: list[Criterion] = Field(default_factory=list)
    # Care Certificate: closed by a joint declaration, and recordable as previously achieved.
    joint_declaration: bool = False
    previously_achieved_allowed: bool = False
    # An employer's grant, not a competency (IR(ME)R operator entitlement is recorded apart).
    note: Text | None = None
    practice: Practice | None = Field(default=None, exclude_if=_empty)

    @model_validator(mode="after")
    def _expiry(self) -> Competency:
        if self.expires and self.reassessment_months is None:
            raise ValueError("an expiring competency needs reassessment_months")
        if not self.expires and self.reassessment_months is not None:
            raise ValueError("reassessment_months is only for competencies that expire")
        codes = [criterion.code for criterion in self.criteria]
        if len(codes) != len(set(codes)):
            raise ValueError("criterion codes must be unique within a competency")
        return self


class Scope(Strict):
    code: Slug
    title: ShortText
    job_role: JobRole | None = None
    builds_on: Slug | None = None
    source: SourceRef
    core: list[Code] = Field(default_factory=list)
    optional: list[Code] = Field(default_factory=list)


class FrameworkFile(Strict):
    kind: Literal["framework"]
    code: Slug
    title: ShortText
    version: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9A-Za-z.-]{0,19}$")]
    published_on: dt.date
    description: Text
    nations: list[Nation] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    competencies: list[Competency] = Field(min_length=1)
    scopes: list[Scope] = Field(default_factory=list)


class Qualification(Strict):
    code: Slug
    title: ShortText
    framework: QualificationFramework
    level: int = Field(ge=1, le=12)
    apprenticeship_standard: Annotated[str, StringConstraints(pattern=r"^ST\d{4}$")] | None = None
    # Tags assessors' rules refer to (for example the postgraduate mammography award).
    tags: list[Slug] = Field(default_factory=list)
    source: SourceRef
    note: Text | None = None


class EntryRoute(Strict):
    description: Text
    qualifications: list[Slug] = Field(default_factory=list)


class Pathway(Strict):
    job_role: JobRole
    level: int = Field(ge=1, le=8, description="RQF level of the role")
    entry_routes: list[EntryRoute] = Field(min_length=1)
    training_in_post: list[Text] = Field(default_factory=list)
    next_roles: list[ShortText] = Field(default_factory=list)
    source: SourceRef


class QualificationsFile(Strict):
    kind: Literal["qualifications"]
    code: Slug
    title: ShortText
    version: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9A-Za-z.-]{0,19}$")]
    published_on: dt.date
    sources: list[Source] = Field(min_length=1)
    tags: list[Slug] = Field(default_factory=list)
    qualifications: list[Qualification] = Field(default_factory=list)
    pathways: list[Pathway] = Field(default_factory=list)
