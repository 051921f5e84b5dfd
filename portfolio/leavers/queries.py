"""People who have left: each with the job role and department they left from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import local
from portfolio.core.roles import AccountRole
from portfolio.leavers.models import PortfolioImport
from portfolio.people.models import Department, User, UserAccountRole
from portfolio.people.queries import PersonRow, _rows, _with_appointment_on
from portfolio.policy import Actor


@dataclass(frozen=True)
class Leaver:
    person: PersonRow  # their last job role and department
    left_on: dt.date | None  # Europe/London


def leavers(session: Session, actor: Actor, on: dt.date) -> list[Leaver]:
    """Everyone in the organisation whose account is deactivated, most recent first; for an
    educator whose reach is some departments, the support workers who left from them. A
    fixed number of statements."""
    people = select(User).where(
        User.organisation_id == actor.organisation_id, User.active.is_(False)
    )
    whole = actor.is_(AccountRole.ADMIN) or actor.reach_whole_organisation
    if not whole:
        people = people.where(
            User.id.in_(
                select(UserAccountRole.user_id).where(
                    UserAccountRole.role == AccountRole.SUPPORT_WORKER
                )
            )
        )
    query = _with_appointment_on(people, on).order_by(User.deactivated_at.desc(), User.id)
    if not whole:
        query = query.where(Department.id.in_(actor.reach_department_ids or {-1}))
    rows = _rows(session, query)
    left: dict[int, dt.datetime | None] = {  # noqa: C416 - a Result would be read as a mapping
        user_id: moment
        for user_id, moment in session.execute(
            select(User.id, User.deactivated_at).where(
                User.id.in_([row.id for row in rows] or [-1])
            )
        )
    }
    return [Leaver(row, _day(left.get(row.id))) for row in rows]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return local(moment).date() if moment is not None else None


def import_record(session: Session, organisation_id: int, import_id: int) -> PortfolioImport | None:
    found = session.get(PortfolioImport, import_id)
    if found is None or found.organisation_id != organisation_id:
        return None
    return found
