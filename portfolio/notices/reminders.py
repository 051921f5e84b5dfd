"""The periodic reminders: sign-offs reaching 60 and 30 days before expiry or expired (daily),
and educators' weekly summaries. Both are safe to run twice: each sign-off's threshold is
recorded once (`SignOffReminder`) and each notice has its key (`Notice.dedupe_key`).
Flush, never commit: the task commits.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.notices.messages import SummaryCounts
from portfolio.notices.models import SignOffReminder
from portfolio.notices.rules import (
    EXPIRED_REMINDER_DAYS,
    FIRST_REMINDER_DAYS,
    SECOND_REMINDER_DAYS,
    NoticeKind,
    Threshold,
    reminder_for,
    week_key,
)
from portfolio.notices.services import About, notify
from portfolio.people.models import SupervisorAssignment, User, UserAccountRole
from portfolio.people.queries import workers_in_reach
from portfolio.signoff.models import (
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffRequest,
)
from portfolio.signoff.queries import histories
from portfolio.standing.status import CompetencyHistory, Outcome, Status, status_on


def send_expiry_reminders(session: Session, on: dt.date) -> int:
    """Notices to each active worker and their assigned supervisors for the sign-offs that
    reach a threshold on `on` (or passed one while no run happened). Returns how many
    sign-offs were reminded about."""
    keys = sorted(
        {
            (worker_id, code)
            for worker_id, code in session.execute(
                select(SignOffDecision.worker_id, SignOffDecision.competency_code)
                .join(User, User.id == SignOffDecision.worker_id)
                .where(
                    User.active.is_(True),
                    SignOffDecision.outcome == Outcome.COMPETENT,
                    SignOffDecision.expires_on >= on - dt.timedelta(days=EXPIRED_REMINDER_DAYS),
                    SignOffDecision.expires_on <= on + dt.timedelta(days=FIRST_REMINDER_DAYS),
                )
            )
        }
    )
    if not keys:
        return 0
    worker_ids = {worker_id for worker_id, _ in keys}
    found = histories(session, worker_ids, {code for _, code in keys})
    decision_ids = {decision.id for history in found.values() for decision in history.decisions}
    sent: dict[int, set[Threshold]] = defaultdict(set)
    for decision_id, threshold in session.execute(
        select(SignOffReminder.decision_id, SignOffReminder.threshold).where(
            SignOffReminder.decision_id.in_(decision_ids)
        )
    ):
        sent[decision_id].add(threshold)
    supervisors = _supervisors_on(session, worker_ids, on)
    reminded = 0
    for worker_id, code in keys:
        status = status_on(
            found.get((worker_id, code), CompetencyHistory()),
            on,
            due_window_days=FIRST_REMINDER_DAYS,
            with_since=False,
        )
        due = reminder_for(status, on, sent)
        if due is None:
            continue
        decision_id, threshold = due
        session.add(SignOffReminder(decision_id=decision_id, threshold=threshold, sent_on=on))
        sent[decision_id].add(threshold)
        notify(
            session,
            [worker_id, *supervisors.get(worker_id, [])],
            threshold.kind,
            f"{threshold.value}-{decision_id}",
            About(worker_id=worker_id, competency_code=code, decision_id=decision_id),
        )
        reminded += 1
    session.flush()
    return reminded


def _supervisors_on(session: Session, worker_ids: set[int], on: dt.date) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for worker_id, supervisor_id in session.execute(
        select(SupervisorAssignment.worker_id, SupervisorAssignment.supervisor_id)
        .join(User, User.id == SupervisorAssignment.supervisor_id)
        .where(
            SupervisorAssignment.worker_id.in_(worker_ids),
            SupervisorAssignment.starts_on <= on,
            or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= on),
            User.active.is_(True),
        )
        .order_by(SupervisorAssignment.supervisor_id)
    ):
        found[worker_id].append(supervisor_id)
    return found


def send_weekly_summaries(session: Session, on: dt.date) -> int:
    """A notice to each active educator with anything to report within their reach: requests
    waiting, sign-offs waiting for a countersignature, due within 30 days, and expired.
    Once per ISO week. Returns how many were written."""
    educators = session.scalars(
        select(User)
        .join(UserAccountRole, UserAccountRole.user_id == User.id)
        .where(UserAccountRole.role == AccountRole.EDUCATOR, User.active.is_(True))
        .order_by(User.organisation_id, User.id)
    ).all()
    by_organisation: dict[int, list[User]] = defaultdict(list)
    for educator in educators:
        by_organisation[educator.organisation_id].append(educator)
    written = 0
    for organisation_id, group in by_organisation.items():
        counts = _organisation_counts(session, organisation_id, on)
        for educator in group:
            summary = counts.within(
                None
                if educator.reach_whole_organisation
                else frozenset(item.department_id for item in educator.educator_departments),
                excluding=educator.id,
            )
            if not summary.any():
                continue
            written += len(
                notify(
                    session,
                    [educator.id],
                    NoticeKind.WEEKLY_SUMMARY,
                    f"summary-{week_key(on)}",
                    About(counts=summary),
                )
            )
    return written


class _OrganisationCounts:
    """Counts per support worker of one organisation, summed over each educator's reach."""

    def __init__(self, departments: dict[int, int | None]) -> None:
        self.departments = departments
        self.waiting: Counter[int] = Counter()
        self.countersign: Counter[int] = Counter()
        self.due: Counter[int] = Counter()
        self.expired: Counter[int] = Counter()

    def within(self, department_ids: frozenset[int] | None, *, excluding: int) -> SummaryCounts:
        """`department_ids` None: the whole organisation."""
        workers = [
            worker_id
            for worker_id, department_id in self.departments.items()
            if worker_id != excluding
            and (department_ids is None or department_id in department_ids)
        ]
        return SummaryCounts(
            requests_waiting=sum(self.waiting[worker] for worker in workers),
            countersignatures_waiting=sum(self.countersign[worker] for worker in workers),
            due_in_30_days=sum(self.due[worker] for worker in workers),
            expired=sum(self.expired[worker] for worker in workers),
        )


def _organisation_counts(
    session: Session, organisation_id: int, on: dt.date
) -> _OrganisationCounts:
    workers = workers_in_reach(
        session, organisation_id, whole_organisation=True, department_ids=frozenset(), on=on
    )
    counts = _OrganisationCounts({row.id: row.department_id for row in workers})
    ids = list(counts.departments)
    if not ids:
        return counts
    counts.waiting.update(
        session.scalars(
            select(SignOffRequest.worker_id).where(
                SignOffRequest.worker_id.in_(ids), SignOffRequest.state == RequestState.WAITING
            )
        )
    )
    counts.countersign.update(
        session.scalars(
            select(SignOffDecision.worker_id).where(
                SignOffDecision.worker_id.in_(ids),
                SignOffDecision.countersignature_required.is_(True),
                SignOffDecision.countersigned_on.is_(None),
                SignOffDecision.id.not_in(select(Revocation.decision_id)),
            )
        )
    )
    for (worker_id, _), history in histories(session, ids).items():
        status = status_on(history, on, due_window_days=SECOND_REMINDER_DAYS, with_since=False)
        if status.status is Status.DUE_FOR_REASSESSMENT:
            counts.due[worker_id] += 1
        elif status.status is Status.EXPIRED:
            counts.expired[worker_id] += 1
    return counts
