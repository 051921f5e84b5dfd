"""Reading a staff record extract saved as CSV (pure).

What is accepted, and why:

- UTF-8, with or without the byte order mark Excel's "CSV UTF-8" writes. Anything else
  (an Excel workbook, Windows-1252 text, a binary file) is refused with how to save it.
- A header row naming the columns, in any order and case (`COLUMNS`; a few staff-record
  spellings are accepted too). Columns we do not use are listed and ignored.
- One person a line. Lines are numbered as in the file (the header is line 1), which is the
  row number Excel shows; blank lines are skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from portfolio.core.errors import FieldError


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    required: bool
    example: str


COLUMNS = (
    Column("name", "Name", True, "Jordan Lee"),
    Column("email", "Email", True, "jordan.lee@nhs.net"),
    Column("employee_number", "Employee number", False, "12345678"),
    Column("job_role", "Job role", True, "Clinical support worker"),
    Column("band", "Band", True, "2"),
    Column("department", "Department", True, "MRI"),
    Column("post", "Post", False, "MRI senior CSW"),
    Column("start_date", "Start date", True, "2025-09-01"),
    Column("supervisor", "Supervisor", False, "sam.okafor@nhs.net"),
)
HEADINGS = {column.key: column.heading for column in COLUMNS}

# Other names a staff record extract may give the same columns.
_ALIASES = {
    "full name": "name",
    "email address": "email",
    "work email": "email",
    "assignment number": "employee_number",
    "employee no": "employee_number",
    "staff number": "employee_number",
    "afc band": "band",
    "agenda for change band": "band",
    "pay band": "band",
    "start date in post": "start_date",
    "date started in post": "start_date",
    "started in post": "start_date",
    "supervisor email": "supervisor",
}
_KEYS = {
    **{column.heading.lower(): column.key for column in COLUMNS},
    **{column.key.replace("_", " "): column.key for column in COLUMNS},
    **_ALIASES,
}
MAX_LINES = 5000


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, at a line and a column ("File" for the whole file)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.column}: {self.message}"


@dataclass(frozen=True)
class Line:
    number: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class StaffFile:
    lines: list[Line] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class UnreadableFileError(FieldError):
    """The upload is not a CSV file we can read at all: nothing to preview."""

    def __init__(self, message: str) -> None:
        super().__init__("file", message)


def _column_key(heading: str) -> str | None:
    words = " ".join(heading.replace("_", " ").replace("-", " ").lower().split())
    return _KEYS.get(words)


def decode(content: bytes, max_bytes: int) -> str:
    """The file's text, or UnreadableFileError saying what to do instead."""
    if not content.strip():
        raise UnreadableFileError("The file is empty")
    if len(content) > max_bytes:
        raise UnreadableFileError(
            f"The file must be smaller than {max_bytes // 1024} KB: split it into several files"
        )
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise UnreadableFileError(
            "The file is an Excel workbook, not a CSV file: in Excel choose File, Save As, "
            "CSV UTF-8 (Comma delimited)"
        )
    if b"\x00" in content:
        raise UnreadableFileError("The file is not a CSV text file")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            "The file is not saved as UTF-8: in Excel choose File, Save As, CSV UTF-8 "
            "(Comma delimited)"
        ) from error


def read_staff_file(content: bytes, max_bytes: int) -> StaffFile:
    """Every line of the file as text by column, and every problem with the file's shape.
    Raises UnreadableFileError when there is nothing to read."""
    reader = csv.reader(io.StringIO(decode(content, max_bytes), newline=""), strict=True)
    problems: list[Problem] = []
    try:
        header = next(reader, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(reader, None)
    except csv.Error as error:
        raise UnreadableFileError(f"The header row cannot be read: {error}") from error
    if header is None:
        raise UnreadableFileError("The file is empty")
    header_line = reader.line_num
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        raise UnreadableFileError(
            "Separate the columns with commas: this file uses semicolons or tabs"
        )
    keys: list[str | None] = []
    ignored: list[str] = []
    for heading in header:
        key = _column_key(heading)
        if key is not None and key in keys:
            problems.append(
                Problem(header_line, heading.strip(), "This column appears more than once")
            )
            key = None
        elif key is None and heading.strip():
            ignored.append(heading.strip())
        keys.append(key)
    for column in COLUMNS:
        if column.required and column.key not in keys:
            problems.append(Problem(header_line, column.heading, "The column is missing"))

    lines: list[Line] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            number, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(lines) >= MAX_LINES:
                problems.append(
                    Problem(number, "File", f"Import at most {MAX_LINES} people from one file")
                )
                break
            extra = [cell for cell in cells[len(keys) :] if cell.strip()]
            if extra:
                problems.append(
                    Problem(number, "File", "This line has more cells than the header row")
                )
            values = {
                key: cell.strip() for key, cell in zip(keys, cells, strict=False) if key is not None
            }
            lines.append(Line(number, values))
    except csv.Error as error:
        problems.append(Problem(start, "File", f"This line cannot be read: {error}"))
    if not lines and not problems:
        problems.append(Problem(header_line, "File", "The file has a header row but no people"))
    return StaffFile(lines=lines, ignored_columns=ignored, problems=problems)


def template_csv() -> str:
    """The header row, for an administrator to fill in (with a BOM, so Excel reads UTF-8)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([column.heading for column in COLUMNS])
    return "\ufeff" + buffer.getvalue()
