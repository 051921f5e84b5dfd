"""Who may sign a competency off, what must be in place first, and when a sign-off expires.

Pure functions over plain values: the pages and services build the facts from the database
and ask here. Every "no" comes with the reason in words a radiographer would use, because an
assessor turned away at the point of care needs to know why, there and then.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portfolio.core.roles import PROFESSIONS, AccountRole, JobRole
from portfolio.frameworks.practice_terms import AssessorList, DesignationKind
from portfolio.frameworks.schema import AssessorRule, Assessors, Condition
from portfolio.people.registers import (
    Radiography,
    RegisterCheckResult,
    RegisterType,
    conditions_reviewed,
)
from portfolio.standing.status import StatusOnDate, long_date

# Register check results under which a registrant may assess: a caution does not restrict
# practice. Conditions of practice may (a named supervisor, say), so they count only once a
# practice educator has reviewed what they allow (E1).
_IN_GOOD_STANDING = (RegisterCheckResult.REGISTERED, RegisterCheckResult.CAUTION)


@dataclass(frozen=True)
class AssessorFacts:
    """What the rules need to know about a would-be assessor on the day they decide."""

    id: int
    name: str
    active: bool
    organisation_id: int
    roles: frozenset[AccountRole]
    profession: str | None
    register: RegisterType
    register_number: str | None
    register_checked_on: dt.date | None
    register_check_result: RegisterCheckResult | None
    # Tags of qualifications recorded as achieved by someone else (careers.queries).
    qualification_tags: frozenset[str]
    # Their own status in this competency on the day (only asked when the framework says so).
    own_status: StatusOnDate | None = None
    # An HCPC radiographer: diagnostic or therapeutic (None: not recorded).
    radiography: Radiography | None = None
    # The day a practice educator last reviewed their conditions of practice (None: never).
    conditions_reviewed_on: dt.date | None = None
    # The approved-assessor lists they are on, and the designations they hold, on the day.
    approved_lists: frozenset[AssessorList] = frozenset()
    designations: frozenset[DesignationKind] = frozenset()


@dataclass(frozen=True)
class Eligibility:
    reasons: tuple[str, ...]  # empty: eligible

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def answer(self) -> str:
        """The answer in one line: "Eligible", or "Not eligible: " and every reason."""
        if self.eligible:
            return "Eligible"
        return "Not eligible: " + "; ".join(_lower_first(item) for item in self.reasons)


def _lower_first(text: str) -> str:
    """Lower-case a reason's first word unless it is an initialism (HCPC, MR, ANTT)."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() else text[0].lower() + text[1:]


def eligibility(
    rule: Assessors,
    assessor: AssessorFacts,
    *,
    worker_id: int,
    worker_organisation_id: int,
    on: dt.date,
    register_check_valid_days: int,
) -> Eligibility:
    """Whether this person may sign this competency off for this worker on this day.

    The register check must be recent (`register_check_valid_days`, a trust's choice) and
    have found them in good standing: a number alone proves nothing about today.
    """
    reasons: list[str] = []
    if assessor.id == worker_id:
        return Eligibility(("Nobody can sign off their own competency",))
    if not assessor.active or assessor.organisation_id != worker_organisation_id:
        return Eligibility(("Only an active member of staff in the same organisation can assess",))
    if not assessor.roles & {AccountRole.SUPERVISOR, AccountRole.EDUCATOR}:
        reasons.append("Only supervisors, assessors and practice educators can sign off")
    if rule.professions and assessor.profession not in rule.professions:
        wanted = " or ".join(PROFESSIONS[item].lower() for item in rule.professions)
        article = "an" if wanted[0] in "aeiou" else "a"
        reasons.append(f"This competency is assessed by {article} {wanted}")
    elif radiography := _radiography_problem(rule, assessor):
        reasons.append(radiography)
    if rule.rule is not AssessorRule.ANY_COMPETENT_COLLEAGUE and (
        rule.registers or rule.rule is not AssessorRule.APPROVED_LIST
    ):
        reasons.extend(_registration_problems(rule, assessor, on, register_check_valid_days))
    if approval := _approval_problem(rule, assessor):
        reasons.append(approval)
    if rule.qualifications and not set(rule.qualifications) & assessor.qualification_tags:
        wanted = " or ".join(item.replace("-", " ") for item in rule.qualifications)
        reasons.append(
            f"The assessor needs a recorded {wanted} qualification, confirmed by an "
            "educator or administrator"
        )
    if rule.must_hold_sign_off and (
        assessor.own_status is None or not assessor.own_status.may_practise
    ):
        state = assessor.own_status.status.label.lower() if assessor.own_status else "not started"
        reasons.append(
            f"The assessor must be signed off and current in this competency themselves "
            f"(theirs is {state})"
        )
    return Eligibility(tuple(reasons))


