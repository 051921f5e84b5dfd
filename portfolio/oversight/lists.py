"""The educator's lists, taken from a full matrix, and every export as a header and rows.
Pure: plain values in, plain values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from portfolio.core.spreadsheet import Value
from portfolio.oversight.matrix import Column, Matrix, Worker
from portfolio.oversight.rules import QualificationGuidance, Renewal, renewal_within
from portfolio.standing.status import Status

Table = tuple[list[str], list[list[Value]]]


@dataclass(frozen=True)
class RenewalRow:
    worker: Worker
    competency: Column
    renewal: Renewal
    status: Status  # on the date: competent or due for reassessment, or expired
    expires_on: dt.date  # the last valid day
    days: int  # until the expiry day (0: today), or since the sign-off expired (1: today)
    note: str | None = None  # "transcribed record", when not assessed here


def renewals(matrix: Matrix, days: int) -> list[RenewalRow]:
    """Sign-offs in the matrix due within `days` days or expired in the last `days` days,
    soonest expiry first."""
    found = []
    for row in matrix.rows:
        for column, item in zip(matrix.columns, row.cells, strict=True):
            if item.state is None or item.state.expires_on is None:
                continue
            renewal = renewal_within(item.state, matrix.on, days)
            if renewal is not None:
                expires_on = item.state.expires_on
                gap = abs((expires_on - matrix.on).days)
                found.append(
                    RenewalRow(
                        row.worker,
                        column,
                        renewal,
                        item.state.status,
                        expires_on,
                        gap,
                        item.note,
                    )
                )
    return sorted(
        found, key=lambda item: (item.expires_on, item.worker.name.casefold(), item.competency.code)
    )


@dataclass(frozen=True)
class SuspendedRow:
    worker: Worker
    competency: Column
    since: dt.date
    reason: str
    note: str | None = None


def suspended(matrix: Matrix) -> list[SuspendedRow]:
    """Sign-offs suspended on the matrix's date, longest suspended first."""
    found = []
    for row in matrix.rows:
        for column, item in zip(matrix.columns, row.cells, strict=True):
            state = item.state
            if state is not None and state.status is Status.SUSPENDED and state.suspension:
                found.append(
                    SuspendedRow(
                        row.worker,
                        column,
                        state.suspension.starts_on,
                        state.suspension.reason,
                        item.note,
                    )
                )
    return sorted(
        found, key=lambda item: (item.since, item.worker.name.casefold(), item.competency.code)
    )


@dataclass(frozen=True)
class GuidanceRow:
    worker: Worker
    guidance: QualificationGuidance
    recommended: tuple[str, ...]  # titles of the qualifications that would count


def matrix_table(matrix: Matrix) -> Table:
    """One row per worker; for each competency its status ("Not in scope" outside the
    worker's scope), the last day its sign-off is valid, and what kind of sign-off it rests
    on when not one assessed here ("Transcribed record")."""
    header = ["Name", "Department", "Post", "Job role", "Competent items", "Items counted"]
    for column in matrix.columns:
        header += [
            f"{column.code} {column.title}: status",
            f"{column.code}: valid until",
            f"{column.code}: record",
        ]
    rows: list[list[Value]] = []
    for row in matrix.rows:
        worker = row.worker
        line: list[Value] = [
            worker.name,
            worker.department,
            worker.post,
            worker.job_role_title,
            row.competent,
            row.counted,
        ]
        for item in row.cells:
            line += [item.label, item.expires_on, _record(item.note)]
        rows.append(line)
    return header, rows


def renewals_table(found: Sequence[RenewalRow]) -> Table:
    header = [
        "Name",
        "Department",
        "Job role",
        "Competency code",
        "Competency",
        "Status",
        "Valid until",
        "Days until expiry",
        "Days since expiry",
        "Record",
    ]
    return header, [
        [
            item.worker.name,
            item.worker.department,
            item.worker.job_role_title,
            item.competency.code,
            item.competency.title,
            item.status.label,
            item.expires_on,
            item.days if item.renewal is Renewal.DUE else None,
            item.days if item.renewal is Renewal.EXPIRED else None,
            _record(item.note),
        ]
        for item in found
    ]


def suspended_table(found: Sequence[SuspendedRow]) -> Table:
    header = [
        "Name",
        "Department",
        "Job role",
        "Competency code",
        "Competency",
        "Suspended since",
        "Reason",
        "Record",
    ]
    return header, [
        [
            item.worker.name,
            item.worker.department,
            item.worker.job_role_title,
            item.competency.code,
            item.competency.title,
            item.since,
            item.reason,
            _record(item.note),
        ]
        for item in found
    ]


def guidance_table(found: Sequence[GuidanceRow]) -> Table:
    header = [
        "Name",
        "Department",
        "Job role",
        "Started in post",
        "6 months end on",
        "Support arranged",
        "Qualification",
        "Planned start",
        "Days left of the 6 months",
        "Days since the 6 months passed",
    ]
    return header, [
        [
            item.worker.name,
            item.worker.department,
            item.worker.job_role_title,
            item.guidance.started_in_post_on,
            item.guidance.ends_on,
            item.guidance.support.label,
            item.guidance.qualification,
            item.guidance.planned_start_on,
            None if item.guidance.passed else item.guidance.days_left,
            item.guidance.days_since_passed if item.guidance.passed else None,
        ]
        for item in found
    ]


def _record(note: str | None) -> str | None:
    """'Transcribed record' in a CSV cell; empty for a sign-off assessed here."""
    return note.capitalize() if note else None
