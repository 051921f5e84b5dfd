"""What the standing engine shows for a competency where it differs from its own status:
"Competent, prerequisite lapsed (basic life support expired on …)", for the pages that list
statuses (competencies, progress, home, the PDF and the verify page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy.orm import Session

from portfolio.practice.items import item_facts_of
from portfolio.signoff.queries import Key, histories
from portfolio.standing.answer import Shown
from portfolio.standing.rules import shown_status
from portfolio.standing.status import CompetencyHistory, StatusOnDate, status_on


def shown_statuses(
    session: Session,
    statuses: Mapping[str, StatusOnDate],
    codes: Collection[str],
    found: Mapping[Key, CompetencyHistory],
    worker_id: int,
    on: dt.date,
    due_window_days: int,
) -> dict[str, Shown]:
    """What the standing engine shows for each code whose prerequisites are not all current
    (`standing.rules.shown_status`); the prerequisites' statuses come from `found`."""
    known = item_facts_of(session)
    everything = dict(statuses)
    shown: dict[str, Shown] = {}
    for code in codes:
        item = known.get(code)
        if item is None or not item.prerequisites:
            continue
        for ref in item.prerequisites:
            if ref.code not in everything:
                history = found.get((worker_id, ref.code), CompetencyHistory())
                everything[ref.code] = status_on(
                    history, on, due_window_days=due_window_days, with_since=False
                )
        result = shown_status(item, everything, on)
        if result.lapsed:
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
