"""The 6-month qualification guidance and the reassessment window, without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.frameworks.schema import Pathway, QualificationFramework
from portfolio.oversight.rules import (
    HeldQualification,
    QualificationGuidance,
    Renewal,
    Support,
    add_months,
    qualification_guidance,
    reaches_level,
    recommended_qualifications,
    renewal_within,
    studying_apprenticeship,
    support_ends_on,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Suspension,
    status_on,
)
from tests.factories import histories

D = dt.date


@pytest.mark.parametrize(
    ("started", "ends"),
    [
        (D(2026, 3, 15), D(2026, 9, 15)),  # the same day number, six months on
        (D(2026, 1, 1), D(2026, 7, 1)),
        (D(2025, 7, 1), D(2026, 1, 1)),  # across a new year
        (D(2025, 8, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 8, 31), D(2028, 2, 29)),  # ... which is the 29th in a leap year
        (D(2025, 8, 29), D(2026, 2, 28)),
        (D(2027, 8, 29), D(2028, 2, 29)),
        (D(2024, 2, 29), D(2024, 8, 29)),  # started on a leap day
        (D(2023, 12, 31), D(2024, 6, 30)),  # 31 June does not exist either
        (D(2026, 3, 31), D(2026, 9, 30)),
        (D(2026, 2, 28), D(2026, 8, 28)),  # a short month's end stays the 28th
    ],
)
def test_the_six_months_end_on_the_corresponding_date_or_the_months_last_day(
    started: dt.date, ends: dt.date
) -> None:
    assert support_ends_on(started) == ends


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(9000, 1, 1)), st.integers(0, 120))
def test_adding_months_lands_in_the_right_month_never_past_the_day(
    day: dt.date, months: int
) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later.day == day.day or (later + dt.timedelta(days=1)).day == 1  # else the month's end


RECOMMENDED = frozenset({"senior-hcsw-apprenticeship", "a-levels"})
STARTED = D(2025, 8, 31)  # the 6 months end on 28 February 2026


def listed(on: dt.date, *held: HeldQualification) -> QualificationGuidance | None:
    return qualification_guidance(
        started_in_post_on=STARTED, on=on, recommended=RECOMMENDED, held=held
    )


def guidance(on: dt.date, *held: HeldQualification) -> QualificationGuidance:
    found = listed(on, *held)
    assert found is not None, "expected the person on the list"
    return found


def leap(on: dt.date) -> QualificationGuidance:
    found = qualification_guidance(
        started_in_post_on=D(2027, 8, 31), on=on, recommended=RECOMMENDED, held=()
    )
    assert found is not None
    return found


def test_the_day_before_the_six_months_end_one_day_is_left() -> None:
    found = guidance(D(2026, 2, 27))
    assert (found.ends_on, found.passed, found.days_left) == (D(2026, 2, 28), False, 1)
    assert found.timing() == "1 day left of the 6 months"


def test_on_the_last_day_the_six_months_have_not_passed() -> None:
    found = guidance(D(2026, 2, 28))
    assert (found.passed, found.days_left, found.days_since_passed) == (False, 0, 0)
    assert found.timing() == "The 6 months end today"


def test_the_day_after_the_six_months_have_passed() -> None:
    found = guidance(D(2026, 3, 1))
    assert (found.passed, found.days_left, found.days_since_passed) == (True, 0, 1)
    assert found.timing() == "The 6 months passed 1 day ago"
    assert guidance(D(2026, 5, 30)).timing() == "The 6 months passed 91 days ago"


def test_a_leap_year_moves_the_last_day_to_the_29th() -> None:
    on_the_day, after = leap(D(2028, 2, 29)), leap(D(2028, 3, 1))
    assert (on_the_day.ends_on, on_the_day.passed, on_the_day.days_left) == (
        D(2028, 2, 29),
        False,
        0,
    )
    assert (after.passed, after.days_since_passed) == (True, 1)


@pytest.mark.parametrize("status", ["achieved", "in_progress"])
def test_someone_with_a_recommended_qualification_achieved_or_started_is_not_listed(
    status: str,
) -> None:
    held = HeldQualification("a-levels", "A levels", status)
    assert listed(D(2026, 6, 1), held) is None


def test_a_qualification_that_is_not_recommended_does_not_count() -> None:
    held = HeldQualification("gcse-9-4", "GCSEs", "achieved")
    other = HeldQualification(None, "A course typed in by hand", "achieved")
    found = guidance(D(2026, 6, 1), held, other)
    assert (found.support, found.qualification, found.planned_start_on) == (
        Support.NONE,
        None,
        None,
    )


def test_a_planned_start_is_shown_before_a_waiting_list() -> None:
    waiting = HeldQualification(
        "a-levels", "A levels", "waiting_list", planned_start_on=D(2026, 1, 5)
    )
    planned = HeldQualification(
        "senior-hcsw-apprenticeship", "Senior HCSW apprenticeship", "planned", D(2026, 4, 1)
    )
    found = guidance(D(2026, 3, 10), waiting, planned)
    assert (found.support, found.qualification, found.planned_start_on) == (
        Support.PLANNED,
        "Senior HCSW apprenticeship",
        D(2026, 4, 1),
    )
    assert found.passed  # guidance: shown with the date, not as a breach


def test_the_earliest_waiting_list_place_is_shown() -> None:
    later = HeldQualification("a-levels", "A levels", "waiting_list", D(2026, 9, 1))
    sooner = HeldQualification(
        "senior-hcsw-apprenticeship", "Senior HCSW apprenticeship", "waiting_list", D(2026, 4, 1)
    )
    undated = HeldQualification("a-levels", "A levels", "waiting_list", None)
    found = guidance(D(2026, 1, 10), later, undated, sooner)
    assert (found.support, found.planned_start_on) == (Support.WAITING_LIST, D(2026, 4, 1))


def test_a_job_role_that_recommends_nothing_lists_nobody() -> None:
    assert (
        qualification_guidance(
            started_in_post_on=STARTED, on=D(2027, 1, 1), recommended=(), held=()
        )
        is None
    )


def _pathway(level: int, *routes: list[str]) -> Pathway:
    return Pathway.model_validate(
        {
            "job_role": "scsw",
            "level": level,
            "entry_routes": [
                {"description": "A route.", "qualifications": codes} for codes in routes
            ],
            "source": {"key": "s1"},
        }
    )


LEVELS = {
    "gcse-9-4": (QualificationFramework.RQF, 2),
    "functional-skills-l2": (QualificationFramework.RQF, 2),
    "a-levels": (QualificationFramework.RQF, 3),
    "higher": (QualificationFramework.SCQF, 6),
    "senior-hcsw-apprenticeship": (QualificationFramework.RQF, 3),
    "hnc": (QualificationFramework.SCQF, 7),
    "hnd": (QualificationFramework.SCQF, 8),
    "diphe": (QualificationFramework.FHEQ, 5),
    "ma-apprenticeship": (QualificationFramework.RQF, 4),
    "bsc-radiography": (QualificationFramework.FHEQ, 6),
    "msc": (QualificationFramework.FHEQ, 7),
}


def test_recommended_qualifications_are_the_entry_routes_at_the_job_roles_level() -> None:
    scsw = _pathway(
        3,
        ["a-levels"],
        ["higher"],
        ["senior-hcsw-apprenticeship"],
        ["gcse-9-4", "functional-skills-l2"],
    )
    # GCSEs go alongside a level 3 route: on their own they are not the recommendation.
    assert recommended_qualifications(scsw, LEVELS) == {
        "a-levels",
        "higher",
        "senior-hcsw-apprenticeship",
    }
    ap = _pathway(
        5, ["hnd", "diphe", "hnc"], ["ma-apprenticeship"], ["a-levels", "gcse-9-4"], ["unknown"]
    )
    assert recommended_qualifications(ap, LEVELS) == {"hnd", "diphe", "hnc"}


@pytest.mark.parametrize(
    ("framework", "level", "role_level", "expected"),
    [
        (QualificationFramework.RQF, 2, 2, True),
        (QualificationFramework.RQF, 2, 3, False),
        (QualificationFramework.SCQF, 6, 3, True),  # Highers: RQF 3
        (QualificationFramework.SCQF, 7, 5, True),  # SCQF 7 and 8 share RQF 4 and 5
        (QualificationFramework.RQF, 4, 5, False),
        (QualificationFramework.FHEQ, 7, 5, True),  # beyond the table: numbers compared
        (QualificationFramework.SCQF, 4, 2, False),  # SCQF 4 is RQF 1
        (QualificationFramework.SCQF, 11, 7, True),
        (QualificationFramework.EQF, 7, 6, True),
        (QualificationFramework.EQF, 7, 7, False),
        (QualificationFramework.RQF, 1, 2, False),
    ],
)
def test_a_qualification_reaches_a_level_through_the_equivalence_table(
    framework: QualificationFramework, level: int, role_level: int, expected: bool
) -> None:
    assert reaches_level(framework, level, role_level) is expected


TODAY = D(2026, 6, 1)


def _signed_off(expires_on: dt.date | None, *suspended: Suspension) -> CompetencyHistory:
    return histories.history(
        histories.decision(observed=D(2025, 1, 1), expires=expires_on), suspensions=suspended
    )


@pytest.mark.parametrize(
    ("expires_on", "days", "expected"),
    [
        (TODAY, 60, Renewal.DUE),  # the expiry day itself is day 0
        (TODAY + dt.timedelta(days=60), 60, Renewal.DUE),
        (TODAY + dt.timedelta(days=61), 60, None),
        (TODAY + dt.timedelta(days=61), 90, Renewal.DUE),  # beyond the status's 60-day window
        (TODAY - dt.timedelta(days=1), 60, Renewal.EXPIRED),  # expired today
        (TODAY - dt.timedelta(days=60), 60, Renewal.EXPIRED),
        (TODAY - dt.timedelta(days=61), 60, None),
        (TODAY - dt.timedelta(days=1), 0, None),
        (TODAY, 0, Renewal.DUE),
        (None, 60, None),  # never expires
    ],
)
def test_due_within_or_expired_within_n_days(
    expires_on: dt.date | None, days: int, expected: Renewal | None
) -> None:
    state = status_on(_signed_off(expires_on), TODAY, with_since=False)
    assert renewal_within(state, TODAY, days) is expected


def test_a_suspended_sign_off_is_not_listed_as_due() -> None:
    history = _signed_off(
        TODAY + dt.timedelta(days=5), Suspension(decision_id=1, starts_on=D(2026, 5, 1))
    )
    assert renewal_within(status_on(history, TODAY), TODAY, 60) is None


def test_the_number_of_days_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        renewal_within(status_on(_signed_off(TODAY), TODAY), TODAY, -1)


@pytest.mark.parametrize(
    ("code", "status", "apprentice"),
    [
        ("ap-apprenticeship", "in_progress", True),
        ("ap-apprenticeship", "planned", False),
        ("ap-apprenticeship", "waiting_list", False),
        ("ap-apprenticeship", "achieved", False),  # finished: no longer an apprentice
        ("l5-diploma-ap", "in_progress", False),  # studying, but not an apprenticeship
        (None, "in_progress", False),  # typed in, not from the catalogue
    ],
)
def test_an_apprentice_is_studying_an_apprenticeship_standard(
    code: str | None, status: str, apprentice: bool
) -> None:
    held = [HeldQualification(code, "Anything", status)]
    assert studying_apprenticeship(held, {"ap-apprenticeship", "hcsw-apprenticeship"}) is apprentice
