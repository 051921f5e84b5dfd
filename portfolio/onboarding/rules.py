"""Checking a staff record extract and deciding what importing it will do (pure).

Each line is judged against a `Directory`: plain values read from the database for the
organisation (departments, posts, the people the file may mean, supervisors). Every problem is
reported, by line and column, before anything is written; the same field rules as the pages
for one person apply (`portfolio.people.rules`).

Who a line is: the person in the organisation with its employee number; failing that (or
with no employee number on the line), the person with its email address. A match is updated,
anyone else is added and invited. A line is "unchanged" when the person, their current job
role, band, department, post and start date in post, and the supervisor named already match.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass, field

from portfolio.core.roles import AccountRole, job_role_title
from portfolio.onboarding.csvfile import HEADINGS, Problem, StaffFile
from portfolio.onboarding.directory import CurrentAppointment, Directory, KnownPerson
from portfolio.onboarding.lines import LineProblems, StaffRecord, check_line
from portfolio.people.rules import EMAIL_TAKEN, SELF_SUPERVISION


class Action(enum.StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    # Someone who has left (a deactivated account) still in the extract: the line is left
    # out and reported, and the rest of the file imports. Reactivating them is a decision
    # taken on their page, never by a file.
    LEFT = "left"


@dataclass(frozen=True)
class PlannedLine:
    line: int
    record: StaffRecord
    action: Action
    person_id: int | None = None
    # What changes, in words ("band: 2 to 3"), for the preview and the audit trail.
    changes: tuple[str, ...] = ()
    update_details: bool = False
    appointment_from: dt.date | None = None  # a new job role row from this date
    supervision_from: dt.date | None = None  # the supervisor named, from this date


@dataclass(frozen=True)
class Plan:
    lines: list[PlannedLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for line in self.lines if line.action is action)

    def digest(self) -> str:
        """Names exactly what the preview promised, so a confirmation made after something
        changed in the database is shown the new preview instead of importing."""
        summary = [
            [item.line, item.action.value, item.person_id, list(item.changes)]
            for item in self.lines
        ]
        return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()


def plan_import(staff_file: StaffFile, directory: Directory) -> Plan:
    """Every problem in the file, and what importing each line will do."""
    problems = list(staff_file.problems)
    planned: list[PlannedLine] = []
    first_line_with: dict[tuple[str, str], int] = {}
    for line in staff_file.lines:
        record, found = check_line(line, directory)
        duplicates = LineProblems(line.number)
        for key, value in (
            ("email", line.get("email").lower()),
            ("employee_number", line.get("employee_number")),
        ):
            earlier = first_line_with.setdefault((key, value), line.number) if value else None
            if earlier is not None and earlier != line.number:
                duplicates.add(key, f"Line {earlier} has the same {HEADINGS[key].lower()}")
        problems += found + duplicates.found
        if record is None or duplicates.found:
            continue
        outcome = _plan_line(line.number, record, directory)
        if isinstance(outcome, PlannedLine):
            planned.append(outcome)
        else:
            problems += outcome
    problems.sort(key=lambda item: item.line)
    return Plan(lines=planned, problems=problems, ignored_columns=staff_file.ignored_columns)


def _match(record: StaffRecord, directory: Directory, problems: LineProblems) -> KnownPerson | None:
    """The person a line is about: by employee number, else by email address."""
    by_email = directory.by_email(record.email)
    by_number = (
        directory.by_employee_number(record.employee_number) if record.employee_number else []
    )
    if len(by_number) > 1:
        problems.add(
            "employee_number", "More than one person in your organisation has this employee number"
        )
        return None
    person = by_number[0] if by_number else None
    if person is not None:
        if by_email is not None and by_email.id != person.id:
            problems.add("email", f"{EMAIL_TAKEN}, not {person.name} (whose employee number it is)")
    elif by_email is not None:
        if by_email.organisation_id != directory.organisation_id:
            problems.add("email", EMAIL_TAKEN)
            return None
        person = by_email
        if record.employee_number and person.employee_number:
            problems.add(
                "employee_number",
                f"This email address is {person.name}'s, whose employee number is "
                f"{person.employee_number}",
            )
    if person is not None and record.supervisor_id == person.id:
        problems.add("supervisor", SELF_SUPERVISION)
    return person


def _plan_line(
    number: int, record: StaffRecord, directory: Directory
) -> PlannedLine | list[Problem]:
    problems = LineProblems(number)
    person = _match(record, directory, problems)
    if problems.found:
        return problems.found
    if person is not None and not person.active:
        return PlannedLine(number, record, Action.LEFT, person_id=person.id)
    supervision_from = (
        max(directory.today, record.started_in_post_on) if record.supervisor_id else None
    )
    if person is None:
        return PlannedLine(
            number,
            record,
            Action.CREATE,
            appointment_from=record.started_in_post_on,
            supervision_from=supervision_from,
        )
    return _plan_update(number, record, directory, person, supervision_from)


def _plan_update(
    number: int,
    record: StaffRecord,
    directory: Directory,
    person: KnownPerson,
    supervision_from: dt.date | None,
) -> PlannedLine | list[Problem]:
    """A line about someone already here: what changes, if anything."""
    problems = LineProblems(number)
    today = directory.today
    changes = [
        label
        for label, differs in (
            ("name", record.name != person.name),
            ("email address", record.email != person.email),
            (
                "employee number",
                record.employee_number is not None
                and record.employee_number != person.employee_number,
            ),
            ("account role: support worker added", AccountRole.SUPPORT_WORKER not in person.roles),
        )
        if differs
    ]
    update_details = bool(changes)
    appointment_from = None
    current = person.appointment
    if current is None:
        appointment_from = record.started_in_post_on
        changes.append("job role recorded")
    else:
        differences = _appointment_changes(current, record, directory)
        if differences:
            appointment_from = max(today, record.started_in_post_on)
            if current.effective_from >= appointment_from:
                problems.add(
                    "job_role",
                    f"{person.name} already has a change recorded from "
                    f"{current.effective_from.isoformat()}: record this one on their page",
                )
                return problems.found
            changes += differences
    if record.supervisor_id is not None and record.supervisor_id not in person.supervisor_ids:
        changes.append(f"supervisor: {record.supervisor_name} added")
    else:
        supervision_from = None
    return PlannedLine(
        number,
        record,
        Action.UPDATE if changes else Action.UNCHANGED,
        person_id=person.id,
        changes=tuple(changes),
        update_details=update_details,
        appointment_from=appointment_from,
        supervision_from=supervision_from,
    )


def _appointment_changes(
    current: CurrentAppointment, record: StaffRecord, directory: Directory
) -> list[str]:
    departments = dict(directory.departments.values())
    posts = {post.id: post.name for post in directory.posts.values()}

    def post_name(post_id: int | None) -> str:
        return posts.get(post_id, "none") if post_id is not None else "none"

    pairs = (
        (
            "job role",
            job_role_title(current.job_role, current.trainee),
            job_role_title(record.job_role, record.trainee),
        ),
        ("band", current.afc_band, record.afc_band),
        (
            "department",
            departments.get(current.department_id, "another"),
            departments[record.department_id],
        ),
        ("post", post_name(current.post_id), post_name(record.post_id)),
        (
            "start date",
            current.started_in_post_on.isoformat(),
            record.started_in_post_on.isoformat(),
        ),
    )
    return [f"{label}: {old} to {new}" for label, old, new in pairs if old != new]
