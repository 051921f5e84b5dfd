"""What the standing engine shows for a competency where it differs from its own status:
"Competent, prerequisite lapsed (basic life support expired on …)" or "Competent, not
entitled (no IR(ME)R operator entitlement for …)", for the pages that list statuses
(competencies, progress, home, the matrix, the PDF and the verify page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy.orm import Session

from portfolio.core.roles import JobRole
from portfolio.people.queries import appointment_on
from portfolio.practice.items import item_facts_of
from portfolio.practice.queries import NO_FACTS, PracticeFacts, facts_for
from portfolio.signoff.queries import Key, histories
from portfolio.standing.answer import Shown
from portfolio.standing.facts import PersonFacts, RoleOnDate
from portfolio.standing.rules import needs_grants, shown_status
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on


def grant_facts(
    session: Session, roles: Mapping[int, tuple[JobRole, bool]], on: dt.date
) -> dict[int, PersonFacts]:
    """What the entitlement and designation rules need of each person: their job role and
    trainee flag (from `roles`) and their grants on the date, in a fixed number of statements
    however many people."""
    practice = facts_for(session, roles, on)
    return {
        user_id: _person(RoleOnDate(job_role=role, scope=frozenset(), trainee=trainee), found)
        for user_id, (role, trainee) in roles.items()
        for found in [practice.get(user_id, NO_FACTS)]
    }


def _grants_of(session: Session, user_id: int, on: dt.date) -> PersonFacts:
    appointment = appointment_on(session, user_id, on)
    found = facts_for(session, [user_id], on).get(user_id, NO_FACTS)
    if appointment is None:
        return _person(None, found)
    role = RoleOnDate(job_role=appointment.job_role, scope=frozenset(), trainee=appointment.trainee)
    return _person(role, found)


def _person(role: RoleOnDate | None, found: PracticeFacts) -> PersonFacts:
    return PersonFacts(role=role, entitlements=found.entitlements, designations=found.designations)


def shown_statuses(
    session: Session,
    statuses: Mapping[str, StatusOnDate],
    codes: Collection[str],
    found: Mapping[Key, CompetencyHistory],
    worker_id: int,
    on: dt.date,
    due_window_days: int,
    *,
    person: PersonFacts | None = None,
) -> dict[str, Shown]:
    """What the standing engine shows for each code where it differs from the code's own
    status (`standing.rules.shown_status`): a prerequisite not current (its status from
    `found`), or an entitlement or designation missing (from `person`, loaded here when not
    given and some code in force needs one)."""
    known = item_facts_of(session)
    everything = dict(statuses)
    shown: dict[str, Shown] = {}
    for code in codes:
        item = known.get(code)
        if item is None:
            continue
        in_force = code in statuses and statuses[code].may_practise
        grants = needs_grants(item) and in_force
        if not item.prerequisites and not grants:
            continue
        if grants and person is None:
            person = _grants_of(session, worker_id, on)
        for ref in item.prerequisites:
            if ref.code not in everything:
                history = found.get((worker_id, ref.code), CompetencyHistory())
                everything[ref.code] = status_on(
                    history, on, due_window_days=due_window_days, with_since=False
                )
        result = shown_status(item, everything, on, person if grants else None)
        if result.differs:
            shown[code] = result
    return shown


def statuses_with_shown(
    session: Session, person_id: int, codes: Collection[str], on: dt.date, *, due_window_days: int
) -> tuple[dict[str, StatusOnDate], dict[str, Shown]]:
    """`signoff.queries.statuses`, and what the engine shows where it differs (a lapsed
    prerequisite), from one read of the histories."""
    known = item_facts_of(session)
    prerequisites = {
        ref.code for code in codes if code in known for ref in known[code].prerequisites
    }
    found = histories(session, [person_id], {*codes, *prerequisites})
    statuses = {
        code: status_on(
            found.get((person_id, code), CompetencyHistory()), on, due_window_days=due_window_days
        )
        for code in codes
    }
    shown = shown_statuses(session, statuses, codes, found, person_id, on, due_window_days)
    return statuses, shown
