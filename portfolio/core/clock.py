"""Time, in one place: UTC instants for records, and the date as the department sees it.

A night shift in Leeds works in UK local time, so "today" for a rota or an expiry is the
date in Europe/London, not in UTC.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/London")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return dt.datetime.now(LOCAL_ZONE).date()


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(LOCAL_ZONE)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: dt.date) -> str:
    """2 March 2026, whatever the server's locale."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def shift_days(day: dt.date, days: int) -> dt.date | None:
    """The day `days` later (earlier when negative); None beyond the calendar."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:  # beyond the calendar: no change can happen there
        return None
