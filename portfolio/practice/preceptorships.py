"""Preceptorship periods on an appointment: a named preceptor, dates, and the most autonomy
the period allows (direct supervision by default, set by your trust). A period covers every
item. One audit entry each, flush only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.people.models import Appointment, User
from portfolio.practice.authorities import PracticeRecordError, withdrawal_reason
from portfolio.practice.models import Preceptorship
from portfolio.standing.status import SupervisionLevel


def start_preceptorship(
    auditor: Auditor,
    appointment: Appointment,
    *,
    preceptor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    ceiling: SupervisionLevel = SupervisionLevel.DIRECT,
) -> Preceptorship:
    """Record a preceptorship on an appointment from `starts_on` to `ends_on` (its last day)."""
    worker = appointment.user
    if preceptor.id == worker.id:
        raise PracticeRecordError("preceptor_id", "A preceptee cannot be their own preceptor")
    if preceptor.organisation_id != worker.organisation_id:
        raise PracticeRecordError("preceptor_id", f"{preceptor.name} is not in this organisation")
    if starts_on < appointment.effective_from:
        raise PracticeRecordError(
            "starts_on", f"The appointment starts on {appointment.effective_from:%-d %B %Y}"
        )
    if ends_on < starts_on:
        raise PracticeRecordError("ends_on", "It cannot end before it starts")
    overlapping = auditor.session.scalar(
        select(Preceptorship.id)
        .join(Appointment, Appointment.id == Preceptorship.appointment_id)
        .where(
            Appointment.user_id == worker.id,
            Preceptorship.starts_on <= ends_on,
            Preceptorship.ends_on >= starts_on,
            Preceptorship.ended_on.is_(None) | (Preceptorship.ended_on >= starts_on),
        )
    )
    if overlapping is not None:
        raise PracticeRecordError("starts_on", "They already have a preceptorship in these dates")
    period = Preceptorship(
        appointment_id=appointment.id,
        preceptor_id=preceptor.id,
        starts_on=starts_on,
        ends_on=ends_on,
        ceiling=ceiling,
        recorded_by_id=auditor.actor_id,
    )
    auditor.session.add(period)
    auditor.session.flush()
    auditor.record(
        "preceptorship.started",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={
            "preceptorship_id": period.id,
            "appointment_id": appointment.id,
            "preceptor_id": preceptor.id,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "ceiling": ceiling.value,
        },
    )
    return period


def end_preceptorship(
    auditor: Auditor,
    period: Preceptorship,
    *,
    last_day: dt.date,
    reason: str,
    confirmed: Collection[str] = (),
) -> None:
    """End a period before its planned end (the planned end stays recorded)."""
    if period.ended_on is not None:
        raise PracticeRecordError("ended_on", "It has already ended")
    if not period.starts_on <= last_day <= period.ends_on:
        raise PracticeRecordError(
            "ended_on",
            f"Its last day must be from {period.starts_on:%-d %B %Y} to {period.ends_on:%-d %B %Y}",
        )
    reason = withdrawal_reason(reason, confirmed)
    period.ended_on = last_day
    period.end_reason = reason
    worker = period.appointment.user
    auditor.record(
        "preceptorship.ended",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={
            "preceptorship_id": period.id,
            "ended_on": last_day.isoformat(),
            "reason": "(recorded)",
        },
    )
    auditor.session.flush()
