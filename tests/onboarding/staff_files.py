"""Staff record extracts written as a spreadsheet would save them, and the trust they are
imported into (built by the `trust` fixture of tests/onboarding/conftest.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from portfolio.frameworks.models import Post
from portfolio.onboarding.csvfile import COLUMNS
from portfolio.people.models import Department, Organisation, User

HEADER = [column.heading for column in COLUMNS]


@dataclass
class Trust:
    org: Organisation
    mri: Department
    plain_film: Department
    mri_post: Post
    supervisor: User
    educator: User
    admin: User


def staff_row(number: int, **changes: str) -> dict[str, str]:
    """A valid line for staff member `number`."""
    row = {
        "Name": f"Staff Member {number}",
        "Email": f"staff{number}@trust.example",
        "Employee number": f"{10000 + number}",
        "Job role": ["Clinical support worker", "Senior clinical support worker"][number % 2],
        "Band": ["2", "3"][number % 2],
        "Department": ["General radiography", "MRI"][number % 2],
        "Post": ["", "MRI senior CSW"][number % 2],
        "Start date": f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "Supervisor": "sam.okafor@trust.example" if number % 3 else "",
    }
    row.update(changes)
    return row


def staff_csv(
    rows: Iterable[Mapping[str, str]], header: list[str] | None = None, bom: bool = True
) -> bytes:
    buffer = io.StringIO()
    columns = header or HEADER
    writer = csv.DictWriter(
        buffer, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in columns})
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()
