"""What the standing engine shows for a competency where it differs from its own status:
"Competent, prerequisite lapsed (basic life support expired on …)" or "Competent, not
entitled (no IR(ME)R operator entitlement for …)", for the pages that list statuses
(competencies, progress, home, the matrix, the PDF and the verify page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping

from sqlalchemy.orm import Session

from portfolio.core.roles import JobRole
from portfolio.people.queries import appointment_on
from portfolio.practice.grants import NO_FACTS, PracticeFacts, grants_for
from portfolio.practice.items import item_facts_of
from portfolio.signoff.queries import Key, histories
from portfolio.standing.answer import Shown
from portfolio.standing.facts import ItemFacts, PersonFacts, RoleOnDate
from portfolio.standing.rules import needs_grants, shown_status
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on


def grant_facts(
    session: Session,
    roles: Mapping[int, tuple[JobRole, bool] | None],
    on: dt.date,
    items: Iterable[ItemFacts],
) -> dict[int, PersonFacts]:
    """What the entitlement and designation rules need of each person for these items: their
    job role and trainee flag (from `roles`; None: no job role that day) and the grants the
    items ask for, one statement for each kind asked for, however many people."""
    wanted = list(items)
    practice = grants_for(
        session,
        roles,
        on,
        entitlements=any(item.entitlement is not None for item in wanted),
        designations=any(item.designations for item in wanted),
    )
    return {
        user_id: _person(role, practice.get(user_id, NO_FACTS)) for user_id, role in roles.items()
    }


def _person(role: tuple[JobRole, bool] | None, found: PracticeFacts) -> PersonFacts:
    on_date = (
        RoleOnDate(job_role=role[0], scope=frozenset(), trainee=role[1])
        if role is not None
        else None
    )
    return PersonFacts(
        role=on_date, entitlements=found.entitlements, designations=found.designations
    )


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
    role: tuple[JobRole, bool] | None = None,
) -> dict[str, Shown]:
    """What the standing engine shows for each code where it differs from the code's own
    status (`standing.rules.shown_status`): a prerequisite not current (its status from
    `found`), or an entitlement or designation missing (from `person`, loaded here when not
    given and some code in force needs one, with `role` their job role and trainee flag
    that day, read here when not given)."""
    known = item_facts_of(session)
    everything = dict(statuses)
    shown: dict[str, Shown] = {}
    if person is None:
        person = _person_if_needed(session, known, statuses, codes, worker_id, on, role)
    for code in codes:
        item = known.get(code)
        # Only a competency in force can show something other than its own status.
        if item is None or code not in statuses or not statuses[code].may_practise:
            continue
        grants = needs_grants(item)
        if not item.prerequisites and not grants:
            continue
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


def _person_if_needed(
    session: Session,
    known: Mapping[str, ItemFacts],
    statuses: Mapping[str, StatusOnDate],
    codes: Collection[str],
    worker_id: int,
    on: dt.date,
    role: tuple[JobRole, bool] | None,
) -> PersonFacts | None:
    """The worker's grants, read only when a code in force needs one."""
    needing = [
        known[code]
        for code in codes
        if code in known
        and needs_grants(known[code])
        and code in statuses
        and statuses[code].may_practise
    ]
    if not needing:
        return None
    if role is None:
        appointment = appointment_on(session, worker_id, on)
        role = (appointment.job_role, appointment.trainee) if appointment else None
    return grant_facts(session, {worker_id: role}, on, needing)[worker_id]


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
