"""Granting, reviewing and withdrawing IR(ME)R operator entitlements (IR(ME)R 2017 reg 2: an
operator is a person entitled in accordance with the employer's procedures; E7, E9, E10).

Nothing is overwritten: the grant is version 1 and each review or withdrawal adds a version
(`portfolio.practice.models`). The granter must hold the department's entitlement granter
authority on the day (`authorities`). One audit entry each, flush only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.frameworks.practice_terms import EntitlementKind, Modality
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
from portfolio.practice.models import (
    Authority,
    Change,
    EntitlementExamination,
    EntitlementVersion,
    IrmerEntitlement,
)

EXAMINATION = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_EXAMINATION = 64


def grant_entitlement(
    auditor: Auditor,
    person: User,
    department: Department,
    *,
    kind: EntitlementKind,
    modality: Modality | None,
    examinations: Collection[str] = (),
    granted_by: User,
    granted_on: dt.date,
    review_on: dt.date,
    today: dt.date,
) -> IrmerEntitlement:
    """Entitle `person` as an IR(ME)R operator for one task kind in one modality (None: every
    modality), under the department's procedures. `granted_by` must hold the department's
    entitlement granter authority on `granted_on`. Exposure names its examinations."""
    same_organisation(person, department, "user_id")
    decision_day(granted_on, today, "granted_on")
    review_after(review_on, granted_on)
    exams = _examinations(kind, modality, examinations)
    require_authority(
        auditor,
        department.id,
        granted_by,
        [Authority.ENTITLEMENT_GRANTER],
        granted_on,
        "granted_by_id",
    )
    for other in _entitlements_of(auditor, person.id, department.id, kind, modality):
        if other.versions[-1].withdrawn_on is None:
            raise PracticeRecordError(
                "kind", "They already hold this entitlement: review or withdraw it instead"
            )
    entitlement = IrmerEntitlement(
        user_id=person.id, department_id=department.id, kind=kind, modality=modality
    )
    auditor.session.add(entitlement)
    version = EntitlementVersion(
        entitlement=entitlement,
        number=1,
        change=Change.GRANTED,
        effective_on=granted_on,
        granted_on=granted_on,
        granted_by_id=granted_by.id,
        review_on=review_on,
        recorded_by_id=auditor.actor_id,
        examination_rows=[EntitlementExamination(examination=name) for name in sorted(exams)],
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_entitlement(auditor, entitlement, version, person.organisation_id)
    return entitlement


def review_entitlement(
    auditor: Auditor,
    entitlement: IrmerEntitlement,
    *,
    reviewed_by: User,
    reviewed_on: dt.date,
    review_on: dt.date,
    examinations: Collection[str] | None = None,
    today: dt.date,
) -> EntitlementVersion:
    """Renew an entitlement at its review: a new version from `reviewed_on`, with the next
    review date and, when given, the examinations it now covers."""
    latest = entitlement.versions[-1]
    if latest.withdrawn_on is not None:
        raise PracticeRecordError("reviewed_on", "It was withdrawn: grant a new one instead")
    decision_day(reviewed_on, today, "reviewed_on")
    not_before(reviewed_on, latest.effective_on, "reviewed_on")
    review_after(review_on, reviewed_on)
    exams = (
        latest.examinations
        if examinations is None
        else _examinations(entitlement.kind, entitlement.modality, examinations)
    )
    require_authority(
        auditor,
        entitlement.department_id,
        reviewed_by,
        [Authority.ENTITLEMENT_GRANTER],
        reviewed_on,
        "reviewed_by_id",
    )
    version = EntitlementVersion(
        entitlement=entitlement,
        number=latest.number + 1,
        change=Change.REVIEWED,
        effective_on=reviewed_on,
        granted_on=latest.granted_on,
        granted_by_id=reviewed_by.id,
        review_on=review_on,
        recorded_by_id=auditor.actor_id,
        examination_rows=[EntitlementExamination(examination=name) for name in sorted(exams)],
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_entitlement(auditor, entitlement, version, organisation_of(auditor, entitlement))
    return version


def withdraw_entitlement(
    auditor: Auditor,
    entitlement: IrmerEntitlement,
    *,
    withdrawn_by: User,
    withdrawn_on: dt.date,
    reason: str,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> EntitlementVersion:
    """Withdraw an entitlement from `withdrawn_on` (no longer entitled that day), saying why.
    The reason is kept on the record, never copied into the audit log."""
    latest = entitlement.versions[-1]
    if latest.withdrawn_on is not None:
        raise PracticeRecordError("withdrawn_on", "It has already been withdrawn")
    reason = withdrawal_reason(reason, confirmed)
    decision_day(withdrawn_on, today, "withdrawn_on")
    not_before(withdrawn_on, latest.effective_on, "withdrawn_on")
    require_authority(
        auditor,
        entitlement.department_id,
        withdrawn_by,
        [Authority.ENTITLEMENT_GRANTER],
        withdrawn_on,
        "withdrawn_by_id",
    )
    version = EntitlementVersion(
        entitlement=entitlement,
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
        examination_rows=[
            EntitlementExamination(examination=name) for name in sorted(latest.examinations)
        ],
    )
    auditor.session.add(version)
    auditor.session.flush()
    _audit_entitlement(auditor, entitlement, version, organisation_of(auditor, entitlement))
    return version


def _entitlements_of(
    auditor: Auditor,
    user_id: int,
    department_id: int,
    kind: EntitlementKind,
    modality: Modality | None,
) -> list[IrmerEntitlement]:
    same_modality = (
        IrmerEntitlement.modality.is_(None)
        if modality is None
        else IrmerEntitlement.modality == modality
    )
    return list(
        auditor.session.scalars(
            select(IrmerEntitlement).where(
                IrmerEntitlement.user_id == user_id,
                IrmerEntitlement.department_id == department_id,
                IrmerEntitlement.kind == kind,
                same_modality,
            )
        )
    )


def _examinations(
    kind: EntitlementKind, modality: Modality | None, names: Collection[str]
) -> frozenset[str]:
    exams = frozenset(name.strip().lower() for name in names if name.strip())
    if kind is not EntitlementKind.EXPOSURE:
        if exams:
            raise PracticeRecordError("examinations", "Only an exposure names examinations")
        return exams
    if modality is None:
        raise PracticeRecordError("modality", "Choose the modality of the exposures")
    if not exams:
        raise PracticeRecordError("examinations", "Name the examinations it covers")
    for name in sorted(exams):
        if len(name) > MAX_EXAMINATION or not EXAMINATION.match(name):
            raise PracticeRecordError(
                "examinations",
                f"{name!r}: use lower-case words joined by hyphens (chest, appendicular-skeleton)",
            )
    return exams


def _audit_entitlement(
    auditor: Auditor,
    entitlement: IrmerEntitlement,
    version: EntitlementVersion,
    organisation_id: int,
) -> None:
    changes: dict[str, object] = {
        "entitlement_id": entitlement.id,
        "version": version.number,
        "kind": entitlement.kind.value,
        "modality": entitlement.modality.value if entitlement.modality else None,
        "examinations": sorted(version.examinations),
        "effective_on": version.effective_on.isoformat(),
        "granted_by_id": version.granted_by_id,
        "review_on": version.review_on.isoformat() if version.review_on else None,
    }
    if version.withdrawn_on is not None:
        changes |= {"withdrawn_on": version.withdrawn_on.isoformat(), "reason": "(recorded)"}
    auditor.record(
        f"irmer_entitlement.{version.change.value}",
        subject_type="user",
        subject_id=entitlement.user_id,
        organisation_id=organisation_id,
        changes=changes,
    )
