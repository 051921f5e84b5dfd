"""What a cohort export says and how its files are named: pure.

The ZIP holds one PDF per portfolio prepared, numbered in the order of the index (by name,
so two people of one name keep separate files), and `index.csv`: one row per person chosen,
saying which file is theirs or why there is none, and each print's verification address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from portfolio.core.roles import JobRole
from portfolio.core.sandbox import Stop
from portfolio.core.spreadsheet import Value
from portfolio.pdf.rules import filename as pdf_filename
from portfolio.pdf.rules import slug

INDEX = "index.csv"
INDEX_HEADER = (
    "File",
    "Name",
    "Job role",
    "Department",
    "Post",
    "Included",
    "Why not included",
    "Pages",
    "Verification address",
    "SHA-256",
)


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: int
    ready: bool  # the ZIP is built

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        """Whole per cent of the portfolios finished; 100 only once the ZIP is built too, so
        the bar never stands full while the download is missing."""
        if self.ready:
            return 100
        if self.total == 0:
            return 99
        return min(99, self.finished * 100 // self.total)

    @property
    def summary(self) -> str:
        """'12 of 50 portfolios prepared', with the ones that could not be."""
        noun = "portfolio" if self.total == 1 else "portfolios"
        text = f"{self.done} of {self.total} {noun} prepared"
        if self.failed:
            text += f", {self.failed} could not be"
        return text

    @property
    def stage(self) -> str:
        if self.ready:
            return "Your ZIP file is ready to download"
        if self.finished == self.total:
            return "Putting the ZIP file together"
        return "Preparing the portfolios"


def describe(*, department: str | None, post: str | None, job_role: JobRole | None) -> str:
    """The cohort in words, for the page, the index and the ZIP's name: 'Radiology
    department, assistant practitioners'."""
    parts = []
    if department:
        parts.append(f"{department} department")
    if post:
        parts.append(post)
    if job_role:
        parts.append(_plural(job_role.label))
    if not parts:
        return "Every support worker in your reach"
    return ", ".join(parts)


def _plural(label: str) -> str:
    words = label.split()
    words[-1] = words[-1] + ("es" if words[-1].endswith("ss") else "s")
    text = " ".join(words)
    return text[0].lower() + text[1:]


def pdf_name(position: int, name: str, on: dt.date) -> str:
    """`007-portfolio-sam-jones-2026-03-05.pdf`: numbered in the index's order."""
    return f"{position:03d}-{pdf_filename(name, on)}"


def zip_name(description: str, on: dt.date) -> str:
    """`portfolios-radiology-department-2026-03-05.zip`."""
    return f"portfolios-{slug(description, empty='cohort')[:80].strip('-')}-{on.isoformat()}.zip"


def expires_at(now: dt.datetime, hours: int) -> dt.datetime:
    return now + dt.timedelta(hours=hours)


@dataclass(frozen=True)
class IndexLine:
    """One person chosen, as the index lists them."""

    position: int
    name: str
    job_role: str
    department: str
    post: str | None
    on: dt.date
    done: bool
    failure: str | None
    pages: int | None
    verification_url: str | None
    sha256: str | None

    @property
    def file(self) -> str | None:
        return pdf_name(self.position, self.name, self.on) if self.done else None


def index_rows(lines: Sequence[IndexLine]) -> list[list[Value]]:
    return [
        [
            line.file,
            line.name,
            line.job_role,
            line.department,
            line.post,
            "Yes" if line.done else "No",
            None if line.done else (line.failure or "It could not be prepared"),
            line.pages,
            line.verification_url,
            line.sha256,
        ]
        for line in sorted(lines, key=lambda item: item.position)
    ]


# Why a portfolio is missing from the ZIP, as the index and the page say it.
_FAILURES = {
    Stop.TOO_LONG: "It took too long to prepare as a PDF",
    Stop.TOO_LARGE: "It was too large to prepare as a PDF",
    Stop.FAILED: "It could not be prepared as a PDF",
}


def failure_text(why: Stop, message: str) -> str:
    """A refusal carries its own words ("would run to 450 pages, more than the 400
    allowed"); any other stop is said plainly, without the machinery's detail."""
    if why is Stop.REFUSED:
        return message[:300]
    return _FAILURES[why]
