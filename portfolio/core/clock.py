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
