"""Checking one line of a staff record extract on its own (pure): each value's format, by
the same rules as the pages for one person (`portfolio.people.rules`), and what it names in
the organisation (department, post, supervisor)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portfolio.core.roles import JobRole
from portfolio.onboarding.csvfile import HEADINGS, Line, Problem
from portfolio.onboarding.directory import Directory, KnownPerson
from portfolio.people.rules import (
    band_from_text,
    band_problem,
    email_problem,
    employee_number_problem,
    job_role_from_text,
    job_role_problem,
    name_problem,
    post_problem,
    supervisor_problem,
)

DATE_FORMAT = (
    "Enter the date as YYYY-MM-DD, like 2025-09-01 (in Excel: Format Cells, Custom, yyyy-mm-dd)"
)


@dataclass(frozen=True)
class StaffRecord:
    """A line whose every value passed its checks, resolved to ids."""

    name: str
    email: str
    employee_number: str | None
    job_role: JobRole
    trainee: bool
    afc_band: str
    department_id: int
    post_id: int | None
    started_in_post_on: dt.date
    supervisor_id: int | None
    supervisor_name: str | None


def parse_date(text: str) -> dt.date | None:
    """ISO 8601 dates only (2025-09-01). 01/09/2025 is 1 September in a UK spreadsheet and
    9 January in a US one, and Excel's day numbers (45901) depend on the workbook: rather
    than guess, the line is refused with how to write it."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


class LineProblems:
    """The problems found on one line."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.found: list[Problem] = []

    def add(self, key: str, message: str | None) -> None:
        if message:
            self.found.append(Problem(self.line, HEADINGS[key], message))


def check_line(line: Line, directory: Directory) -> tuple[StaffRecord | None, list[Problem]]:
    """One line on its own: every value's format and what it names."""
    problems = LineProblems(line.number)
    problems.add("name", name_problem(line.get("name")))
    email = line.get("email").lower()
    problems.add("email", email_problem(email))
    number = line.get("employee_number")
    problems.add("employee_number", employee_number_problem(number))
    job_role_text = line.get("job_role")
    problems.add("job_role", job_role_problem(job_role_text))
    band = band_from_text(line.get("band"))
    problems.add("band", "Enter the band" if not band else band_problem(band))
    department_text = line.get("department")
    department = directory.departments.get(" ".join(department_text.lower().split()))
    if not department_text:
        problems.add("department", "Enter the department")
    elif department is None:
        problems.add(
            "department",
            f"There is no department called {department_text} in your organisation: correct "
            "it, or add the department on the Organisation page first",
        )
    started = parse_date(line.get("start_date"))
    if not line.get("start_date"):
        problems.add("start_date", "Enter the date they started in post")
    elif started is None:
        problems.add("start_date", DATE_FORMAT)

    parsed_role = job_role_from_text(job_role_text)
    post = None
    if line.get("post") and department is not None:
        post = directory.posts.get((department[0], " ".join(line.get("post").lower().split())))
        if post is None or not post.active:
            problems.add("post", f"There is no post called {line.get('post')} in {department[1]}")
        elif parsed_role is not None:
            problems.add(
                "post",
                post_problem(
                    post_name=post.name,
                    post_department_id=post.department_id,
                    post_job_role=post.job_role,
                    department_id=department[0],
                    job_role=parsed_role[0],
                ),
            )
    supervisor = find_supervisor(line.get("supervisor"), directory, problems)
    if problems.found or parsed_role is None or department is None or started is None:
        return None, problems.found
    record = StaffRecord(
        name=" ".join(line.get("name").split()),
        email=email,
        employee_number=number or None,
        job_role=parsed_role[0],
        trainee=parsed_role[1],
        afc_band=band,
        department_id=department[0],
        post_id=post.id if post else None,
        started_in_post_on=started,
        supervisor_id=supervisor.id if supervisor else None,
        supervisor_name=supervisor.name if supervisor else None,
    )
    return record, []


def find_supervisor(text: str, directory: Directory, problems: LineProblems) -> KnownPerson | None:
    """The supervisor named by email address or employee number."""
    if not text:
        return None
    found = (
        [directory.by_email(text.lower())] if "@" in text else directory.by_employee_number(text)
    )
    matches = [p for p in found if p is not None and p.organisation_id == directory.organisation_id]
    if not matches:
        problems.add(
            "supervisor", "No one in your organisation has this email address or employee number"
        )
        return None
    if len(matches) > 1:
        problems.add("supervisor", "More than one person has this employee number: use their email")
        return None
    supervisor = matches[0]
    if supervisor_problem(
        worker_id=None,
        supervisor_id=supervisor.id,
        same_organisation=True,
        supervisor_roles=supervisor.roles,
        supervisor_active=supervisor.active,
    ):
        problems.add(
            "supervisor",
            f"{supervisor.name} cannot supervise: give them the supervisor account role (or "
            "reactivate them) first, or name another supervisor",
        )
        return None
    return supervisor
