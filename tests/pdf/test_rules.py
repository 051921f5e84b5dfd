"""What a portfolio says of each sign-off, and what the public verify page may say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.pdf import rules
from portfolio.pdf.rules import (
    CURRENT,
    appendix_letter,
    is_current,
    since_export,
    standing,
)
from portfolio.standing.answer import Shown
from portfolio.standing.status import Status

ON = dt.date(2026, 3, 3)


def _standing(**changes: Any) -> str:
    facts: dict[str, Any] = {
        "on": ON,
        "expires_on": dt.date(2027, 1, 1),
        "countersignature_required": False,
        "countersigned_on": None,
        "suspended_since": None,
        "revoked_on": None,
        "renewed_on": None,
    }
    return standing(**(facts | changes))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "In force"),
        ({"expires_on": None}, "In force"),
        ({"expires_on": ON}, "In force"),  # valid through its expiry day
        ({"expires_on": ON - dt.timedelta(days=1)}, "Expired (valid until 2 March 2026)"),
        (
            {"renewed_on": dt.date(2026, 2, 1)},
            "Renewed by the sign-off observed on 1 February 2026",
        ),
        (
            {"countersignature_required": True},
            "Awaiting a practice educator's countersignature: it does not count yet",
        ),
        (
            {"countersignature_required": True, "countersigned_on": ON + dt.timedelta(days=1)},
            "Awaiting a practice educator's countersignature: it does not count yet",
        ),
        ({"countersignature_required": True, "countersigned_on": ON}, "In force"),
        ({"suspended_since": dt.date(2026, 3, 1)}, "Suspended since 1 March 2026"),
        ({"revoked_on": dt.date(2026, 3, 2)}, "Revoked on 2 March 2026"),
        ({"revoked_on": ON + dt.timedelta(days=1)}, "In force"),  # not yet on the day
        # The first that applies wins: revoked, suspended, countersignature, expired, renewed.
        (
            {"revoked_on": ON, "suspended_since": ON, "expires_on": dt.date(2020, 1, 1)},
            "Revoked on 3 March 2026",
        ),
        (
            {"suspended_since": ON, "expires_on": dt.date(2020, 1, 1), "renewed_on": ON},
            "Suspended since 3 March 2026",
        ),
        (
            {"expires_on": dt.date(2020, 1, 1), "renewed_on": ON},
            "Expired (valid until 1 January 2020)",
        ),
    ],
)
def test_a_sign_offs_standing_on_the_day_printed(changes: dict[str, Any], expected: str) -> None:
    assert _standing(**changes) == expected


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Status.COMPETENT, CURRENT),
        (Status.DUE_FOR_REASSESSMENT, CURRENT),  # still valid until it expires
        (Status.EXPIRED, "Expired since the export"),
        (Status.SUSPENDED, "Suspended since the export"),
        (Status.REVOKED, "Revoked since the export"),
        (Status.AWAITING_COUNTERSIGNATURE, "No longer current"),
        (Status.NOT_STARTED, "No longer current"),
    ],
)
def test_the_verify_page_says_only_whether_a_sign_off_still_stands(
    status: Status, words: str
) -> None:
    assert since_export(status) == words


def test_appendices_are_lettered_like_spreadsheet_columns() -> None:
    assert [appendix_letter(index) for index in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


@given(st.integers(min_value=0, max_value=20_000), st.integers(min_value=0, max_value=20_000))
def test_appendix_letters_are_distinct_and_keep_their_order(first: int, second: int) -> None:
    a, b = appendix_letter(first), appendix_letter(second)
    assert (a == b) == (first == second)
    assert ((len(a), a) < (len(b), b)) == (first < second)


def test_a_typed_code_is_read_in_any_case_with_any_spaces_or_hyphens() -> None:
    assert rules.normalise_code(" abcd-2345 efgh\u20136789 ") == "ABCD2345EFGH6789"
    code = "ABCD2345EFGH6789JKMNPQRSTUVW"
    assert rules.group_code(code) == "ABCD-2345-EFGH-6789-JKMN-PQRS-TUVW"
    assert rules.group_code("Zq-7xKp2-Lm9_Wv3-Rt8Ny4") == "Zq-7xKp2-Lm9_Wv3-Rt8Ny4"  # older code
    assert not set(rules.CODE_ALPHABET) & set("0O1IL")


@pytest.mark.parametrize("status", [Status.COMPETENT, Status.DUE_FOR_REASSESSMENT])
def test_a_lapsed_prerequisite_is_not_current_on_the_verify_page_in_every_views_words(
    status: Status,
) -> None:
    lapsed = Shown(
        "competent_prerequisite_lapsed",
        "Competent, prerequisite lapsed",
        "Basic life support (CORE-BLS) expired on 3 March 2027",
        lapsed=True,
    )
    words = since_export(status, lapsed)
    assert words == (
        "Not current: competent, prerequisite lapsed (Basic life support (CORE-BLS) expired on "
        "3 March 2027)"
    )
    assert not is_current(words)


@pytest.mark.parametrize("status", [Status.COMPETENT, Status.DUE_FOR_REASSESSMENT])
def test_a_missing_entitlement_leaves_the_sign_off_current_and_says_so(status: Status) -> None:
    missing = Shown(
        "competent_not_entitled",
        "Competent, not entitled",
        "No IR(ME)R operator entitlement for exposure (general radiography: chest)",
        unentitled=True,
    )
    words = since_export(status, missing)
    assert words == (
        "Still current, not entitled today (No IR(ME)R operator entitlement for exposure "
        "(general radiography: chest))"
    )
    assert is_current(words)
    assert is_current(since_export(status))
    assert since_export(status) == CURRENT
