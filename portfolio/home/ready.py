"""What the worker's home reads beside their progress, in one statement: which competencies
are ready to ask for sign-off (listed first, so reaching the count is noticed without opening
each competency) and who supervises them now. The home's budget is nine statements
(`tests/test_growth.py`), so the two share one.

A competency in progress (evidence logged, no request waiting) is ready when nothing would be
missing from a request: the rule in force today (the trust's local policy over the
framework's default) counted against the worker's confirmed successful supervised procedures,
an educator's open override of the minimum, and every prerequisite current: the same rule as
the request page (`signoff.rules.missing_for_sign_off`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Date, Integer, cast, literal, null, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from portfolio.evidence.models import ProcedureLine, ProcedureOutcome
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import LocalPolicy
from portfolio.frameworks.rules import PolicyVersion, rule_in_force
from portfolio.people.models import SupervisorAssignment, User
from portfolio.signoff.models import MinimumOverride
from portfolio.signoff.rules import Prerequisite, missing_for_sign_off
from portfolio.standing.status import Status, StatusOnDate


@dataclass(frozen=True)
class HomeFacts:
    ready: tuple[str, ...]  # codes a request could be sent for today, in the order given
    supervisors: tuple[str, ...]  # the worker's supervisors now, the newest first


def home_facts(
    session: Session,
    *,
    worker_id: int,
    organisation_id: int,
    codes: Iterable[str],
    statuses: Mapping[str, StatusOnDate],
    on: dt.date,
) -> HomeFacts:
    candidates = [code for code in codes if statuses[code].status is Status.IN_PROGRESS]
    policies: dict[str, list[PolicyVersion]] = {}
    confirmed: dict[str, int] = {}
    overridden: set[str] = set()
    supervisors: list[tuple[dt.date, int, str]] = []
    for kind, text, day, number, procedures in session.execute(
        _facts(worker_id, organisation_id, candidates, on)
    ):
        if kind == "policy":
            policies.setdefault(text, []).append(PolicyVersion(number, "", day, procedures))
        elif kind == "line":
            confirmed[text] = confirmed.get(text, 0) + 1
        elif kind == "override":
            overridden.add(text)
        else:
            supervisors.append((day, number, text))
    return HomeFacts(
        ready=_ready(session, candidates, statuses, policies, confirmed, overridden, on),
        supervisors=tuple(name for *_, name in sorted(supervisors, reverse=True)),
    )


def _ready(
    session: Session,
    candidates: list[str],
    statuses: Mapping[str, StatusOnDate],
    policies: Mapping[str, list[PolicyVersion]],
    confirmed: Mapping[str, int],
    overridden: set[str],
    on: dt.date,
) -> tuple[str, ...]:
    competencies = frameworks.current_competencies(session)
    ready = []
    for code in candidates:
        definition = competencies[code].definition
        rule = rule_in_force(frameworks.framework_default(definition), policies.get(code, []), on)
        prerequisites = [
            Prerequisite(item, competencies[item].title, statuses[item])
            for item in definition.evidence.prerequisites
            if item in statuses
        ]
        unknown = [item for item in definition.evidence.prerequisites if item not in statuses]
        missing = missing_for_sign_off(
            procedures_required=rule.supervised_procedures,
            procedures_confirmed=confirmed.get(code, 0),
            prerequisites=prerequisites,
            evidence_chosen=1,  # in progress: there is evidence to choose
            minimum_overridden=code in overridden,
        )
        if not missing and not unknown:
            ready.append(code)
    return tuple(ready)


def _facts(
    worker_id: int, organisation_id: int, codes: list[str], on: dt.date
) -> CompoundSelect[Any]:
    """The trust's policy versions, the worker's counted procedure lines and open overrides for
    the codes, and the worker's current supervisors, as one statement of (kind, code or name,
    date, version or id, procedures)."""
    no_number = cast(null(), Integer)
    return union_all(
        select(
            literal("policy"),
            LocalPolicy.competency_code,
            LocalPolicy.effective_from,
            LocalPolicy.version,
            LocalPolicy.supervised_procedures,
        ).where(
            LocalPolicy.organisation_id == organisation_id,
            LocalPolicy.competency_code.in_(codes),
        ),
        select(
            literal("line"),
            ProcedureLine.competency_code,
            ProcedureLine.performed_on,
            no_number,
            no_number,
        ).where(
            ProcedureLine.worker_id == worker_id,
            ProcedureLine.competency_code.in_(codes),
            ProcedureLine.confirmed_at.is_not(None),
            ProcedureLine.outcome == ProcedureOutcome.SUCCESSFUL,
            ProcedureLine.performed_on <= on,
        ),
        select(
            literal("override"),
            MinimumOverride.competency_code,
            cast(null(), Date),
            no_number,
            no_number,
        ).where(
            MinimumOverride.worker_id == worker_id,
            MinimumOverride.competency_code.in_(codes),
            MinimumOverride.closed_on.is_(None),
        ),
        select(
            literal("supervisor"),
            User.name,
            SupervisorAssignment.starts_on,
            SupervisorAssignment.id,
            no_number,
        )
        .join(User, User.id == SupervisorAssignment.supervisor_id)
        .where(
            SupervisorAssignment.worker_id == worker_id,
            SupervisorAssignment.ends_on.is_(None),
        ),
    )
