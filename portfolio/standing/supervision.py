"""Supervision ceilings, patient groups and conditions: the strictest level that applies.

- Ceilings come from the framework, per item and job role, trainee or preceptee: an
  assistant practitioner's imaging at most indirect and paediatrics direct (E5), the
  mammography associate's remote model only at a site recorded as qualifying (E12).
- A preceptorship period caps supervision at its ceiling, direct by default (a local
  setting), names the preceptor, and ends the answer with the period.
- A patient group some job roles see only with other competencies current: children on an
  AP examination only with paediatrics current (E6).
- Conditions are structured values matched against the task; a recorded level laxer than a
  ceiling is capped, never silently: the answer says which ceiling and its source.
"""

from __future__ import annotations

import datetime as dt

from portfolio.standing.answer import NoticeCode, Reason, ReasonCode
from portfolio.standing.competence import competence_of
from portfolio.standing.facts import (
    IRMER_OPERATOR,
    PRECEPTORSHIP_DEFAULT,
    Basis,
    Ceiling,
    Condition,
    ConditionKind,
    ItemFacts,
    PatientGroupRule,
    PersonFacts,
    Settings,
)
from portfolio.standing.status import SupervisionLevel, long_date
from portfolio.standing.terms import PatientGroup, laxer, strictest, strictness
from portfolio.standing.verdict import AppliedCeiling, Question, Verdict

_CONDITION = Basis("a condition of the sign-off")
DEFAULT_SETTINGS = Settings()


def apply_ceilings(question: Question, verdict: Verdict) -> None:
    role = question.person.role
    if role is None:
        return
    for ceiling in question.item.ceilings:
        if not ceiling.applies_to(role, preceptee=question.preceptee):
            continue
        what = _whom(question, ceiling)
        if ceiling.patient_group is not None:
            _for_patient_group(question, verdict, ceiling, what)
        elif ceiling.remote_at_qualifying_site:
            _for_site(question, verdict, ceiling, what)
        else:
            verdict.cap(AppliedCeiling(ceiling.at_most, ceiling.basis, what))


def _whom(question: Question, ceiling: Ceiling) -> str:
    role = question.person.role
    who = "a trainee" if ceiling.trainee else "a preceptee" if ceiling.preceptee else ""
    if not who and role is not None:
        label = role.job_role.label.lower()
        who = f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
    group = f" imaging {ceiling.patient_group.label}" if ceiling.patient_group else ""
    return f"{who}{group} in {question.item.title.lower()}"


def _for_patient_group(question: Question, verdict: Verdict, ceiling: Ceiling, what: str) -> None:
    group = ceiling.patient_group
    assert group is not None
    asked = question.task.patient_group if question.task else None
    excluded = any(
        c.excluded and c.kind is ConditionKind.PATIENT_GROUP and group.value in c.values
        for c in verdict.conditions
    )
    if asked is group:
        verdict.cap(AppliedCeiling(ceiling.at_most, ceiling.basis, what))
    elif asked is None and not excluded:
        verdict.conditions.append(
            Condition(
                ConditionKind.PATIENT_GROUP,
                frozenset({group.value}),
                f"{ceiling.at_most.label} when imaging {group.label}",
                ceiling.at_most,
            )
        )


def _for_site(question: Question, verdict: Verdict, ceiling: Ceiling, what: str) -> None:
    site = question.task.site if question.task and question.task.site else question.person.site
    if site is not None and site.two_ma_remote_model:
        return
    where = (
        f"{site.name} is not recorded as qualifying"
        if site is not None
        else "no qualifying site is recorded for the task"
    )
    verdict.cap(
        AppliedCeiling(
            ceiling.at_most,
            ceiling.basis,
            f"{what}: remote supervision only at a site qualifying for the two-associate "
            f"model, and {where}",
            ReasonCode.SITE_NOT_QUALIFYING,
        )
    )


def apply_preceptorship(question: Question, verdict: Verdict) -> None:
    for period in question.person.preceptorships:
        if not period.applies(question.item.code, question.on):
            continue
        verdict.cap(AppliedCeiling(period.ceiling, PRECEPTORSHIP_DEFAULT, "a preceptee"))
        verdict.ends_on(period.ends_on)
        verdict.warn(
            NoticeCode.PRECEPTEE,
            f"In preceptorship until {long_date(period.ends_on)}; preceptor: {period.preceptor}",
        )


def check_patient_groups(question: Question, verdict: Verdict) -> None:
    role = question.person.role
    if role is None:
        return
    for rule in question.item.patient_groups:
        if role.job_role not in rule.job_roles:
            continue
        _patient_group(question, verdict, rule)


