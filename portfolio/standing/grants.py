"""Entitlements and designations: being competent is not being entitled.

- An item that declares an IR(ME)R operator entitlement (exposure for named examinations, QA
  of radiological equipment, patient identification, the pregnancy and breastfeeding
  enquiry…) needs a current entitlement covering it on the date, granted by the employer
  (E7, E9, E10). Without one the answer is "may not", and says whether there was none, it
  lapsed at its review date, or it was withdrawn.
- A trainee is not an operator unless entitled: without an entitlement they take part only as
  practical training under direct supervision, which is not doing the task; with one, their
  supervision is at most direct (E8, IR(ME)R reg 2).
- An item that needs a designation (MR Authorised Person, staff MR safety screening) needs a
  current one (E20, SoR Safety in MRI §2).
"""

from __future__ import annotations

from collections.abc import Sequence

from portfolio.standing.answer import NoticeCode, ReasonCode
from portfolio.standing.facts import (
    IRMER_OPERATOR,
    Condition,
    ConditionKind,
    DesignationNeed,
    EntitlementNeed,
    Grant,
    GrantState,
)
from portfolio.standing.status import SupervisionLevel, long_date
from portfolio.standing.terms import DesignationKind, Modality
from portfolio.standing.verdict import AppliedCeiling, Question, Verdict

_DESIGNATION_CODES = {
    DesignationKind.MR_AUTHORISED_PERSON: ReasonCode.NOT_MR_AUTHORISED,
    DesignationKind.MR_SAFETY_SCREENING: ReasonCode.NOT_MR_SCREENED,
}


def check_entitlement(question: Question, verdict: Verdict) -> None:
    declared = question.item.entitlement
    if declared is None:
        return
    need = declared.for_task(question.task)
    if need is None:  # QA and the like, with no equipment named: say what it does not cover
        _equipment_condition(question, verdict, declared)
        return
    matching = [e for e in question.person.entitlements if need.covered_by(e)]
    current = [e for e in matching if e.state_on(question.on) is GrantState.CURRENT]
    trainee = question.person.role is not None and question.person.role.trainee
    if current:
        _holds(question, verdict, current, need.label, NoticeCode.ENTITLEMENT_REVIEW_SOON)
        if trainee:
            verdict.cap(AppliedCeiling(SupervisionLevel.DIRECT, IRMER_OPERATOR, "a trainee"))
        return
    if trainee:
        verdict.refuse(
            ReasonCode.TRAINEE_NOT_OPERATOR,
            f"Trainee without an {need.label}: not an operator, so they may take part only as "
            "practical training under the direct supervision of an entitled operator",
            brief=f"Trainee without an {need.label}",
        )
        return
    code, text = _missing_entitlement(question, matching, need)
    verdict.refuse(code, text, brief=text.removesuffix(f" ({need.basis.label})"))


def _equipment_condition(question: Question, verdict: Verdict, need: EntitlementNeed) -> None:
    held = {
        e.modality
        for e in question.person.entitlements
        if e.kind is need.kind and e.state_on(question.on) is GrantState.CURRENT
    }
    if None in held:
        return
    outside = frozenset(modality.value for modality in Modality if modality not in held)
    names = ", ".join(Modality(value).label for value in sorted(outside))
    verdict.conditions.append(
        Condition(
            ConditionKind.MODALITY,
            outside,
            f"Not on radiological equipment ({names}) without an {need.label}",
            excluded=True,
        )
    )


def _missing_entitlement(
    question: Question, matching: Sequence[Grant], need: EntitlementNeed
) -> tuple[ReasonCode, str]:
    latest = _latest(matching, question)
    if latest is None:
        return ReasonCode.NO_ENTITLEMENT, f"No {need.label} ({need.basis.label})"
    state = latest.state_on(question.on)
    if state is GrantState.WITHDRAWN and latest.withdrawn_on is not None:
        return (
            ReasonCode.ENTITLEMENT_WITHDRAWN,
            f"The {need.label} was withdrawn on {long_date(latest.withdrawn_on)}",
        )
    if state is GrantState.REVIEW_LAPSED and latest.review_on is not None:
        return (
            ReasonCode.ENTITLEMENT_EXPIRED,
            f"The {need.label} lapsed: its review was due by {long_date(latest.review_on)}",
        )
    return (
        ReasonCode.NO_ENTITLEMENT,
        f"No {need.label} yet: granted from {long_date(latest.granted_on)}",
    )


def check_designations(question: Question, verdict: Verdict) -> None:
    for need in question.item.designations:
        matching = [d for d in question.person.designations if d.kind is need.kind]
        current = [d for d in matching if d.state_on(question.on) is GrantState.CURRENT]
        if current:
            _holds(question, verdict, current, need.kind.label, NoticeCode.DESIGNATION_REVIEW_SOON)
            continue
        text = _missing_designation(question, matching, need)
        brief = text.removesuffix(f" ({need.basis.label})")
        verdict.refuse(_DESIGNATION_CODES[need.kind], text, brief=brief)


def _missing_designation(
    question: Question, matching: Sequence[Grant], need: DesignationNeed
) -> str:
    label = need.kind.label
    latest = _latest(matching, question)
    if latest is None:
        return f"No {label} ({need.basis.label})"
    state = latest.state_on(question.on)
    if state is GrantState.WITHDRAWN and latest.withdrawn_on is not None:
        return f"The {label} was withdrawn on {long_date(latest.withdrawn_on)}"
    if state is GrantState.REVIEW_LAPSED and latest.review_on is not None:
        return f"The {label} lapsed: its review was due by {long_date(latest.review_on)}"
    return f"No {label} yet: granted from {long_date(latest.granted_on)}"


def _holds(
    question: Question,
    verdict: Verdict,
    current: Sequence[Grant],
    label: str,
    notice: NoticeCode,
) -> None:
    """A current grant: the answer holds until the latest review among them (none: no end)."""
    reviews = [grant.review_on for grant in current]
    if any(review is None for review in reviews):
        return
    last = max(review for review in reviews if review is not None)
    verdict.ends_on(last)
    if question.soon(last):
        verdict.warn(notice, f"The {label} is due for review by {long_date(last)}")


def _latest(grants: Sequence[Grant], question: Question) -> Grant | None:
    """The grant most recently granted by the date, else the earliest one still to come."""
    started = [grant for grant in grants if grant.granted_on <= question.on]
    if started:
        return max(started, key=lambda grant: grant.granted_on)
    return min(grants, key=lambda grant: grant.granted_on, default=None)
