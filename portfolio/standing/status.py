"""The status of one competency for one worker on any date, as a pure function of the record.

"Was this person signed off to cannulate on 3 March, and under what supervision?" The answer
comes from plain values (evidence dates, requests, decisions, suspensions, revocations) that the
sign-off pages build from the database; nothing here touches Flask or a session. Dates are
calendar dates in Europe/London (`portfolio.core.clock.today()`), never UTC.

What exists on a date
---------------------
The answer is what the portfolio held at the end of that day, so a later entry never rewrites
an earlier answer:

- a decision exists from the day it was recorded, not the day the practice was observed: asked
  about 3 March, a sign-off observed on 1 March but recorded on 5 March does not count. A
  transcribed record (paper, previous employer) likewise exists from the day it was transcribed;
- a countersignature counts from the day it was given;
- a previous employer's sign-off brought in by an import counts from the day it was accepted
  here (after one practice observed on local equipment), never before;
- a sign-off is valid up to and including its expiry day, and expired from the next day;
- a suspension applies from its start day up to the day before reinstatement (the first day
  back in practice); with no reinstatement it still applies;
- a revocation applies from its day;
- a request waits from the day it was made until the day it is decided or withdrawn (on that
  day it no longer waits);
- evidence counts from the date of the activity.

"The latest sign-off" is the competent decision most recently observed (ties: recorded later,
then the higher id). Observed, not recorded: a paper record transcribed today describes an
assessment from years ago and must not displace this year's sign-off. A later sign-off
supersedes earlier ones, so revoking or suspending it is not undone by an older one.

"The sign-off in force" is the latest sign-off that counts on the date (countersigned when its
framework requires it), unless it is revoked or suspended. It is usually the latest sign-off;
while a reassessment waits for its countersignature, the sign-off it renews stays in force.

Precedence: the first rule that applies decides the status
----------------------------------------------------------
==  ==========================  ===========================================================
 1  revoked                     the latest sign-off has been revoked
 2  suspended                   the latest sign-off is suspended
 3  due for reassessment        the sign-off in force is in date and expires within the due
                                window (default 60 days; the expiry day itself is day 0)
 4  competent                   the sign-off in force is in date
 5  awaiting local acceptance   the latest sign-off is a previous employer's record brought
                                in by an import, not yet accepted here, and in date
 6  awaiting countersignature   the latest sign-off still needs its countersignature, and
                                is in date
 7  expired                     the latest sign-off is past its expiry day
 8  awaiting sign-off           a request is waiting for an assessor
 9  not yet competent           the latest decision is "not yet competent"
10  in progress                 there is evidence
11  not started                 nothing of the above
==  ==========================  ===========================================================

So a "not yet competent" reassessment does not take away a sign-off still in date (suspend it
for that), an expired sign-off stays expired whatever follows short of a new sign-off, and a
waiting request never changes a status from rules 1 to 7: with a sign-off in date or expired
it sets `renewal_awaiting` instead. The table is `_PRECEDENCE` below, the only place it is coded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from portfolio.core.clock import (
    long_date as long_date,
)
from portfolio.core.clock import (
    shift_days,
)
from portfolio.standing.history import (
    CompetencyHistory as CompetencyHistory,
)
from portfolio.standing.history import (
    Decision as Decision,
)
from portfolio.standing.history import (
    Outcome as Outcome,
)
from portfolio.standing.history import (
    Request as Request,
)
from portfolio.standing.history import (
    Revocation as Revocation,
)
from portfolio.standing.history import (
    SupervisionLevel as SupervisionLevel,
)
from portfolio.standing.history import (
    Suspension as Suspension,
)
from portfolio.standing.history import (
    evidence_counting_towards_reassessment as evidence_counting_towards_reassessment,
)
from portfolio.standing.history import (
    reassessment_evidence_after as reassessment_evidence_after,
)
from portfolio.standing.history import (
    record_note as record_note,
)
from portfolio.standing.statuses import (
    RENEWABLE,
)
from portfolio.standing.statuses import (
    Status as Status,
)
from portfolio.standing.statuses import (
    StatusOnDate as StatusOnDate,
)


@dataclass(slots=True)  # not frozen: built for every cell of a matrix, never shared
class _Facts:
    """What the records say on one date, read once, for the precedence rules."""

    on: dt.date
    due_window_days: int
    latest_decision: Decision | None
    latest_sign_off: Decision | None
    in_force: Decision | None
    revocation: Revocation | None  # of the latest sign-off
    suspension: Suspension | None  # of the latest sign-off, applying on the date
    request: Request | None
    evidence: bool

    def revoked(self) -> bool:
        return self.revocation is not None

    def suspended(self) -> bool:
        return self.suspension is not None

    def in_date(self) -> bool:
        return self.in_force is not None and not self.in_force.expired_on(self.on)

    def due(self) -> bool:
        if not self.in_date() or self.in_force is None or self.in_force.expires_on is None:
            return False
        return (self.in_force.expires_on - self.on).days <= self.due_window_days

    def awaiting_acceptance(self) -> bool:
        latest = self.latest_sign_off
        return (
            latest is not None
            and latest.awaiting_acceptance_on(self.on)
            and not latest.expired_on(self.on)
        )

    def awaiting_countersignature(self) -> bool:
        latest = self.latest_sign_off
        return (
            latest is not None
            and not latest.awaiting_acceptance_on(self.on)
            and not latest.counts_on(self.on)
            and not latest.expired_on(self.on)
        )

    def expired(self) -> bool:
        return self.latest_sign_off is not None and self.latest_sign_off.expired_on(self.on)

    def waiting(self) -> bool:
        return self.request is not None

    def not_yet_competent(self) -> bool:
        latest = self.latest_decision
        return latest is not None and latest.outcome is Outcome.NOT_YET_COMPETENT

    def has_evidence(self) -> bool:
        return self.evidence


class _Rule(NamedTuple):
    status: Status
    applies: Callable[[_Facts], bool]
    decision: Callable[[_Facts], Decision | None]


def _latest_sign_off(facts: _Facts) -> Decision | None:
    return facts.latest_sign_off


def _in_force(facts: _Facts) -> Decision | None:
    return facts.in_force


def _latest_decision(facts: _Facts) -> Decision | None:
    return facts.latest_decision


def _no_decision(facts: _Facts) -> Decision | None:
    return None


def _always(facts: _Facts) -> bool:
    return True


# The precedence table of the module docstring, in order: the first rule that applies wins.
_PRECEDENCE: tuple[_Rule, ...] = (
    _Rule(Status.REVOKED, _Facts.revoked, _latest_sign_off),
    _Rule(Status.SUSPENDED, _Facts.suspended, _latest_sign_off),
    _Rule(Status.DUE_FOR_REASSESSMENT, _Facts.due, _in_force),
    _Rule(Status.COMPETENT, _Facts.in_date, _in_force),
    _Rule(Status.AWAITING_ACCEPTANCE, _Facts.awaiting_acceptance, _latest_sign_off),
    _Rule(Status.AWAITING_COUNTERSIGNATURE, _Facts.awaiting_countersignature, _latest_sign_off),
    _Rule(Status.EXPIRED, _Facts.expired, _latest_sign_off),
    _Rule(Status.AWAITING_SIGN_OFF, _Facts.waiting, _no_decision),
    _Rule(Status.NOT_YET_COMPETENT, _Facts.not_yet_competent, _latest_decision),
    _Rule(Status.IN_PROGRESS, _Facts.has_evidence, _no_decision),
    _Rule(Status.NOT_STARTED, _always, _no_decision),
)


def status_on(
    history: CompetencyHistory,
    on: dt.date,
    *,
    due_window_days: int = 60,
    with_since: bool = True,
) -> StatusOnDate:
    """The status of the competency at the end of `on`, from the records that existed then.

    `with_since=False` skips working out when the status began (`since` is None), which is
    most of the cost: matrices of many workers and competencies do not show it."""
    if due_window_days < 0:
        raise ValueError("the due-for-reassessment window cannot be negative")
    facts = _facts(history, on, due_window_days)
    rule = _first_rule(facts)
    decision = _as_known(rule.decision(facts), on)
    granted = decision if rule.status.may_practise else None
    return StatusOnDate(
        status=rule.status,
        decision=decision,
        supervision=granted.supervision if granted else None,
        conditions=granted.conditions if granted else (),
        expires_on=decision.expires_on
        if decision is not None and decision.outcome is Outcome.COMPETENT
        else None,
        since=_since(history, on, due_window_days, _key(rule, facts)) if with_since else None,
        renewal_awaiting=facts.request is not None and rule.status in RENEWABLE,
        # Waiting or applying on the date, so any end they have came later: not known then.
        request=dataclasses.replace(facts.request, decided_on=None, withdrawn_on=None)
        if facts.request
        else None,
        suspension=dataclasses.replace(facts.suspension, reinstated_on=None)
        if facts.suspension and rule.status is Status.SUSPENDED
        else None,
        revocation=facts.revocation if rule.status is Status.REVOKED else None,
    )


def _as_known(decision: Decision | None, on: dt.date) -> Decision | None:
    """The decision as it stood on the date: a countersignature or an acceptance given later
    is not shown."""
    if decision is None:
        return None
    if decision.countersigned_on is not None and decision.countersigned_on > on:
        decision = dataclasses.replace(decision, countersigned_on=None)
    if decision.accepted_on is not None and decision.accepted_on > on:
        decision = dataclasses.replace(decision, accepted_on=None, accepted_locally_on=None)
    return decision


def _facts(history: CompetencyHistory, on: dt.date, due_window_days: int) -> _Facts:
    # Called for every cell of a trust's matrix (`make bench`): one pass over the decisions,
    # and a history with no suspensions, revocations or requests skips the work they need.
    # Decisions are ordered by (observed, recorded, id): the latest decision, the latest
    # sign-off, and the latest sign-off that counts on the date (countersigned where that is
    # required).
    latest_decision = latest_sign_off = counting = None
    latest_key = sign_off_key = counting_key = None
    for decision in history.decisions:
        if decision.recorded_on > on:
            continue
        key = (decision.observed_on, decision.recorded_on, decision.id)
        if latest_key is None or key > latest_key:
            latest_decision, latest_key = decision, key
        if decision.outcome is Outcome.COMPETENT:
            if sign_off_key is None or key > sign_off_key:
                latest_sign_off, sign_off_key = decision, key
            if (counting_key is None or key > counting_key) and decision.counts_on(on):
                counting, counting_key = decision, key
    in_force = counting
    if counting is not None and (
        _revocation(history, counting, on) or _suspension(history, counting, on)
    ):
        in_force = None
    return _Facts(
        on=on,
        due_window_days=due_window_days,
        latest_decision=latest_decision,
        latest_sign_off=latest_sign_off,
        in_force=in_force,
        revocation=_revocation(history, latest_sign_off, on),
        suspension=_suspension(history, latest_sign_off, on),
        request=min(
            (request for request in history.requests if request.waiting_on(on)),
            key=lambda request: request.requested_on,
            default=None,
        )
        if history.requests
        else None,
        evidence=any(evidence <= on for evidence in history.evidence_dates),
    )


def _revocation(
    history: CompetencyHistory, decision: Decision | None, on: dt.date
) -> Revocation | None:
    if decision is None or not history.revocations:
        return None
    return min(
        (r for r in history.revocations if r.decision_id == decision.id and r.revoked_on <= on),
        key=lambda revocation: revocation.revoked_on,
        default=None,
    )


def _suspension(
    history: CompetencyHistory, decision: Decision | None, on: dt.date
) -> Suspension | None:
    if decision is None or not history.suspensions:
        return None
    return min(
        (s for s in history.suspensions if s.decision_id == decision.id and s.applies_on(on)),
        key=lambda suspension: suspension.starts_on,
        default=None,
    )


def _first_rule(facts: _Facts) -> _Rule:
    return next(rule for rule in _PRECEDENCE if rule.applies(facts))


def _key(rule: _Rule, facts: _Facts) -> tuple[Status, int | None]:
    decision = rule.decision(facts)
    return rule.status, None if decision is None else decision.id


def _since(
    history: CompetencyHistory, on: dt.date, due_window_days: int, now: tuple[Status, int | None]
) -> dt.date | None:
    """The first day of the run of `now` that includes `on`.

    The status can only change on a day some record starts or stops applying, so it is
    constant between those days: walk back over them while the status stays the same.
    """
    changes = sorted(
        (day for day in _change_days(history, due_window_days) if day <= on), reverse=True
    )
    since: dt.date | None = None
    for day in changes:
        facts = _facts(history, day, due_window_days)
        if _key(_first_rule(facts), facts) != now:
            return since
        since = day
    # Before the earliest change nothing existed: every status but "not started" began there.
    return None if now[0] is Status.NOT_STARTED else since


def _change_days(history: CompetencyHistory, due_window_days: int) -> set[dt.date]:
    days = set(history.evidence_dates)
    for request in history.requests:
        days.update(
            day
            for day in (request.requested_on, request.decided_on, request.withdrawn_on)
            if day is not None
        )
    for decision in history.decisions:
        days.add(decision.recorded_on)
        if decision.countersigned_on is not None:
            days.add(decision.countersigned_on)
        if decision.accepted_on is not None:
            days.add(decision.accepted_on)
        if decision.expires_on is not None:
            for shifted in (
                shift_days(decision.expires_on, 1),
                shift_days(decision.expires_on, -due_window_days),
            ):
                if shifted is not None:
                    days.add(shifted)
    for suspension in history.suspensions:
        days.add(suspension.starts_on)
        if suspension.reinstated_on is not None:
            days.add(suspension.reinstated_on)
    days.update(revocation.revoked_on for revocation in history.revocations)
    return days
