"""A person's qualifications, IR(ME)R operator entitlements and plan. Audited; flush only."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.frameworks.models import OperatorEntitlement, PersonQualification, PlanItem
from portfolio.frameworks.schema import QualificationFramework
from portfolio.people.models import User


class CareerRecordError(FieldError):
    """A change that cannot be made, with the form field it belongs to."""


class QualificationStatus(enum.StrEnum):
    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    PLANNED = "planned"
    WAITING_LIST = "waiting_list"

    @property
    def label(self) -> str:
        return {
            "achieved": "Achieved",
            "in_progress": "In progress",
            "planned": "Planned start",
            "waiting_list": "On a waiting list",
        }[self.value]


@dataclass(frozen=True)
class QualificationDetails:
    title: str
    framework: QualificationFramework
    level: int
    status: QualificationStatus
    qualification_code: str | None = None
    achieved_on: dt.date | None = None
    planned_start_on: dt.date | None = None


LEVELS = {
    QualificationFramework.RQF: range(1, 9),
    QualificationFramework.CQFW: range(1, 9),
    QualificationFramework.FHEQ: range(4, 9),
    QualificationFramework.SCQF: range(1, 13),
    QualificationFramework.EQF: range(1, 9),
}


def record_qualification(
    auditor: Auditor,
    person: User,
    details: QualificationDetails,
    *,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> PersonQualification:
    guard({"title": details.title}, confirmed)
    if details.level not in LEVELS[details.framework]:
        span = LEVELS[details.framework]
        raise CareerRecordError(
            "level",
            f"{details.framework.value.upper()} levels run from {span.start} to {span.stop - 1}",
        )
    if details.status is QualificationStatus.ACHIEVED:
        if details.achieved_on is None:
            raise CareerRecordError("achieved_on", "Enter the date it was achieved")
        if details.achieved_on > today:
            raise CareerRecordError("achieved_on", "The date achieved must be today or before")
    elif details.achieved_on is not None:
        raise CareerRecordError("achieved_on", "Only an achieved qualification has this date")
    record = PersonQualification(
        user_id=person.id,
        qualification_code=details.qualification_code,
        title=details.title.strip(),
        framework=details.framework.value,
        level=details.level,
        status=details.status.value,
        achieved_on=details.achieved_on,
        planned_start_on=details.planned_start_on,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(record)
    auditor.session.flush()
    auditor.record(
        "qualification.recorded",
        subject_type="user",
        subject_id=person.id,
        organisation_id=person.organisation_id,
        changes={
            "qualification": details.qualification_code or "(other)",
            "framework": details.framework.value,
            "level": details.level,
            "status": details.status.value,
        },
    )
    return record


def grant_entitlement(
    auditor: Auditor,
    person: User,
    *,
    scope: str,
    granted_on: dt.date,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> OperatorEntitlement:
    """Record the employer's IR(ME)R operator entitlement: separate from any sign-off."""
    guard({"scope": scope}, confirmed)
    if granted_on > today:
        raise CareerRecordError("granted_on", "The date granted must be today or before")
    assert auditor.actor_id is not None
    entitlement = OperatorEntitlement(
        user_id=person.id,
        scope=scope.strip(),
        granted_by_id=auditor.actor_id,
        granted_on=granted_on,
    )
    auditor.session.add(entitlement)
    auditor.session.flush()
    auditor.record(
        "entitlement.granted",
        subject_type="user",
        subject_id=person.id,
        organisation_id=person.organisation_id,
        changes={"entitlement_id": entitlement.id, "granted_on": granted_on.isoformat()},
    )
    return entitlement


def withdraw_entitlement(
    auditor: Auditor, entitlement: OperatorEntitlement, person: User, *, on: dt.date
) -> None:
    if entitlement.withdrawn_on is not None:
        return
    if on < entitlement.granted_on:
        raise CareerRecordError("withdrawn_on", "It cannot end before it was granted")
    entitlement.withdrawn_on = on
    auditor.record(
        "entitlement.withdrawn",
        subject_type="user",
        subject_id=person.id,
        organisation_id=person.organisation_id,
        changes={"entitlement_id": entitlement.id, "withdrawn_on": on.isoformat()},
    )
    auditor.session.flush()


def add_to_plan(auditor: Auditor, worker: User, code: str, *, optional_codes: set[str]) -> PlanItem:
    if code not in optional_codes:
        raise CareerRecordError("competency_code", "Choose an optional competency of their scope")
    existing = auditor.session.scalar(
        select(PlanItem).where(PlanItem.worker_id == worker.id, PlanItem.competency_code == code)
    )
    if existing is not None:
        raise CareerRecordError("competency_code", f"{code} is already in their plan")
    assert auditor.actor_id is not None
    item = PlanItem(worker_id=worker.id, competency_code=code, added_by_id=auditor.actor_id)
    auditor.session.add(item)
    auditor.session.flush()
    auditor.record(
        "plan.added",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={"competency": code},
    )
    return item
