"""MR Authorised Person designations and staff MR safety screening records (E20; SoR Safety
in MRI §2; MHRA guidelines): granted, reviewed and withdrawn as versions, like entitlements.
One audit entry each, flush only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.frameworks.practice_terms import DesignationKind
from portfolio.people.models import Department, User
from portfolio.practice.authorities import (
    PracticeRecordError,
    decision_day,
    not_before,
    organisation_of,
    require_authority,
    review_after,
    same_organisation,
    withdrawal_reason,
)
from portfolio.practice.models import Authority, Change, Designation, DesignationVersion

# Who may grant each designation in a department: the MR Responsible Person designates MR
# Authorised Persons; staff MR safety screening is done by the MR Responsible Person or an MR
# Authorised Person (SoR Safety in MRI §2; which of them screens is to confirm locally).
_DESIGNATED_BY = {
    DesignationKind.MR_AUTHORISED_PERSON: (Authority.MR_RESPONSIBLE_PERSON,),
    DesignationKind.MR_SAFETY_SCREENING: (Authority.MR_RESPONSIBLE_PERSON,),
}


def designate(
    auditor: Auditor,
    person: User,
    department: Department,
    *,
    kind: DesignationKind,
    granted_by: User,
    granted_on: dt.date,
    review_on: dt.date,
    today: dt.date,
) -> Designation:
    """Record a designation: an MR Authorised Person from the MR Responsible Person, or the
    staff member's MR safety screening (`granted_on` the day screened, `granted_by` who
    screened them: the MR Responsible Person or a current MR Authorised Person)."""
    same_organisation(person, department, "user_id")
    decision_day(granted_on, today, "granted_on")
    review_after(review_on, granted_on)
    _may_designate(auditor, department.id, kind, granted_by, granted_on, "granted_by_id")
    for other in _designations_of(auditor, person.id, department.id, kind):
        if other.versions[-1].withdrawn_on is None:
            raise PracticeRecordError(
                "kind", f"They already hold the {kind.label}: review or withdraw it instead"
            )
    designation = Designation(user_id=person.id, department_id=department.id, kind=kind)
    auditor.session.add(designation)
    version = DesignationVersion(
        designation=designation,
        number=1,
        change=Change.GRANTED,
        effective_on=granted_on,
        granted_on=granted_on,
        granted_by_id=granted_by.id,
        review_on=review_on,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_designation(auditor, designation, version, person.organisation_id)
    return designation


def review_designation(
    auditor: Auditor,
    designation: Designation,
    *,
    reviewed_by: User,
    reviewed_on: dt.date,
    review_on: dt.date,
    today: dt.date,
) -> DesignationVersion:
    """Renew a designation from `reviewed_on`. A screening's renewal is a new screening: its
    day becomes the granted date; an authorisation keeps the day it was first granted."""
    latest = designation.versions[-1]
    if latest.withdrawn_on is not None:
        raise PracticeRecordError("reviewed_on", "It was withdrawn: record a new one instead")
    decision_day(reviewed_on, today, "reviewed_on")
    not_before(reviewed_on, latest.effective_on, "reviewed_on")
    review_after(review_on, reviewed_on)
    _may_designate(
        auditor,
        designation.department_id,
        designation.kind,
        reviewed_by,
        reviewed_on,
        "reviewed_by_id",
    )
    screening = designation.kind is DesignationKind.MR_SAFETY_SCREENING
    version = DesignationVersion(
        designation=designation,
        number=latest.number + 1,
        change=Change.REVIEWED,
        effective_on=reviewed_on,
        granted_on=reviewed_on if screening else latest.granted_on,
        granted_by_id=reviewed_by.id,
        review_on=review_on,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_designation(auditor, designation, version, organisation_of(auditor, designation))
    return version


def withdraw_designation(
    auditor: Auditor,
    designation: Designation,
    *,
    withdrawn_by: User,
    withdrawn_on: dt.date,
    reason: str,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> DesignationVersion:
    latest = designation.versions[-1]
    if latest.withdrawn_on is not None:
        raise PracticeRecordError("withdrawn_on", "It has already been withdrawn")
    reason = withdrawal_reason(reason, confirmed)
    decision_day(withdrawn_on, today, "withdrawn_on")
    not_before(withdrawn_on, latest.effective_on, "withdrawn_on")
    _may_designate(
        auditor,
        designation.department_id,
        designation.kind,
        withdrawn_by,
        withdrawn_on,
        "withdrawn_by_id",
    )
    version = DesignationVersion(
        designation=designation,
        number=latest.number + 1,
        change=Change.WITHDRAWN,
        effective_on=withdrawn_on,
        granted_on=latest.granted_on,
        granted_by_id=latest.granted_by_id,
        review_on=latest.review_on,
        withdrawn_on=withdrawn_on,
        withdrawn_by_id=withdrawn_by.id,
        withdrawal_reason=reason,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_designation(auditor, designation, version, organisation_of(auditor, designation))
    return version


def _may_designate(
    auditor: Auditor,
    department_id: int,
    kind: DesignationKind,
    person: User,
    on: dt.date,
    field: str,
) -> None:
    if kind is DesignationKind.MR_SAFETY_SCREENING and _designated_on(
        auditor, department_id, person.id, DesignationKind.MR_AUTHORISED_PERSON, on
    ):
        return
    try:
        require_authority(auditor, department_id, person, _DESIGNATED_BY[kind], on, field)
    except PracticeRecordError as error:
        if kind is DesignationKind.MR_SAFETY_SCREENING:
            error.message = error.message.replace(
                "MR Responsible Person", "MR Responsible Person or an MR Authorised Person"
            )
            error.args = (error.message,)
        raise


def _designated_on(
    auditor: Auditor, department_id: int, user_id: int, kind: DesignationKind, on: dt.date
) -> bool:
    for designation in _designations_of(auditor, user_id, department_id, kind):
        version = next((v for v in reversed(designation.versions) if v.effective_on <= on), None)
        if (
            version is not None
            and version.withdrawn_on is None
            and version.granted_on <= on
            and (version.review_on is None or on <= version.review_on)
        ):
            return True
    return False


def _designations_of(
    auditor: Auditor, user_id: int, department_id: int, kind: DesignationKind
) -> list[Designation]:
    return list(
        auditor.session.scalars(
            select(Designation).where(
                Designation.user_id == user_id,
                Designation.department_id == department_id,
                Designation.kind == kind,
            )
        )
    )


def _audit_designation(
    auditor: Auditor, designation: Designation, version: DesignationVersion, organisation_id: int
) -> None:
    changes: dict[str, object] = {
        "designation_id": designation.id,
        "version": version.number,
        "kind": designation.kind.value,
        "effective_on": version.effective_on.isoformat(),
        "granted_on": version.granted_on.isoformat(),
        "granted_by_id": version.granted_by_id,
        "review_on": version.review_on.isoformat() if version.review_on else None,
    }
    if version.withdrawn_on is not None:
        changes |= {"withdrawn_on": version.withdrawn_on.isoformat(), "reason": "(recorded)"}
    auditor.record(
        f"designation.{version.change.value}",
        subject_type="user",
        subject_id=designation.user_id,
        organisation_id=organisation_id,
        changes=changes,
    )
