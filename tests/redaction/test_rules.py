"""Finding and replacing the text to redact (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.redaction.rules import MARKER, describe, occurrences, redact, refusal

WORDS = st.text(alphabet="abcdefghij XYZ\n\t0123456", min_size=0, max_size=60)
TARGETS = st.text(alphabet="klmnopq 987", min_size=2, max_size=15).filter(
    lambda text: len(" ".join(text.split())) >= 2
)


@given(before=WORDS, target=TARGETS, after=WORDS)
def test_after_redaction_the_text_is_gone_and_the_rest_is_kept(
    before: str, target: str, after: str
) -> None:
    value = f"{before}{target}{after}{target.upper()}"
    result = redact(target, value)
    assert occurrences(target, result) == 0
    assert MARKER in result
    # What was around it is untouched (the surrounding alphabet cannot hold the target).
    assert result.startswith(before)


def test_case_and_the_spaces_between_words_do_not_hide_it() -> None:
    value = "Saw Mrs JANE\u00a0DOE in bay 4, then jane\n doe again."
    assert occurrences("Jane Doe", value) == 2
    assert redact("Jane Doe", value) == f"Saw Mrs {MARKER} in bay 4, then {MARKER} again."


def test_a_column_with_a_limit_never_overflows() -> None:
    value = "x" * 198 + "AB"
    result = redact("AB", value, limit=200)
    assert len(result) == 200
    assert "AB" not in result
    assert result.endswith("…")


@pytest.mark.parametrize(
    ("text", "reason", "field", "message"),
    [
        ("", "A reason", "text", "Enter the text to remove"),
        ("   ", "A reason", "text", "Enter the text to remove"),
        ("J", "A reason", "text", "Enter at least 2 characters"),
        ("x" * 501, "A reason", "text", "Enter at most 500 characters"),
        ("redact", "A reason", "text", f"not part of {MARKER}"),
        ("Jane Doe", " ", "reason", "Enter the reason for the redaction"),
        ("Jane Doe", "Removed jane  doe", "reason", "Do not repeat the text"),
    ],
)
def test_a_redaction_that_cannot_be_made_says_why(
    text: str, reason: str, field: str, message: str
) -> None:
    refused = refusal(text, reason)
    assert refused is not None
    assert refused.field == field
    assert message in refused.message


def test_a_good_redaction_is_not_refused() -> None:
    assert refusal("943 476 5919", "A patient's NHS number in a reflection") is None


def test_places_are_described_by_label_and_count_only() -> None:
    assert describe([("Version 1: text", 2), ("Version 2: title", 1), ("Nowhere", 0)]) == (
        "Version 1: text (2 times)",
        "Version 2: title (1 time)",
    )