def _patient_group(question: Question, verdict: Verdict, rule: PatientGroupRule) -> None:
    statuses = [competence_of(question.person, r.code, question.on).status for r in rule.requires]
    current = all(status.may_practise for status in statuses)
    asked = question.task.patient_group if question.task else None
    needed = " and ".join(ref.name for ref in rule.requires)
    if current:
        if asked is None or asked is rule.group:
            for status in statuses:
                verdict.ends_on(status.expires_on)
        return
    if asked is rule.group:
        code = (
            ReasonCode.CHILD_WITHOUT_PAEDIATRICS
            if rule.group is PatientGroup.CHILD
            else ReasonCode.CONDITION_NOT_MET
        )
        verdict.refuse(
            code,
            f"This task is for {rule.group.label}: that needs {needed} current "
            f"({rule.basis.label})",
        )
    elif asked is None:
        verdict.conditions.append(
            Condition(
                ConditionKind.PATIENT_GROUP,
                frozenset({rule.group.value}),
                f"Not {rule.group.label}: that needs {needed} current",
                excluded=True,
            )
        )


def gather_conditions(question: Question, verdict: Verdict) -> None:
    """The sign-off's conditions, the framework's mandatory ones for the job role, and the
    restrictions recorded on the sign-off, each matched against the task when there is one."""
    role, item = question.person.role, question.item
    competence = competence_of(question.person, item.code, question.on)
    recorded = list(dict.fromkeys(competence.status.conditions))  # in the sign-off's order
    known = {name: rule for rule in item.conditions for name in (rule.code, rule.label)}
    found = [
        known[label].structured()
        if label in known
        else Condition(ConditionKind.NOTE, frozenset(), label)
        for label in recorded
    ]
    found += [
        rule.structured()
        for rule in item.conditions
        if role is not None
        and role.job_role in rule.mandatory_for
        and rule.code not in recorded
        and rule.label not in recorded
    ]
    found += competence.restrictions
    for condition in found:
        _match(question, verdict, condition)
    verdict.conditions[:0] = found


def _match(question: Question, verdict: Verdict, condition: Condition) -> None:
    if question.task is None:
        return
    if not condition.admits(question.task):
        verdict.refuse(ReasonCode.CONDITION_NOT_MET, f"{condition.label}: not this task")
    elif condition.supervision is not None and condition.matches(question.task):
        verdict.cap(AppliedCeiling(condition.supervision, _CONDITION, condition.label.lower()))


def supervision(
    recorded: SupervisionLevel | None, verdict: Verdict
) -> tuple[SupervisionLevel | None, tuple[Reason, ...]]:
    """The strictest of the recorded level and every ceiling, with a reason for each ceiling
    that capped a laxer recorded level."""
    level = strictest([recorded, *(ceiling.level for ceiling in verdict.ceilings)])
    capped: list[Reason] = []
    for ceiling in verdict.ceilings:
        if recorded is not None and laxer(recorded, ceiling.level):
            capped.append(
                Reason(
                    ceiling.code,
                    f"Recorded as {recorded.label.lower()}; at most "
                    f"{ceiling.level.label.lower()} for {ceiling.what} ({ceiling.basis.label})",
                )
            )
    return level, tuple(capped)


def ceiling_for(person: PersonFacts, item: ItemFacts, on: dt.date) -> AppliedCeiling | None:
    """The strictest ceiling on the level a sign-off of this item may record for this person
    on the date (the day the practice was observed), with its basis; None when nothing caps
    it. The same ceilings the engine applies to an answer, without a task: a ceiling for one
    patient group (an AP imaging children) is a condition of practice, not of the sign-off.

    A trainee's entitled task is at most direct (IR(ME)R reg 2) whether or not the entitlement
    is held yet: without one they are not an operator at all."""
    question = Question(person, item, on, None, DEFAULT_SETTINGS)
    verdict = Verdict()
    apply_ceilings(question, verdict)
    apply_preceptorship(question, verdict)
    role = person.role
    if role is not None and role.trainee and item.entitlement is not None:
        verdict.cap(AppliedCeiling(SupervisionLevel.DIRECT, IRMER_OPERATOR, "a trainee"))
    # The strictest; among equals, the first found (the framework's before the trust's).
    return max(verdict.ceilings, key=lambda ceiling: strictness(ceiling.level), default=None)


def above_ceiling(recorded: SupervisionLevel | None, ceiling: AppliedCeiling | None) -> str | None:
    """Why a recorded level is refused: None when it is within the ceiling (or there is none)."""
    if recorded is None or ceiling is None or not laxer(recorded, ceiling.level):
        return None
    return (
        f"{recorded.label} is above the ceiling: at most {ceiling.level.label.lower()} for "
        f"{ceiling.what} ({ceiling.basis.label})"
    )
