"""What is past retention on a date: pure functions over plain values.

A record kept for N years from day D is within retention up to and including the same day
N years on (29 February counts to 28 February in a common year), and past retention from
the next day. Days work the same way: kept for N days from D means through D + N.

The settings are a trust's choice. The list only names records for a person to decide on:
the NHS Records Management Code says no record should be destroyed automatically when its
minimum period ends, and DOMAIN.md that leavers are archived, never deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

DAY = dt.timedelta(days=1)


class RetentionSettings(Protocol):
    """The three settings (the app's settings object has them, already checked)."""

    @property
    def retention_leaver_years(self) -> int: ...
    @property
    def retention_audit_years(self) -> int: ...
    @property
    def retention_sign_in_attempt_days(self) -> int: ...


@dataclass(frozen=True)
class RetentionPeriods:
    leaver_years: int
    audit_years: int
    sign_in_attempt_days: int

    @classmethod
    def from_settings(cls, settings: RetentionSettings) -> RetentionPeriods:
        return cls(
            leaver_years=settings.retention_leaver_years,
            audit_years=settings.retention_audit_years,
            sign_in_attempt_days=settings.retention_sign_in_attempt_days,
        )


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def kept_until(since: dt.date, years: int) -> dt.date:
    """The last day a record counted from `since` is within retention."""
    return years_after(since, years)


def is_past(since: dt.date, years: int, on: dt.date) -> bool:
    return on > kept_until(since, years)


def latest_past(on: dt.date, years: int) -> dt.date:
    """The latest `since` already past retention on `on`: everything from that day or
    earlier is past, everything later is not (what a query filters on)."""
    # Start a year or so early and walk forward: years_after never decreases, so the walk
    # ends at the boundary after at most a couple of days past the first guess.
    candidate = years_after(on, -years) - 2 * DAY
    while is_past(candidate + DAY, years, on):
        candidate += DAY
    return candidate


def latest_past_days(on: dt.date, days: int) -> dt.date:
    """As `latest_past`, for a period in days."""
    return on - dt.timedelta(days=days) - DAY


@dataclass(frozen=True)
class Leaver:
    """A person whose account was deactivated, with what the portfolio holds of theirs."""

    name: str
    email: str
    organisation: str
    left_on: dt.date  # the day the account was deactivated (Europe/London)
    evidence: int = 0
    sign_offs: int = 0
    procedures: int = 0


@dataclass(frozen=True)
class OldRecords:
    """Records of one kind counted from `oldest` onwards, all already past retention."""

    organisation: str
    count: int
    oldest: dt.date


@dataclass(frozen=True)
class PastRetention:
    """One line of the list."""

    person: str  # "" when the records are not about one person
    email: str
    organisation: str
    what: str
    since: dt.date
    past_retention_from: dt.date
    setting: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def past_retention(
    on: dt.date,
    periods: RetentionPeriods,
    *,
    leavers: Iterable[Leaver] = (),
    audit: Iterable[OldRecords] = (),
    sign_ins: Iterable[OldRecords] = (),
) -> list[PastRetention]:
    """Everything past retention on `on`: leavers first (longest gone first), then audit
    entries and sign-in attempts by organisation."""
    items: list[PastRetention] = []
    leaver_setting = f"PORTFOLIO_RETENTION_LEAVER_YEARS ({periods.leaver_years})"
    for leaver in sorted(leavers, key=lambda item: (item.left_on, item.name, item.email)):
        if not is_past(leaver.left_on, periods.leaver_years, on):
            continue
        holds = ", ".join(
            [
                _plural(leaver.evidence, "piece") + " of evidence",
                _plural(leaver.sign_offs, "sign-off"),
                _plural(leaver.procedures, "supervised procedure"),
            ]
        )
        items.append(
            PastRetention(
                person=leaver.name,
                email=leaver.email,
                organisation=leaver.organisation,
                what=f"leaver's account and portfolio ({holds})",
                since=leaver.left_on,
                past_retention_from=kept_until(leaver.left_on, periods.leaver_years) + DAY,
                setting=leaver_setting,
            )
        )
    audit_years, days = periods.audit_years, periods.sign_in_attempt_days
    items += _counted(
        audit,
        on,
        last_kept=lambda day: kept_until(day, audit_years),
        what=lambda group: (
            f"{group.count} audit trail "
            f"{'entry' if group.count == 1 else 'entries'} recorded on or before "
            f"{latest_past(on, audit_years).isoformat()}"
        ),
        setting=f"PORTFOLIO_RETENTION_AUDIT_YEARS ({audit_years})",
    )
    items += _counted(
        sign_ins,
        on,
        last_kept=lambda day: day + dt.timedelta(days=days),
        what=lambda group: (
            f"{_plural(group.count, 'sign-in attempt')} (the nightly "
            "housekeeping task deletes these: is the job consumer running?)"
        ),
        setting=f"PORTFOLIO_RETENTION_SIGN_IN_ATTEMPT_DAYS ({days})",
    )
    return items


def _counted(
    groups: Iterable[OldRecords],
    on: dt.date,
    *,
    last_kept: Callable[[dt.date], dt.date],
    what: Callable[[OldRecords], str],
    setting: str,
) -> list[PastRetention]:
    """Counted records (not about one person), one line per organisation."""
    return [
        PastRetention(
            person="",
            email="",
            organisation=group.organisation,
            what=what(group),
            since=group.oldest,
            past_retention_from=last_kept(group.oldest) + DAY,
            setting=setting,
        )
        for group in sorted(groups, key=lambda item: item.organisation)
        if group.count and on > last_kept(group.oldest)
    ]