def _registration_problems(
    rule: Assessors, assessor: AssessorFacts, on: dt.date, valid_days: int
) -> list[str]:
    if assessor.register not in rule.registers or not assessor.register_number:
        wanted = " or ".join(item.label for item in rule.registers)
        return [f"The assessor must be registered with the {wanted}"]
    if assessor.register_checked_on is None or assessor.register_check_result is None:
        return ["The assessor's registration has never been checked on the public register"]
    if assessor.register_check_result is RegisterCheckResult.CONDITIONS_OF_PRACTICE:
        if not conditions_reviewed(
            assessor.register_checked_on, assessor.conditions_reviewed_on, on
        ):
            return [
                f"{assessor.register.short} registration has conditions of practice, not yet "
                "reviewed by a practice educator"
            ]
    elif assessor.register_check_result not in _IN_GOOD_STANDING:
        return [
            "The last register check found the assessor "
            f"{assessor.register_check_result.label.lower()}"
        ]
    if (on - assessor.register_checked_on).days > valid_days:
        return [
            "The assessor's register check has lapsed (last checked on "
            f"{long_date(assessor.register_checked_on)}; checks last {valid_days} days here)"
        ]
    return []


def _radiography_problem(rule: Assessors, assessor: AssessorFacts) -> str | None:
    """A radiographer assessing an item for one part of the register must be on that part."""
    if rule.radiography is None or assessor.profession != "radiographer":
        return None
    if assessor.radiography is None:
        return (
            f"This competency is assessed by a {rule.radiography.label.lower()}: record "
            "whether their HCPC registration is diagnostic or therapeutic"
        )
    if assessor.radiography is not rule.radiography:
        return (
            f"This competency is assessed by a {rule.radiography.label.lower()}, and the "
            f"assessor is a {assessor.radiography.label.lower()}"
        )
    return None


def _approval_problem(rule: Assessors, assessor: AssessorFacts) -> str | None:
    """On one of the rule's approved lists, or holding one of its designations, today."""
    if not rule.approved_lists and not rule.designations:
        return None
    if set(rule.approved_lists) & assessor.approved_lists:
        return None
    if set(rule.designations) & assessor.designations:
        return None
    wanted = [f"hold a current {item.label}" for item in rule.designations] + [
        f"be {item.member}" for item in rule.approved_lists
    ]
    return "The assessor must " + " or ".join(wanted)


def qualification_summary(rule: Assessors, assessor: AssessorFacts) -> str | None:
    """The qualification that made them eligible, for the record (None when none was asked)."""
    held = sorted(set(rule.qualifications) & assessor.qualification_tags)
    return ", ".join(item.replace("-", " ") for item in held) or None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def expiry(observed_on: dt.date, reassessment_months: int | None) -> dt.date | None:
    """The last day a sign-off is valid: the anniversary of the observation after the policy's
    months (valid on that day itself, expired from the next). None: it never expires."""
    if reassessment_months is None:
        return None
    return add_months(observed_on, reassessment_months)


def conditions_for(
    available: Sequence[Condition], chosen: Iterable[str], job_role: JobRole | None
) -> tuple[Condition, ...]:
    """The conditions on a sign-off: those the assessor chose, plus any the framework makes
    mandatory for the worker's job role (an AP imaging children: direct supervision). In the
    framework's order; unknown codes are ignored (the form offers only these)."""
    picked = set(chosen)
    return tuple(
        condition
        for condition in available
        if condition.code in picked
        or (job_role is not None and job_role in condition.mandatory_for)
    )


@dataclass(frozen=True)
class Prerequisite:
    code: str
    title: str
    status: StatusOnDate


def missing_for_sign_off(
    *,
    procedures_required: int,
    procedures_confirmed: int,
    prerequisites: Sequence[Prerequisite],
    evidence_chosen: int,
    minimum_overridden: bool = False,
) -> tuple[str, ...]:
    """What still stands between a worker and a "competent" decision, in the order a worker
    would fix it. Empty: a request may be sent and the assessor may sign.

    Only procedures confirmed by their witness count, and (for a reassessment) only those
    after the previous sign-off: the caller counts them with `status.evidence_counting_…`.
    An educator's override (`minimum_overridden`) waives the procedure minimum only: a
    prerequisite that is not current still stops the sign-off, and so does having no evidence.
    """
    missing: list[str] = []
    if evidence_chosen == 0:
        missing.append("Choose at least one piece of evidence for the assessor to consider")
    if procedures_confirmed < procedures_required and not minimum_overridden:
        missing.append(
            f"{procedures_confirmed} of {procedures_required} confirmed successful "
            "supervised procedures"
        )
    for item in prerequisites:
        if not item.status.may_practise:
            name = item.title if item.code in item.title else f"{item.title} ({item.code})"
            missing.append(f"{name}: {item.status.status.label.lower()}")
    return tuple(missing)


ALREADY_OVERRIDDEN = "The minimum is already overridden for the next sign-off"


def override_refusal(
    *, procedures_required: int, procedures_confirmed: int, already_overridden: bool
) -> str | None:
    """Why the supervised procedure minimum cannot be overridden now, or None when it can.

    Only a minimum that is actually missing can be overridden, and only once until the next
    sign-off uses it (who may override is the policy's `OVERRIDE_MINIMUM`: educators and
    administrators, never an assessor alone)."""
    if already_overridden:
        return ALREADY_OVERRIDDEN
    if procedures_required == 0:
        return "This competency asks for no supervised procedures: there is nothing to override"
    if procedures_confirmed >= procedures_required:
        return (
            f"The minimum is met ({procedures_confirmed} of {procedures_required} confirmed): "
            "there is nothing to override"
        )
    return None
