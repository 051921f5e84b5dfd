"""CSV files that open cleanly in Excel and cannot run anything there. Pure.

- UTF-8 with a byte order mark, so Excel reads names such as "Siân" correctly;
- dates as YYYY-MM-DD, which every spreadsheet sorts and recognises;
- a header row; rows end with CRLF (RFC 4180), fields quoted only where needed;
- every text cell that starts with a character a spreadsheet reads as the start of a formula
  is prefixed with a single quote, so it shows as text (OWASP, "CSV Injection"; ASVS 5.0
  requirement 1.2.10 adds the null character). Names are free text: a worker called
  `=HYPERLINK("http://…")` must stay a name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

# A cell starting with one of these is read as a formula (or, for tab and carriage return,
# as whitespace before one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"

Value = str | int | dt.date | None


def neutralise(text: str) -> str:
    """The text as a spreadsheet must show it: prefixed with ' when it could start a formula,
    otherwise unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Value) -> str:
    """One value as CSV text: dates in ISO form, numbers as digits, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int: say it in words
        return "Yes" if value else "No"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Value]]) -> bytes:
    """The whole file: BOM, header row, then the rows."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell(item) for item in header])
    for row in rows:
        writer.writerow([cell(item) for item in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def filename(kind: str, on: dt.date) -> str:
    """`competency-matrix-2026-03-05.csv`: ASCII only, so every browser keeps it."""
    return f"{kind}-{on.isoformat()}.csv"
