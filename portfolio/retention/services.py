"""The retention list: read, judge, and write it out (as text or a CSV file). Reads only."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from portfolio.core.spreadsheet import csv_bytes
from portfolio.retention import queries
from portfolio.retention.rules import (
    PastRetention,
    RetentionPeriods,
    latest_past,
    latest_past_days,
    past_retention,
)

CSV_HEADER = (
    "Person",
    "Email",
    "Organisation",
    "What",
    "Since",
    "Past retention from",
    "Setting",
)


def retention_list(session: Session, on: dt.date, periods: RetentionPeriods) -> list[PastRetention]:
    return past_retention(
        on,
        periods,
        leavers=queries.leavers(session),
        audit=queries.old_audit_entries(session, latest_past(on, periods.audit_years)),
        sign_ins=queries.old_sign_in_attempts(
            session, latest_past_days(on, periods.sign_in_attempt_days)
        ),
    )


def as_csv(items: Sequence[PastRetention]) -> bytes:
    return csv_bytes(
        CSV_HEADER,
        [
            (
                item.person,
                item.email,
                item.organisation,
                item.what,
                item.since,
                item.past_retention_from,
                item.setting,
            )
            for item in items
        ],
    )


def as_lines(items: Sequence[PastRetention], on: dt.date) -> list[str]:
    if not items:
        return [f"Nothing is past retention on {on.isoformat()}."]
    lines = [
        f"{len(items)} past retention on {on.isoformat()}, for a person to decide on "
        "(nothing has been deleted):"
    ]
    for item in items:
        who = f"{item.person} <{item.email}>, " if item.person else ""
        where = f" ({item.organisation})" if item.organisation else ""
        lines.append(
            f"- {who}{item.what}{where}: since {item.since.isoformat()}, past retention from "
            f"{item.past_retention_from.isoformat()} under {item.setting}"
        )
    return lines


def write_private(path: Path, content: bytes) -> None:
    """Write a file only its owner can read (the list names people)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
