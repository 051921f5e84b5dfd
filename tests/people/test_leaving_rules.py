"""The last working day of someone deactivated (pure): any day up to today, never later."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portfolio.people.rules import LEAVING_REASONS, last_day_problem

DAYS = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))


@given(DAYS, DAYS)
def test_a_last_day_is_refused_exactly_when_it_is_after_today(
    last_day: dt.date, today: dt.date
) -> None:
    assert (last_day_problem(last_day, today) is None) == (last_day <= today)


def test_no_day_is_a_problem_of_its_own_and_every_reason_reads_as_words() -> None:
    assert last_day_problem(None, dt.date(2026, 12, 7)) == "Enter their last working day"
    assert all(label[0].isupper() and "_" not in label for label in LEAVING_REASONS.values())
