"""What a sign-off may not record, every problem found at once: the checks a decision (at the
point of care, on request, through the API) and a transcription share. The services raise
them together (`SignOffProblemsError`); a page shows them together with its own field errors.

A level of supervision laxer than the ceiling for the worker on the day observed (their job
role, trainee flag, preceptorship and site, over the competency's practice rules) is refused,
naming the ceiling and its source (`practice.ceilings`, `standing.supervision`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy.orm import Session

from portfolio.core.errors import FieldError, MultipleFieldError
from portfolio.frameworks.rules import rule_in_force
from portfolio.practice.ceilings import sign_off_ceiling
from portfolio.signoff import rules
from portfolio.signoff.queries import SignOffContext
from portfolio.standing.status import Outcome, SupervisionLevel, long_date
from portfolio.standing.supervision import above_ceiling


class SignOffError(FieldError):
    """A sign-off step that cannot be taken, with the form field it belongs to."""


class SignOffProblemsError(MultipleFieldError, SignOffError):
    """Every problem with one sign-off, each on its field."""


def check_eligible(
    context: SignOffContext,
    facts: rules.AssessorFacts,
    on: dt.date,
    register_check_valid_days: int,
    field: str,
) -> rules.Eligibility:
    result = rules.eligibility(
        context.competency.definition.assessors,
        facts,
        worker_id=context.worker_id,
        worker_organisation_id=context.organisation_id,
        on=on,
        register_check_valid_days=register_check_valid_days,
    )
    if not result.eligible:
        raise SignOffError(field, f"{facts.name} cannot sign this off: {result.reasons[0]}")
    return result


def chosen_evidence(context: SignOffContext, evidence_ids: Collection[int]) -> set[int]:
    offered = {item.evidence_id for item in context.evidence}
    chosen = set(evidence_ids)
    if chosen - offered:
        raise SignOffError(
            "evidence_ids",
            "Choose evidence linked to this competency"
            + (
                f" and dated after the previous sign-off ({long_date(context.evidence_after)})"
                if context.evidence_after
                else ""
            ),
        )
    return chosen


def ceiling_problem(
    session: Session,
    context: SignOffContext,
    supervision: SupervisionLevel | None,
    observed_on: dt.date,
    field: str = "supervision",
) -> SignOffError | None:
    """A level laxer than the worker's ceiling on the day observed, named with its source."""
    if supervision is None:
        return None
    ceiling = sign_off_ceiling(session, context.worker_id, context.competency, observed_on)
    refusal = above_ceiling(supervision, ceiling)
    return SignOffError(field, refusal) if refusal else None


def _observed_problems(
    context: SignOffContext, observed_on: dt.date, on: dt.date, backdate_days: int
) -> list[SignOffError]:
    if observed_on > on:
        return [SignOffError("observed_on", "The date observed must be today or before")]
    if observed_on < on - dt.timedelta(days=backdate_days):
        return [
            SignOffError(
                "observed_on", f"The date observed must be within the last {backdate_days} days"
            )
        ]
    if context.evidence_after is not None and observed_on <= context.evidence_after:
        return [
            SignOffError(
                "observed_on",
                "A reassessment must be observed after the previous sign-off "
                f"({long_date(context.evidence_after)})",
            )
        ]
    return []


_FEEDBACK = (
    ("went_well", "what went well"),
    ("to_develop", "what to develop"),
    ("action_plan", "an action plan"),
)


def decision_problems(
    session: Session,
    context: SignOffContext,
    *,
    outcome: Outcome | None,
    observed_on: dt.date | None,
    supervision: SupervisionLevel | None,
    evidence_ids: Collection[int],
    texts: Mapping[str, str],
    declared: bool,
    assessor: rules.AssessorFacts | None,
    on: dt.date,
    register_check_valid_days: int,
    backdate_days: int,
) -> list[SignOffError]:
    """Every problem with a decision. A page asks with what it could read (`outcome` or
    `observed_on` None when the form could not give them: the checks that need them wait)."""
    found = _observed_problems(context, observed_on, on, backdate_days) if observed_on else []
    if assessor is not None:
        try:
            check_eligible(context, assessor, on, register_check_valid_days, "assessor")
        except SignOffError as error:
            found.append(error)
    try:
        chosen = chosen_evidence(context, evidence_ids)
    except SignOffError as error:
        found.append(error)
        chosen = set()
    by = observed_on or on
    later = [
        item.title
        for item in context.evidence
        if item.evidence_id in chosen and item.activity_on > by
    ]
    if later:
        found.append(
            SignOffError(
                "evidence_ids", f"{later[0]} is dated after the practice was observed: untick it"
            )
        )
    if outcome is Outcome.COMPETENT:
        rule = rule_in_force(context.default_rule, context.policy_versions, by)
        missing = context.missing(len(chosen), rule, by=by)
        if missing:
            found.append(SignOffError("outcome", f"Cannot sign off yet: {missing[0]}"))
        if supervision is None:
            found.append(SignOffError("supervision", "Choose the level of supervision"))
        elif observed_on is not None:
            above = ceiling_problem(session, context, supervision, observed_on)
            found += [above] if above else []
        if not declared:
            found.append(
                SignOffError(
                    "declaration",
                    "The worker must confirm they have read the policy and accept accountability",
                )
            )
    elif outcome is Outcome.NOT_YET_COMPETENT:
        found += [
            SignOffError(name, f"Enter {label}, so the worker knows what to do next")
            for name, label in _FEEDBACK
            if not texts.get(name, "").strip()
        ]
    return found
