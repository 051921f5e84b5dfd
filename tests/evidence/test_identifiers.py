"""The patient identifier guard: NHS-number-shaped numbers are found, near misses are not."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from markupsafe import Markup

from portfolio.core.identifiers import (
    CONTEXT_WINDOW,
    Finding,
    GuardResult,
    Kind,
    check_fields,
    check_text,
    find_patient_identifiers,
    format_nhs_number,
    highlight,
    nhs_number_is_valid,
)

WORKED_EXAMPLE = "9434765919"  # domain-notes §6: weighted sum 299, 299 mod 11 = 2, 11 - 2 = 9
DISPLAY_EXAMPLE = "9876544321"  # the NHS's format example; its check digit would be 2


def reference_check_digit(nine: str) -> int:
    """Modulus 11 as the NHS describes it, written out independently of the module.

    10 means no check digit exists: numbers starting with those nine digits are never issued.
    """
    remainder = sum(int(digit) * (10 - position) for position, digit in enumerate(nine)) % 11
    return (11 - remainder) % 11


def kinds(text: str) -> list[tuple[str, Kind]]:
    return [(finding.number, finding.kind) for finding in find_patient_identifiers(text)]


# Strategies -----------------------------------------------------------------------------

nine_digits = st.text("0123456789", min_size=9, max_size=9)
valid_numbers = nine_digits.filter(lambda nine: reference_check_digit(nine) != 10).map(
    lambda nine: nine + str(reference_check_digit(nine))
)


@st.composite
def wrong_check_digit_numbers(draw: st.DrawFn) -> str:
    nine = draw(nine_digits)
    wrong = [d for d in "0123456789" if d != str(reference_check_digit(nine))]
    return nine + draw(st.sampled_from(wrong))


@st.composite
def never_issued_starts(draw: st.DrawFn) -> str:
    """Nine digits whose check digit would be 10: the ninth is chosen to make it so."""
    eight = draw(st.text("0123456789", min_size=8, max_size=8))
    partial = sum(int(digit) * (10 - position) for position, digit in enumerate(eight))
    ninth = (1 - partial) * 6 % 11  # weight 2 times 6 is 1 mod 11; remainder 1 gives 10
    assume(ninth < 10)
    return eight + str(ninth)


# Any text without digits of any script, so the number under test stands alone.
filler = st.text(st.characters(exclude_categories=["Nd"]), max_size=60)

# Broader than the guard's own list (no word boundaries) so that filler chosen to contain no
# context word really contains none.
_ANY_CONTEXT = re.compile(r"nhs|chi|h\s*&\s*c|mrn|hosp|pat|pt|d\W*o\W*b|birth", re.IGNORECASE)
context_free_filler = filler.filter(lambda text: _ANY_CONTEXT.search(text) is None)

separators = st.sampled_from([" ", "-"])
context_phrases = st.sampled_from(
    [
        "NHS",
        "NHS no",
        "nhs number",
        "CHI",
        "H&C",
        "MRN",
        "hospital number",
        "hosp no",
        "patient",
        "Pt",
        "DOB",
        "date of birth",
    ]
)
gaps = st.text(" :.,;#()/", max_size=CONTEXT_WINDOW - 10)


def three_three_four(number: str, first: str = " ", second: str = " ") -> str:
    return f"{number[:3]}{first}{number[3:6]}{second}{number[6:]}"


# The check ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        (WORKED_EXAMPLE, True),
        (DISPLAY_EXAMPLE, False),
        ("9876544322", True),  # the display example with its real check digit
        ("9990000018", True),
        ("4025120003", True),
        ("4025120070", True),  # 11 - remainder is 11: the check digit is 0
        ("9434765918", False),
        ("943 476 5919", False),  # separators belong to the finder, not the check
        ("943476591", False),
        ("94347659190", False),
        ("943476591a", False),
        ("", False),
        ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", False),  # full-width
    ],
)
def test_the_modulus_11_check(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


@pytest.mark.parametrize("start", ["123456789", "100000001", "100000015", "100000029"])
def test_a_check_digit_of_10_is_never_valid(start: str) -> None:
    assert reference_check_digit(start) == 10
    assert not any(nhs_number_is_valid(start + last) for last in "0123456789")


@given(never_issued_starts())
def test_no_number_is_valid_when_its_check_digit_would_be_10(start: str) -> None:
    assert not any(nhs_number_is_valid(start + last) for last in "0123456789")


@given(valid_numbers, wrong_check_digit_numbers())
def test_the_check_agrees_with_the_published_algorithm(valid: str, wrong: str) -> None:
    assert nhs_number_is_valid(valid)
    assert not nhs_number_is_valid(wrong)


# Finding numbers in text ----------------------------------------------------------------


@given(valid_numbers, separators, separators, filler, filler)
def test_a_valid_number_written_3_3_4_is_refused(
    number: str, first: str, second: str, before: str, after: str
) -> None:
    written = three_three_four(number, first, second)
    text = before + written + after

    assert find_patient_identifiers(text) == [
        Finding(len(before), len(before) + len(written), number, Kind.REFUSE)
    ]
    assert check_text(text, confirmed=[number]).refused  # confirming does not clear it


@given(valid_numbers, context_phrases, gaps, st.booleans(), filler, filler)
def test_a_valid_number_beside_a_context_word_is_refused(
    number: str, phrase: str, gap: str, phrase_first: bool, before: str, after: str
) -> None:
    if phrase_first:
        text = f"{before} {phrase}{gap}{number}{after}"
        start = len(before) + 1 + len(phrase) + len(gap)
    else:
        text = f"{before}{number}{gap}{phrase} {after}"
        start = len(before)

    assert find_patient_identifiers(text) == [Finding(start, start + 10, number, Kind.REFUSE)]


@given(valid_numbers, context_free_filler, context_free_filler)
def test_a_valid_number_without_context_needs_confirming(
    number: str, before: str, after: str
) -> None:
    text = before + number + after

    assert find_patient_identifiers(text) == [
        Finding(len(before), len(before) + 10, number, Kind.CONFIRM)
    ]
    assert not check_text(text).ok
    assert check_text(text, confirmed=[number]).ok


@given(wrong_check_digit_numbers(), separators, separators, filler, filler)
def test_a_number_failing_the_check_is_never_found(
    number: str, first: str, second: str, before: str, after: str
) -> None:
    for written in (number, three_three_four(number, first, second)):
        for text in (before + written + after, f"{before} NHS number {written} patient {after}"):
            assert find_patient_identifiers(text) == []
            assert check_text(text).ok


# Phone numbers use Ofcom's drama ranges; each was chosen so that the ten digits after its
# leading 0 (or country code) pass the check, so only the digit-run rule keeps them out.
@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("Ref 943476591 only nine digits", None),
        ("Ref 19434765919 eleven digits", "9434765919"),
        ("Ref 94347659190 eleven digits", "9434765919"),
        ("Call 07700900000 for the rota", "7700900000"),
        ("Call 07700 900000 for the rota", "7700900000"),
        ("Call 01632 960001 for the rota", "1632960001"),
        ("Call 01632 960 001 for the rota", "1632960001"),
        ("Call 0161 496 0003 for the rota", "1614960003"),
        ("Call 0161-496-0003 for the rota", "1614960003"),
        ("Call 020 7946 0005 for the rota", "2079460005"),
        ("Call 0113 496 0018 for the rota", "1134960018"),
        ("Call +44 161 496 0003 for the rota", "1614960003"),
        ("Call +44 (0)161 496 0003 for the rota", "1614960003"),
        ("Call +44 1614960003 for the rota", "1614960003"),
        ("Call +441614960003 for the rota", "1614960003"),
        ("Card 129434765919 twelve digits", "9434765919"),
        ("Card 943476591912 twelve digits", "9434765919"),
        ("Patient? No: NHS order 12943476591934", "9434765919"),
    ],
)
def test_near_misses_are_not_found(text: str, inner: str | None) -> None:
    if inner is not None:
        assert nhs_number_is_valid(inner), "the test needs a valid number inside the near miss"
    assert find_patient_identifiers(text) == []
    assert check_text(text).ok


# Numbers from 999 000 0000 are reserved for test data, but they are still NHS-number-shaped
# and the guard cannot know a pasted one is harmless: treat them like any other.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Demo record 999 000 0018", [("9990000018", Kind.REFUSE)]),
        ("Demo record 999-000-0026", [("9990000026", Kind.REFUSE)]),
        ("Demo record 9990000034", [("9990000034", Kind.CONFIRM)]),
    ],
)
def test_numbers_in_the_test_range_are_found_too(
    text: str, expected: list[tuple[str, Kind]]
) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NHS 9434765919",
        "nhs no. 9434765919",
        "NHS9434765919",
        "NHS number: 9434765919",
        "9434765919 (NHS)",
        "CHI 9434765919",
        "H&C 9434765919",
        "H & C number 9434765919",
        "MRN 9434765919",
        "Hospital number 9434765919",
        "hosp. no 9434765919",
        "Patient 9434765919",
        "the patient's number was 9434765919",
        "Outpatient 9434765919",
        "pt 9434765919",
        "Pt. ref 9434765919",
        "DOB and 9434765919",
        "D.O.B. 9434765919",
        "9434765919, date of birth unknown",
        "Date  of\nbirth 9434765919",
    ],
)
def test_context_words_make_a_number_refused(text: str) -> None:
    assert kinds(text) == [(WORKED_EXAMPLE, Kind.REFUSE)]


@pytest.mark.parametrize(
    "text",
    [
        "Chip order 9434765919",
        "Transcript 9434765919",
        "Dobson ward stock 9434765919",
        "Hospice delivery 9434765919",
        "Adopted order 9434765919",
    ],
)
def test_context_words_inside_other_words_do_not_count(text: str) -> None:
    assert kinds(text) == [(WORKED_EXAMPLE, Kind.CONFIRM)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("NHS" + " " * CONTEXT_WINDOW + "9434765919", Kind.REFUSE),
        ("NHS" + " " * (CONTEXT_WINDOW + 1) + "9434765919", Kind.CONFIRM),
        ("9434765919" + " " * CONTEXT_WINDOW + "NHS", Kind.REFUSE),
        ("9434765919" + " " * (CONTEXT_WINDOW + 1) + "NHS", Kind.CONFIRM),
    ],
)
def test_context_counts_within_the_window_only(text: str, kind: Kind) -> None:
    assert CONTEXT_WINDOW == 40
    assert kinds(text) == [(WORKED_EXAMPLE, kind)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A valid CHI number (15 March 1985) beside "CHI" is refused like any other...
        ("CHI 1503850005", [("1503850005", Kind.REFUSE)]),
        # ...but a number is not refused merely for starting with a date.
        ("Batch 1503850005 of film", [("1503850005", Kind.CONFIRM)]),
        ("Lot 0101900007", [("0101900007", Kind.CONFIRM)]),
        ("H&C no 3200000015", [("3200000015", Kind.REFUSE)]),
    ],
)
def test_chi_and_h_and_c_numbers(text: str, expected: list[tuple[str, Kind]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("943 476 5919", Kind.REFUSE),
        ("943-476-5919", Kind.REFUSE),
        ("943 476-5919", Kind.REFUSE),
        ("943\u00a0476\u00a05919", Kind.REFUSE),  # no-break spaces, as pasted from a web page
        ("943\u202f476\u202f5919", Kind.REFUSE),
        ("943\u2009476\u20095919", Kind.REFUSE),
        ("943\u2010476\u20115919", Kind.REFUSE),
        ("943\u2013476\u20135919", Kind.REFUSE),
        ("943 4765919", Kind.CONFIRM),  # half-spaced: found, but not the NHS display form
        ("943476-5919", Kind.CONFIRM),
        ("\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19", Kind.CONFIRM),
        ("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669", Kind.CONFIRM),
    ],
)
def test_how_a_number_is_written(written: str, kind: Kind) -> None:
    text = f"Ref: {written}."
    assert find_patient_identifiers(text) == [Finding(5, 5 + len(written), WORKED_EXAMPLE, kind)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("NHS: 943 476 5919.", "943 476 5919"),
        ("Order 9434765919, delivered", "9434765919"),
        ("café → 943-476-5919 ☕", "943-476-5919"),
        ("9434765919", "9434765919"),
        ("line one\nline two 943 476 5919", "943 476 5919"),
    ],
)
def test_offsets_cover_the_number_as_written(text: str, written: str) -> None:
    [finding] = find_patient_identifiers(text)
    assert (finding.start, finding.end) == (text.index(written), text.index(written) + len(written))
    assert text[finding.start : finding.end] == written


def test_every_number_is_found_in_order() -> None:
    padding = " " * (CONTEXT_WINDOW + 1)
    text = f"Order 4025120003,{padding}NHS 943 476 5919, 9990000018{padding}and 1503850005."
    assert kinds(text) == [
        ("4025120003", Kind.CONFIRM),
        ("9434765919", Kind.REFUSE),
        ("9990000018", Kind.REFUSE),  # within 40 characters of "NHS"
        ("1503850005", Kind.CONFIRM),
    ]


def test_a_number_refused_once_is_refused_wherever_it_appears() -> None:
    far_away = " and more words" * 5
    text = f"NHS 943 476 5919.{far_away} Later 9434765919 again."
    assert kinds(text) == [(WORKED_EXAMPLE, Kind.REFUSE), (WORKED_EXAMPLE, Kind.REFUSE)]


# Deciding whether text may be saved -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "confirmed", "refused", "to_confirm"),
    [
        ("Nothing to see here", [], [], []),
        ("Order 4025120003", [], [], ["4025120003"]),
        ("Order 4025120003", ["4025120003"], [], []),
        ("Order 4025120003", ["402 512 0003"], [], []),  # as the page shows it
        ("Order 4025120003", ["9434765919"], [], ["4025120003"]),
        ("NHS 9434765919", ["9434765919"], ["9434765919"], []),
        ("Ref 943 476 5919", ["9434765919"], ["9434765919"], []),
        ("Order 4025120003 and 9990000034", ["4025120003"], [], ["9990000034"]),
    ],
)
def test_check_text_with_confirmation(
    text: str, confirmed: list[str], refused: list[str], to_confirm: list[str]
) -> None:
    result = check_text(text, confirmed)
    assert [finding.number for finding in result.refused] == refused
    assert [finding.number for finding in result.to_confirm] == to_confirm
    assert result.ok is (not refused and not to_confirm)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("All fine", ""),
        (
            "NHS 9434765919",
            "This looks like an NHS number (943 476 5919). "
            "Remove it: portfolios must not contain patient identifiers.",
        ),
        (
            "Order 9434765919, and again 9434765919",
            "943 476 5919 could be an NHS number. "
            "If it is not a patient identifier, tick to confirm.",
        ),
        (
            "999 000 0018, 999 000 0026 and 999 000 0034",
            "These look like NHS numbers (999 000 0018, 999 000 0026 and 999 000 0034). "
            "Remove them: portfolios must not contain patient identifiers.",
        ),
        (
            "Order 4025120003 or 9990000034",
            "402 512 0003 and 999 000 0034 could be NHS numbers. "
            "If they are not patient identifiers, tick to confirm.",
        ),
        (
            "Patient 943 476 5919." + " " * 50 + "Order 4025120003",
            "This looks like an NHS number (943 476 5919). "
            "Remove it: portfolios must not contain patient identifiers. "
            "402 512 0003 could be an NHS number. "
            "If it is not a patient identifier, tick to confirm.",
        ),
    ],
)
def test_the_message_explains_why(text: str, message: str) -> None:
    assert check_text(text).message() == message


def test_the_result_lists_what_to_highlight_and_confirm() -> None:
    padding = " " * (CONTEXT_WINDOW + 1)
    text = f"Order 4025120003;{padding}NHS 9434765919;{padding}4025120003 again; 9990000034"
    result = check_text(text)
    assert [f.start for f in result.findings] == sorted(f.start for f in result.findings)
    assert [f.number for f in result.findings] == [
        "4025120003",
        "9434765919",
        "4025120003",
        "9990000034",
    ]
    assert result.numbers_to_confirm == ("4025120003", "9990000034")
    assert check_text(text, ["4025120003", "9990000034"]).findings == result.refused


def test_check_fields_reports_only_the_fields_with_problems() -> None:
    results = check_fields(
        {
            "title": "Cannulation, ward 4",
            "body": "Patient 943 476 5919 was cannulated.",
            "setting": "Order 4025120003",
            "reasons": "Order 9990000034",
        },
        confirmed=["9990000034"],
    )
    assert set(results) == {"body", "setting"}
    assert [f.number for f in results["body"].refused] == [WORKED_EXAMPLE]
    assert [f.number for f in results["setting"].to_confirm] == ["4025120003"]
    assert all(isinstance(result, GuardResult) for result in results.values())


def test_a_number_refused_in_one_field_cannot_be_confirmed_in_another() -> None:
    fields = {"title": "Order 9434765919", "body": "NHS no 9434765919"}
    results = check_fields(fields, confirmed=[WORKED_EXAMPLE])
    assert set(results) == {"title", "body"}
    assert results["title"].refused == (Finding(6, 16, WORKED_EXAMPLE, Kind.REFUSE),)
    assert check_fields({"title": "Order 9434765919"}, confirmed=[WORKED_EXAMPLE]) == {}


# Showing the problem --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nothing here", "Nothing here"),
        (
            "NHS 943 476 5919.",
            'NHS <mark class="app-identifier">943 476 5919</mark>.',
        ),
        (
            "<script>alert(1)</script> & 9434765919 <b>",
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
            '<mark class="app-identifier">9434765919</mark> &lt;b&gt;',
        ),
        (
            '"x" 4025120003\'9434765919',
            "&#34;x&#34; "
            '<mark class="app-identifier">4025120003</mark>&#39;'
            '<mark class="app-identifier">9434765919</mark>',
        ),
    ],
)
def test_highlight_escapes_the_text_and_marks_each_number(text: str, expected: str) -> None:
    marked = highlight(text, find_patient_identifiers(text))
    assert isinstance(marked, Markup)
    assert str(marked) == expected


@given(st.lists(st.one_of(filler, valid_numbers, st.just("<&>\"'"))).map("".join))
def test_highlight_keeps_the_text_and_adds_only_marks(text: str) -> None:
    findings = find_patient_identifiers(text)
    marked = str(highlight(text, findings))
    unmarked = re.sub(r'<mark class="app-identifier">|</mark>', "", marked)
    assert "<" not in unmarked
    assert html.unescape(unmarked) == text
    assert marked.count('<mark class="app-identifier">') == len(findings)


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("9434765919", "943 476 5919"),
        ("943-476-5919", "943 476 5919"),
        ("0101900007", "010 190 0007"),
    ],
)
def test_format_nhs_number(digits: str, shown: str) -> None:
    assert format_nhs_number(digits) == shown


@pytest.mark.parametrize("digits", ["943476591", "94347659190", "943476591a", ""])
def test_format_nhs_number_needs_ten_digits(digits: str) -> None:
    with pytest.raises(ValueError, match="10 digits"):
        format_nhs_number(digits)


@pytest.mark.parametrize(
    "written",
    ["943\t476\t5919", "943\n476\n5919", "943  476  5919", "943.476.5919", "943/476/5919"],
)
def test_other_separators_do_not_hide_a_number_beside_nhs(written: str) -> None:
    # Tabs and line breaks come from PDF tables; dots, slashes and double spaces from typing.
    [finding] = find_patient_identifiers(f"NHS no {written}")
    assert finding.number == "9434765919"
    assert finding.kind is Kind.REFUSE
