"""Keeping an upload until it is confirmed, and importing a checked staff record extract.

Importing writes through the same services as the pages for one person (`people.services`),
so every person, job role and supervisor is checked and audited exactly as there. Services
flush and never commit: the page or command commits once, so a file is imported whole or not
at all. New people are invited by email after the commit (the caller queues it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.roles import AccountRole
from portfolio.onboarding.csvfile import Problem, read_staff_file
from portfolio.onboarding.models import StaffUpload
from portfolio.onboarding.queries import directory_for
from portfolio.onboarding.rules import Action, Plan, PlannedLine, plan_import
from portfolio.people import services as people
from portfolio.people.models import Organisation, User

# How long an upload waits for its confirmation before the housekeeping deletes it.
UPLOAD_KEPT = dt.timedelta(hours=24)

# A refusal from a person service, on the column it came from.
_COLUMNS = {
    "name": "Name",
    "email": "Email",
    "employee_number": "Employee number",
    "department_id": "Department",
    "post_id": "Post",
    "started_in_post_on": "Start date",
    "effective_from": "Start date",
    "supervisor_id": "Supervisor",
}


class ImportLineError(Exception):
    """A line the checks passed was refused while importing (the database changed in the
    meantime): nothing is kept, and the problem is shown like any other."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class ImportResult:
    created_ids: list[int]
    updated: int
    unchanged: int
    left: int = 0  # lines naming someone who has left: left out


def plan_file(
    session: Session, organisation_id: int, content: bytes, *, max_bytes: int, today: dt.date
) -> Plan:
    """Every problem with the file and what importing it would do; writes nothing. Raises
    `UnreadableFileError` when the upload is not a CSV file at all."""
    staff_file = read_staff_file(content, max_bytes)
    return plan_import(staff_file, directory_for(session, organisation_id, staff_file, today))


def store_upload(
    session: Session,
    *,
    organisation_id: int,
    uploaded_by_id: int,
    filename: str,
    content: bytes,
    now: dt.datetime,
) -> StaffUpload:
    upload = StaffUpload(
        id=secrets.token_urlsafe(16),
        organisation_id=organisation_id,
        uploaded_by_id=uploaded_by_id,
        filename=filename[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_at=now,
    )
    session.add(upload)
    session.flush()
    return upload


def find_upload(session: Session, upload_id: str, now: dt.datetime) -> StaffUpload | None:
    return session.scalar(
        select(StaffUpload).where(
            StaffUpload.id == upload_id[:32], StaffUpload.uploaded_at > now - UPLOAD_KEPT
        )
    )


def prune_uploads(session: Session, now: dt.datetime) -> int:
    result = session.execute(
        delete(StaffUpload).where(StaffUpload.uploaded_at <= now - UPLOAD_KEPT)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def import_staff(
    auditor: Auditor, organisation: Organisation, plan: Plan, *, file_sha256: str
) -> ImportResult:
    """Write every line of a plan without problems. Raises ImportLineError (after which the
    caller rolls back) if a service refuses a line."""
    if not plan.ok:
        raise ImportLineError(plan.problems[0])
    created: list[int] = []
    for item in plan.lines:
        if item.action is Action.LEFT:
            continue
        try:
            person = _import_line(auditor, organisation, item)
        except people.PersonError as error:
            column = _COLUMNS.get(error.field, "File")
            raise ImportLineError(Problem(item.line, column, error.message)) from error
        if item.action is Action.CREATE:
            created.append(person.id)
    result = ImportResult(
        created_ids=created,
        updated=plan.count(Action.UPDATE),
        unchanged=plan.count(Action.UNCHANGED),
        left=plan.count(Action.LEFT),
    )
    auditor.record(
        "staff.imported",
        subject_type="organisation",
        subject_id=organisation.id,
        organisation_id=organisation.id,
        changes={
            "file_sha256": file_sha256,
            "created": len(result.created_ids),
            "updated": result.updated,
            "unchanged": result.unchanged,
            "left_out": result.left,
        },
    )
    return result


def _import_line(auditor: Auditor, organisation: Organisation, item: PlannedLine) -> User:
    session = auditor.session
    record = item.record
    if item.action is Action.CREATE:
        person = people.invite_person(
            auditor,
            organisation,
            people.PersonDetails(
                name=record.name,
                email=record.email,
                roles=frozenset({AccountRole.SUPPORT_WORKER}),
                employee_number=record.employee_number,
            ),
        )
    else:
        assert item.person_id is not None
        person = session.get_one(User, item.person_id)
    if item.update_details:
        current = people.details_of(person)
        people.update_person(
            auditor,
            person,
            replace(
                current,
                name=record.name,
                email=record.email,
                employee_number=record.employee_number or current.employee_number,
                roles=current.roles | {AccountRole.SUPPORT_WORKER},
            ),
        )
    if item.appointment_from is not None:
        people.record_appointment(
            auditor,
            person,
            people.AppointmentDetails(
                effective_from=item.appointment_from,
                job_role=record.job_role,
                trainee=record.trainee,
                afc_band=record.afc_band,
                department_id=record.department_id,
                started_in_post_on=record.started_in_post_on,
                post_id=record.post_id,
            ),
        )
    if item.supervision_from is not None and record.supervisor_id is not None:
        supervisor = session.get_one(User, record.supervisor_id)
        people.assign_supervisor(auditor, person, supervisor, item.supervision_from)
    return person
