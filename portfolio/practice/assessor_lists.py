"""An organisation's approved-assessor lists (domain review section 2b): the people its
educators and administrators approve to assess cannulation, ANTT, basic life support or MR
safety, with who approved them and when. Taking someone off records the day and who did it;
nothing is deleted, so a past sign-off can always show its assessor was on the list then.
One audit entry each; flush only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError
from portfolio.core.roles import AccountRole
from portfolio.frameworks.practice_terms import AssessorList
from portfolio.people.models import User, UserAccountRole
from portfolio.practice.models import AssessorListEntry


class ListError(FieldError):
    """A change to a list that cannot be made, with the form field it belongs to."""


@dataclass(frozen=True)
class ListRow:
    id: int
    user_id: int
    name: str
    approved_on: dt.date
    approved_by: str
    removed_on: dt.date | None
    removed_by: str | None


def approve(
    auditor: Auditor,
    assessor_list: AssessorList,
    person_id: int | None,
    *,
    approved_by: User,
    approved_on: dt.date | None,
    today: dt.date,
) -> AssessorListEntry:
    """Put a member of staff on one of their organisation's lists from `approved_on`."""
    person = auditor.session.get(User, person_id) if person_id is not None else None
    if person is None or person.organisation_id != approved_by.organisation_id or not person.active:
        raise ListError("person", "Choose an active member of staff in your organisation")
    if approved_on is None:
        raise ListError("approved_on", "Enter the date they were approved")
    if approved_on > today:
        raise ListError("approved_on", "The date of approval must be today or in the past")
    if _open_entry(auditor.session, assessor_list, person) is not None:
        raise ListError("person", f"{person.name} is already on this list")
    entry = AssessorListEntry(
        organisation_id=person.organisation_id,
        assessor_list=assessor_list,
        user_id=person.id,
        approved_on=approved_on,
        approved_by_id=approved_by.id,
    )
    auditor.session.add(entry)
    auditor.session.flush()
    _audit(auditor, entry, "approved", approved_on)
    return entry


def remove(auditor: Auditor, entry: AssessorListEntry, *, removed_by: User, today: dt.date) -> None:
    """Take them off the list from today (they may assess no longer from this day)."""
    if entry.removed_on is not None:
        raise ListError("entry", "They are no longer on this list")
    entry.removed_on = max(today, entry.approved_on)
    entry.removed_by_id = removed_by.id
    auditor.session.flush()
    _audit(auditor, entry, "removed", entry.removed_on)


def _open_entry(
    session: Session, assessor_list: AssessorList, person: User
) -> AssessorListEntry | None:
    return session.scalars(
        select(AssessorListEntry).where(
            AssessorListEntry.organisation_id == person.organisation_id,
            AssessorListEntry.assessor_list == assessor_list,
            AssessorListEntry.user_id == person.id,
            AssessorListEntry.removed_on.is_(None),
        )
    ).first()


def _audit(auditor: Auditor, entry: AssessorListEntry, change: str, on: dt.date) -> None:
    auditor.record(
        f"assessor_list.{change}",
        subject_type="user",
        subject_id=entry.user_id,
        organisation_id=entry.organisation_id,
        changes={"entry_id": entry.id, "list": entry.assessor_list.value, "on": on.isoformat()},
    )


def members(session: Session, organisation_id: int, assessor_list: AssessorList) -> list[ListRow]:
    """Everyone ever on the list, those still on it first, each by name."""
    person, approver, remover = aliased(User), aliased(User), aliased(User)
    query = (
        select(AssessorListEntry, person.name, approver.name, remover.name)
        .join(person, person.id == AssessorListEntry.user_id)
        .join(approver, approver.id == AssessorListEntry.approved_by_id)
        .outerjoin(remover, remover.id == AssessorListEntry.removed_by_id)
        .where(
            AssessorListEntry.organisation_id == organisation_id,
            AssessorListEntry.assessor_list == assessor_list,
        )
        .order_by(
            AssessorListEntry.removed_on.is_not(None),
            person.name,
            AssessorListEntry.approved_on.desc(),
        )
    )
    return [
        ListRow(
            entry.id,
            entry.user_id,
            name,
            entry.approved_on,
            approved_by,
            entry.removed_on,
            removed_by,
        )
        for entry, name, approved_by, removed_by in session.execute(query)
    ]


def candidates(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    """Who may be put on a list: active supervisors, assessors and educators, by name (only
    they can sign anything off)."""
    return [
        (user_id, name)
        for user_id, name in session.execute(
            select(User.id, User.name)
            .where(
                User.organisation_id == organisation_id,
                User.active.is_(True),
                User.id.in_(
                    select(UserAccountRole.user_id).where(
                        UserAccountRole.role.in_([AccountRole.SUPERVISOR, AccountRole.EDUCATOR])
                    )
                ),
            )
            .order_by(func.lower(User.name))
        )
    ]


def entry_in(session: Session, organisation_id: int, entry_id: int) -> AssessorListEntry | None:
    """One entry, only if it is this organisation's (anyone else's reads as missing)."""
    entry = session.get(AssessorListEntry, entry_id)
    return entry if entry is not None and entry.organisation_id == organisation_id else None
