"""May this person do this task on this date, under what supervision, and why: pure.

One answer that every view asks (`standing`). A person may do a task on a date when none of
these stands in the way, each checked and reported (not only the first):

1. the competency is in the scope of practice of their job role that day;
2. its status lets them practise (`standing.status`: competent or due for reassessment);
3. each prerequisite is current that day (E21);
4. an IR(ME)R operator entitlement covers it, where the item needs one; a trainee without one
   is not an operator (E7-E10, E8);
5. the designations it needs are current (MR Authorised Person, MR safety screening; E20);
6. the task's patient group is one the job role may see (children on an AP examination only
   with paediatrics current; E6), and the task meets every condition.

The supervision is the strictest of the sign-off's recorded level and every ceiling that
applies (job role, trainee, preceptee, patient group, site; E5, E8, E12); `valid_until` is the
earliest end of what the answer rests on. Sources: `docs/domain/standing.md`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from portfolio.standing import competence, grants, supervision
from portfolio.standing.answer import Shown, SignOff, Standing
from portfolio.standing.facts import ItemFacts, PersonFacts, Settings, TaskContext
from portfolio.standing.status import (
    CompetencyHistory,
    Status,
    StatusOnDate,
    long_date,
    status_on,
)
from portfolio.standing.verdict import Question, Verdict

DEFAULT_SETTINGS = Settings()


def standing(
    person: PersonFacts,
    item: ItemFacts,
    on: dt.date,
    task: TaskContext | None = None,
    *,
    settings: Settings = DEFAULT_SETTINGS,
) -> Standing:
    """The standing of one person in one competency on one date, for a task if given."""
    question = Question(person, item, on, task, settings)
    verdict = Verdict()
    in_scope = competence.check_scope(question, verdict)
    sign_off = competence.check_status(question, verdict)
    lapsed = competence.check_prerequisites(question, verdict)
    grants.check_entitlement(question, verdict)
    grants.check_designations(question, verdict)
    supervision.check_patient_groups(question, verdict)
    supervision.gather_conditions(question, verdict)
    supervision.apply_ceilings(question, verdict)
    supervision.apply_preceptorship(question, verdict)
    status = competence.competence_of(person, item.code, on).status
    unentitled = tuple(reason.short for reason in verdict.reasons if reason.code.about_grants)
    may = not any(reason.blocks for reason in verdict.reasons)
    level, capped = supervision.supervision(status.supervision, verdict)
    reasons = (*verdict.reasons, *capped) if may else tuple(verdict.reasons)
    return Standing(
        code=item.code,
        may=may,
        status=status.status,
        shown=competence.shown(status, lapsed, unentitled),
        in_scope=in_scope,
        supervision=level if may else None,
        conditions=tuple(dict.fromkeys(verdict.conditions)) if may else (),
        valid_until=min(verdict.ends, default=None) if may else None,
        sign_off=sign_off,
        reasons=reasons,
        warnings=tuple(dict.fromkeys(verdict.warnings)),
        summary=_summary(may, status.status, sign_off, verdict),
    )


def shown_status(
    item: ItemFacts,
    statuses: Mapping[str, StatusOnDate],
    on: dt.date,
    person: PersonFacts | None = None,
) -> Shown:
    """The status `standing(...).shown` gives, from the statuses and the person's grants alone
    (a matrix, a progress chart): the competency's own, "Competent, prerequisite lapsed (…)"
    or "Competent, not entitled (…)"; `statuses` holds the item's and its prerequisites'
    statuses on `on` (missing: not started); `person` their entitlements, designations and
    trainee flag (None: the item needs none, or they are not known)."""
    nothing = _nothing_on(on)
    own = statuses.get(item.code, nothing)
    lapsed = competence.lapsed_prerequisites(item, lambda code: statuses.get(code, nothing))
    return competence.shown(own, lapsed, missing_grants(person, item, on) if person else ())


@functools.lru_cache(maxsize=64)
def _nothing_on(on: dt.date) -> StatusOnDate:
    """The status of a competency with nothing recorded: the same for everyone on a date."""
    return status_on(CompetencyHistory(), on, with_since=False)


def needs_grants(item: ItemFacts) -> bool:
    """The item asks for an entitlement or a designation (whatever the task)."""
    return item.entitlement is not None or bool(item.designations)


def missing_grants(person: PersonFacts, item: ItemFacts, on: dt.date) -> tuple[str, ...]:
    """What the entitlement and designation rules refuse, in words, for no task in particular
    (rules 4 and 5)."""
    question = Question(person, item, on, None, DEFAULT_SETTINGS)
    verdict = Verdict()
    grants.check_entitlement(question, verdict)
    grants.check_designations(question, verdict)
    return tuple(reason.short for reason in verdict.reasons if reason.code.about_grants)


def _summary(may: bool, status: Status, sign_off: SignOff | None, verdict: Verdict) -> str:
    """One line: what the answer rests on, or the first thing in the way."""
    if not may:
        first = next(reason for reason in verdict.reasons if reason.blocks)
        more = len([reason for reason in verdict.reasons if reason.blocks]) - 1
        return first.text + (f" (and {more} more)" if more else "")
    assert sign_off is not None
    until = min(verdict.ends, default=None)
    validity = f"valid until {long_date(until)}" if until else "does not expire"
    due = "; due for reassessment" if status is Status.DUE_FOR_REASSESSMENT else ""
    return f"{competence.signed_off_text(sign_off)}, {validity}{due}"
