"""What is past retention on a date: the boundary day, 29 February, and the invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.settings_loading import SettingsError, load_settings
from portfolio.retention.rules import (
    Leaver,
    OldRecords,
    RetentionPeriods,
    is_past,
    kept_until,
    latest_past,
    latest_past_days,
    past_retention,
)

PERIODS = RetentionPeriods(leaver_years=6, audit_years=10, sign_in_attempt_days=90)
DATES = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
YEARS = st.integers(min_value=1, max_value=80)


def leaver(left_on: dt.date, name: str = "Jordan Lee") -> Leaver:
    return Leaver(
        name=name,
        email=f"{name.split()[0].lower()}@trust.example",
        organisation="Northfield",
        left_on=left_on,
        evidence=3,
        sign_offs=1,
        procedures=0,
    )


def test_a_leaver_is_kept_through_the_anniversary_and_past_retention_the_day_after() -> None:
    left = dt.date(2020, 3, 1)
    assert past_retention(dt.date(2026, 3, 1), PERIODS, leavers=[leaver(left)]) == []
    [item] = past_retention(dt.date(2026, 3, 2), PERIODS, leavers=[leaver(left)])
    assert item.person == "Jordan Lee"
    assert item.since == left
    assert item.past_retention_from == dt.date(2026, 3, 2)
    assert item.setting == "PORTFOLIO_RETENTION_LEAVER_YEARS (6)"
    assert item.what == (
        "leaver's account and portfolio (3 pieces of evidence, 1 sign-off, 0 supervised procedures)"
    )


def test_a_leaver_on_29_february_is_kept_to_28_february_in_a_common_year() -> None:
    assert kept_until(dt.date(2024, 2, 29), 6) == dt.date(2030, 2, 28)
    assert not is_past(dt.date(2024, 2, 29), 6, dt.date(2030, 2, 28))
    assert is_past(dt.date(2024, 2, 29), 6, dt.date(2030, 3, 1))
    assert kept_until(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


def test_sign_in_attempts_are_kept_for_the_days_set_then_listed() -> None:
    made = dt.date(2026, 1, 1)
    group = OldRecords(organisation="", count=2, oldest=made)
    on_last_day = made + dt.timedelta(days=90)
    assert past_retention(on_last_day, PERIODS, sign_ins=[group]) == []
    [item] = past_retention(on_last_day + dt.timedelta(days=1), PERIODS, sign_ins=[group])
    assert item.what.startswith("2 sign-in attempts")
    assert item.setting == "PORTFOLIO_RETENTION_SIGN_IN_ATTEMPT_DAYS (90)"
    assert latest_past_days(on_last_day + dt.timedelta(days=1), 90) == made


def test_old_audit_entries_are_listed_by_organisation_with_the_date_they_run_to() -> None:
    on = dt.date(2036, 6, 1)
    groups = [
        OldRecords(organisation="Southfield", count=1, oldest=dt.date(2026, 1, 1)),
        OldRecords(organisation="Northfield", count=40, oldest=dt.date(2025, 1, 1)),
    ]
    items = past_retention(on, PERIODS, audit=groups)
    assert [item.organisation for item in items] == ["Northfield", "Southfield"]
    assert items[0].what == "40 audit trail entries recorded on or before 2026-05-31"
    assert items[1].what == "1 audit trail entry recorded on or before 2026-05-31"
    assert items[0].past_retention_from == dt.date(2035, 1, 2)


@given(since=DATES, on=DATES, years=YEARS)
def test_latest_past_divides_past_from_kept(since: dt.date, on: dt.date, years: int) -> None:
    """What a query filters on (on or before `latest_past`) is exactly what `is_past` says."""
    assert is_past(since, years, on) == (since <= latest_past(on, years))


@given(since=DATES, years=YEARS)
def test_past_retention_begins_the_day_after_the_period_ends(since: dt.date, years: int) -> None:
    last = kept_until(since, years)
    assert not is_past(since, years, last)
    assert is_past(since, years, last + dt.timedelta(days=1))
    assert (last - since).days in range(365 * years, 366 * years + 1)


@given(
    left=st.lists(DATES, max_size=8),
    on=DATES,
    years=YEARS,
)
def test_the_list_names_exactly_the_leavers_past_retention(
    left: list[dt.date], on: dt.date, years: int
) -> None:
    periods = RetentionPeriods(leaver_years=years, audit_years=10, sign_in_attempt_days=90)
    leavers = [leaver(day, f"Person {index}") for index, day in enumerate(left)]
    listed = {item.person for item in past_retention(on, periods, leavers=leavers)}
    assert listed == {item.name for item in leavers if is_past(item.left_on, years, on)}


def test_the_settings_come_from_the_environment_and_refuse_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = RetentionPeriods.from_settings(
        load_settings("development", secret_key="s", audit_key="a")
    )
    assert defaults == RetentionPeriods(leaver_years=6, audit_years=10, sign_in_attempt_days=90)
    monkeypatch.setenv("PORTFOLIO_RETENTION_LEAVER_YEARS", "8")
    monkeypatch.setenv("PORTFOLIO_RETENTION_AUDIT_YEARS", "20")
    changed = load_settings("development", secret_key="s", audit_key="a")
    assert RetentionPeriods.from_settings(changed).leaver_years == 8
    for bad in ("0", "-1", "six"):
        monkeypatch.setenv("PORTFOLIO_RETENTION_SIGN_IN_ATTEMPT_DAYS", bad)
        with pytest.raises(SettingsError, match="PORTFOLIO_RETENTION_SIGN_IN_ATTEMPT_DAYS"):
            load_settings("development", secret_key="s", audit_key="a")
