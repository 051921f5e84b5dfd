"""Progress against a scope of practice, next steps and the career ladder, as pure functions.

"Done" means competent and current on the date: a sign-off due for reassessment still counts
until it expires, because the worker may still practise. Only what the worker's progress
counts (core, core in their post, or in their plan) is in the totals; optional items taken up
nowhere are listed apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from portfolio.careers.scope import WorkerScope
from portfolio.core.roles import JobRole
from portfolio.frameworks.schema import Pathway
from portfolio.standing.status import Status, StatusOnDate


@dataclass(frozen=True)
class Tally:
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 99.6% is not yet 100%."""
        return 0 if self.total == 0 else self.done * 100 // self.total

    def describe(self) -> str:
        return f"{self.done} of {self.total}"


@dataclass(frozen=True)
class DomainProgress:
    domain: str
    tally: Tally


@dataclass(frozen=True)
class ScopeProgress:
    overall: Tally
    by_domain: tuple[DomainProgress, ...]
    # Counted items by status, for "what needs doing".
    due: tuple[str, ...]  # codes due for reassessment (still valid)
    expired: tuple[str, ...]
    suspended: tuple[str, ...]
    awaiting: tuple[str, ...]  # awaiting sign-off or countersignature
    not_yet_competent: tuple[str, ...]
    # Counted items signed off but not counted, their prerequisite not current that day.
    lapsed: tuple[str, ...] = ()


def scope_progress(
    scope: WorkerScope, statuses: Mapping[str, StatusOnDate], lapsed: Collection[str] = ()
) -> ScopeProgress:
    """Counted items of the scope against their statuses on one date, by domain in the order
    the scope lists them. `lapsed`: items whose prerequisite is not current that day
    ("competent, prerequisite lapsed"), which do not count as competent."""
    domains: dict[str, list[bool]] = {}
    buckets: dict[Status, list[str]] = {}
    for row in scope.counted:
        status = statuses[row.code]
        domains.setdefault(row.domain, []).append(status.may_practise and row.code not in lapsed)
        buckets.setdefault(status.status, []).append(row.code)
    by_domain = tuple(
        DomainProgress(domain, Tally(sum(marks), len(marks))) for domain, marks in domains.items()
    )
    return ScopeProgress(
        overall=Tally(
            sum(item.tally.done for item in by_domain), sum(item.tally.total for item in by_domain)
        ),
        by_domain=by_domain,
        due=tuple(buckets.get(Status.DUE_FOR_REASSESSMENT, ())),
        expired=tuple(buckets.get(Status.EXPIRED, ())),
        suspended=tuple(buckets.get(Status.SUSPENDED, ())),
        awaiting=(
            *buckets.get(Status.AWAITING_SIGN_OFF, ()),
            *buckets.get(Status.AWAITING_COUNTERSIGNATURE, ()),
            *buckets.get(Status.AWAITING_ACCEPTANCE, ()),
        ),
        not_yet_competent=tuple(buckets.get(Status.NOT_YET_COMPETENT, ())),
        lapsed=tuple(row.code for row in scope.counted if row.code in lapsed),
    )


# The career ladder (SoR career framework, DOMAIN.md): CSW to SCSW to AP; MA to AP in
# mammography; an AP's next step is the radiographer degree apprenticeship, which is not a
# support worker's job role, so it has no scope to measure against.
NEXT_JOB_ROLE: dict[JobRole, JobRole | None] = {
    JobRole.CSW: JobRole.SCSW,
    JobRole.SCSW: JobRole.AP,
    JobRole.MA: JobRole.AP,
    JobRole.AP: None,
}


@dataclass(frozen=True)
class EntryRouteCheck:
    description: str
    held: tuple[str, ...]  # qualification codes held (achieved)
    studying: tuple[str, ...]  # in progress
    missing: tuple[str, ...]

    @property
    def met(self) -> bool:
        return not self.missing and not self.studying


def entry_routes(
    pathway: Pathway, achieved: Iterable[str], in_progress: Iterable[str]
) -> tuple[EntryRouteCheck, ...]:
    """Each recommended entry route of a job role against what the person holds. A route
    needs all its qualifications; any one route will do."""
    have, studying = set(achieved), set(in_progress)
    return tuple(
        EntryRouteCheck(
            route.description,
            tuple(code for code in route.qualifications if code in have),
            tuple(code for code in route.qualifications if code in studying and code not in have),
            tuple(code for code in route.qualifications if code not in have | studying),
        )
        for route in pathway.entry_routes
    )


@dataclass(frozen=True)
class Readiness:
    next_job_role: JobRole | None
    next_step: str  # in words, from the pathway: "Senior clinical support worker (level 3)"
    competencies: Tally  # the next job role's core scope, competent and current now
    missing_competencies: tuple[str, ...]  # codes, in the scope's order
    routes: tuple[EntryRouteCheck, ...]

    @property
    def qualification_met(self) -> bool:
        return not self.routes or any(route.met for route in self.routes)


def readiness(
    current: JobRole,
    pathways: Mapping[JobRole, Pathway],
    next_core: Sequence[str],
    statuses: Mapping[str, StatusOnDate],
    achieved: Iterable[str],
    in_progress: Iterable[str],
) -> Readiness:
    """How ready someone is for the next job role on the ladder: its core competencies they
    are competent and current in, and its recommended entry qualifications."""
    target = NEXT_JOB_ROLE[current]
    own = pathways.get(current)
    step = (own.next_roles[0] if own and own.next_roles else None) or (
        target.label if target else "No further support worker job role"
    )
    if target is None:
        return Readiness(None, step, Tally(0, 0), (), ())
    missing = tuple(code for code in next_core if not _may(statuses.get(code)))
    pathway = pathways.get(target)
    return Readiness(
        target,
        step,
        Tally(len(next_core) - len(missing), len(next_core)),
        missing,
        entry_routes(pathway, achieved, in_progress) if pathway else (),
    )


def _may(status: StatusOnDate | None) -> bool:
    return status is not None and status.may_practise


def care_certificate_applies(
    *, in_england: bool, started_in_post_on: dt.date | None, on: dt.date, has_records: bool
) -> bool:
    """The Care Certificate is England's, for people new to care (DOMAIN.md): shown to a
    support worker who has begun it, or who started in post within the last year (it is
    meant to be finished in the first 12 weeks, so a year leaves room for late starters)."""
    if not in_england:
        return False
    if has_records:
        return True
    return started_in_post_on is not None and (on - started_in_post_on).days <= 365
