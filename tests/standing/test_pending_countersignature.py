"""`pending_countersignature`: a reassessment recorded but not yet countersigned, newer than
the sign-off in force, shows as a warning while the older sign-off still counts; nothing else
does (issue 18: the shift lead sees that a renewal is on its way)."""

from __future__ import annotations

import datetime as dt

from portfolio.standing.competence import pending_countersignature
from portfolio.standing.status import status_on
from tests.factories.histories import history, not_yet, sign_off

ON = dt.date(2026, 6, 1)
FIRST = sign_off(1, observed=dt.date(2025, 6, 1), expires=dt.date(2026, 12, 31))


def _pending(*decisions: object, on: dt.date = ON) -> bool:
    record = history(*decisions)  # type: ignore[arg-type]
    return pending_countersignature(record, status_on(record, on, with_since=False), on)


def test_a_newer_sign_off_awaiting_its_countersignature_is_pending() -> None:
    renewal = sign_off(2, observed=dt.date(2026, 5, 20), countersignature_required=True)
    assert _pending(FIRST, renewal)


def test_nothing_is_pending_without_a_newer_sign_off_that_still_needs_countersigning() -> None:
    assert not _pending(FIRST)
    countersigned = sign_off(
        2,
        observed=dt.date(2026, 5, 20),
        countersignature_required=True,
        countersigned=dt.date(2026, 5, 25),
    )
    assert not _pending(FIRST, countersigned)
    plain = sign_off(2, observed=dt.date(2026, 5, 20))
    assert not _pending(FIRST, plain)
    assert not _pending(FIRST, not_yet(3, observed=dt.date(2026, 5, 20)))


def test_a_sign_off_recorded_after_the_date_or_observed_before_the_one_in_force_is_not() -> None:
    later = sign_off(
        2,
        observed=dt.date(2026, 5, 20),
        recorded=dt.date(2026, 6, 2),
        countersignature_required=True,
    )
    assert not _pending(FIRST, later)
    older = sign_off(2, observed=dt.date(2025, 5, 1), countersignature_required=True)
    assert not _pending(FIRST, older)


def test_one_awaiting_acceptance_from_a_previous_employer_is_not_a_countersignature() -> None:
    brought_in = sign_off(
        2,
        observed=dt.date(2026, 5, 20),
        countersignature_required=True,
        acceptance_required=True,
        accepted=None,
    )
    assert not _pending(FIRST, brought_in)


def test_a_first_sign_off_awaiting_countersignature_is_the_status_itself_not_a_warning() -> None:
    waiting = sign_off(2, observed=dt.date(2026, 5, 20), countersignature_required=True)
    assert not _pending(waiting)  # the status says "awaiting countersignature" already


def test_the_edges_recorded_that_day_observed_the_same_day_accepted_later() -> None:
    today_renewal = sign_off(
        2, observed=dt.date(2026, 5, 20), recorded=ON, countersignature_required=True
    )
    assert _pending(FIRST, today_renewal)  # recorded on the date asked: already waiting
    same_day = sign_off(2, observed=FIRST.observed_on, countersignature_required=True)
    assert _pending(FIRST, same_day)  # observed the same day as the one in force
    accepted_later = sign_off(
        2,
        observed=dt.date(2026, 5, 20),
        countersignature_required=True,
        acceptance_required=True,
        accepted=dt.date(2026, 6, 15),
    )
    assert not _pending(FIRST, accepted_later)  # still awaiting acceptance on the date
