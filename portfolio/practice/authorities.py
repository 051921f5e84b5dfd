"""Who holds the authority to grant in a department, and the checks every grant shares.

Who may grant is a record per department (`PracticeAuthority`), not an account role: the
employer's procedures name the people entitled to grant IR(ME)R operator entitlements, and the
MR Responsible Person designates MR Authorised Persons (SoR Safety in MRI §2). A department
records them with their dates; an account role (educator, admin) only lets someone type the
record in. Explicit arguments, one audit entry each, flush only: the boundary commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.people.models import Department, User
from portfolio.practice.models import Authority, Designation, IrmerEntitlement, PracticeAuthority


class PracticeRecordError(FieldError):
    """A practice record that cannot be saved, with the form field it belongs to."""


def appoint_authority(
    auditor: Auditor,
    department: Department,
    person: User,
    authority: Authority,
    *,
    starts_on: dt.date,
) -> PracticeAuthority:
    """Record that `person` holds `authority` in the department from `starts_on`."""
    same_organisation(person, department, "user_id")
    overlapping = auditor.session.scalar(
        select(PracticeAuthority.id).where(
            PracticeAuthority.department_id == department.id,
            PracticeAuthority.user_id == person.id,
            PracticeAuthority.authority == authority,
            PracticeAuthority.ends_on.is_(None) | (PracticeAuthority.ends_on >= starts_on),
        )
    )
    if overlapping is not None:
        raise PracticeRecordError("user_id", f"{person.name} already holds {authority.label}")
    record = PracticeAuthority(
        department_id=department.id,
        user_id=person.id,
        authority=authority,
        starts_on=starts_on,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(record)
    auditor.session.flush()
    auditor.record(
        "practice_authority.appointed",
        subject_type="user",
        subject_id=person.id,
        organisation_id=department.organisation_id,
        changes={
            "authority": authority.value,
            "department_id": department.id,
            "starts_on": starts_on.isoformat(),
        },
    )
    return record


def end_authority(auditor: Auditor, record: PracticeAuthority, *, last_day: dt.date) -> None:
    if record.ends_on is not None:
        raise PracticeRecordError("ends_on", "It has already ended")
    if last_day < record.starts_on:
        raise PracticeRecordError("ends_on", "It cannot end before it started")
    record.ends_on = last_day
    department = auditor.session.get_one(Department, record.department_id)
    auditor.record(
        "practice_authority.ended",
        subject_type="user",
        subject_id=record.user_id,
        organisation_id=department.organisation_id,
        changes={"authority": record.authority.value, "ends_on": last_day.isoformat()},
    )
    auditor.session.flush()


def authority_on(
    auditor: Auditor, department_id: int, user_id: int, authority: Authority, on: dt.date
) -> PracticeAuthority | None:
    return auditor.session.scalar(
        select(PracticeAuthority).where(
            PracticeAuthority.department_id == department_id,
            PracticeAuthority.user_id == user_id,
            PracticeAuthority.authority == authority,
            PracticeAuthority.starts_on <= on,
            (PracticeAuthority.ends_on.is_(None)) | (PracticeAuthority.ends_on >= on),
        )
    )


def require_authority(
    auditor: Auditor,
    department_id: int,
    person: User,
    authorities: Iterable[Authority],
    on: dt.date,
    field: str,
) -> None:
    wanted = tuple(authorities)
    for authority in wanted:
        if authority_on(auditor, department_id, person.id, authority, on) is not None:
            return
    names = " or ".join(authority.label for authority in wanted)
    raise PracticeRecordError(
        field, f"{person.name} is not recorded as the department's {names} on {on:%-d %B %Y}"
    )


# --- Checks every grant shares ---------------------------------------------------------------


def same_organisation(person: User, department: Department, field: str) -> None:
    if person.organisation_id != department.organisation_id:
        raise PracticeRecordError(field, f"{person.name} is not in this organisation")


def decision_day(day: dt.date, today: dt.date, field: str) -> None:
    if day > today:
        raise PracticeRecordError(field, "Record it on the day or after: the date is in future")


def not_before(day: dt.date, latest: dt.date, field: str) -> None:
    if day < latest:
        raise PracticeRecordError(
            field, f"The record already has a change from {latest:%-d %B %Y}: use that day or later"
        )


def review_after(review_on: dt.date, day: dt.date) -> None:
    if review_on <= day:
        raise PracticeRecordError("review_on", "The review date must be after the date given")


def withdrawal_reason(reason: str, confirmed: Collection[str]) -> str:
    reason = reason.strip()
    if not reason:
        raise PracticeRecordError("reason", "Say why it is withdrawn")
    guard({"reason": reason}, confirmed)
    return reason


def organisation_of(auditor: Auditor, record: IrmerEntitlement | Designation) -> int:
    return auditor.session.get_one(Department, record.department_id).organisation_id
