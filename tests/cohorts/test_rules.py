"""What a cohort export says and how its files are named, as pure functions."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portfolio.cohorts import rules
from portfolio.core.roles import JobRole
from portfolio.core.sandbox import Stop
from portfolio.core.spreadsheet import csv_bytes


@st.composite
def progresses(draw: st.DrawFn) -> rules.Progress:
    total = draw(st.integers(1, 600))
    done = draw(st.integers(0, total))
    failed = draw(st.integers(0, total - done))
    ready = done + failed == total and draw(st.booleans())
    return rules.Progress(total=total, done=done, failed=failed, ready=ready)


@given(progresses())
def test_the_bar_is_full_only_once_the_zip_is_built(progress: rules.Progress) -> None:
    assert 0 <= progress.percent <= 100
    assert (progress.percent == 100) is progress.ready
    if not progress.ready:
        assert progress.percent == min(99, progress.finished * 100 // progress.total)


@given(progresses())
def test_one_more_portfolio_finished_never_moves_the_bar_back(progress: rules.Progress) -> None:
    if progress.finished < progress.total:
        later = rules.Progress(progress.total, progress.done + 1, progress.failed, ready=False)
        assert later.percent >= progress.percent


def test_the_line_under_the_bar_counts_in_words() -> None:
    assert rules.Progress(50, 12, 0, ready=False).summary == "12 of 50 portfolios prepared"
    assert rules.Progress(1, 0, 0, ready=False).summary == "0 of 1 portfolio prepared"
    assert (
        rules.Progress(50, 47, 3, ready=True).summary
        == "47 of 50 portfolios prepared, 3 could not be"
    )
    assert rules.Progress(50, 12, 0, ready=False).stage == "Preparing the portfolios"
    assert rules.Progress(50, 50, 0, ready=False).stage == "Putting the ZIP file together"
    assert rules.Progress(50, 50, 0, ready=True).stage == "Your ZIP file is ready to download"


def test_the_cohort_is_described_as_chosen() -> None:
    assert (
        rules.describe(department="General radiography", post=None, job_role=JobRole.AP)
        == "General radiography department, assistant practitioners"
    )
    assert rules.describe(department=None, post="MRI senior CSW", job_role=None) == "MRI senior CSW"
    assert (
        rules.describe(department=None, post=None, job_role=JobRole.CSW)
        == "clinical support workers"
    )
    assert (
        rules.describe(department=None, post=None, job_role=None)
        == "Every support worker in your reach"
    )


@given(st.lists(st.text(max_size=40), min_size=1, max_size=30))
def test_every_pdf_in_the_zip_has_its_own_safe_name(names: list[str]) -> None:
    on = dt.date(2026, 11, 28)
    files = [rules.pdf_name(position, name, on) for position, name in enumerate(names, 1)]
    assert len(set(files)) == len(files)  # two people of one name keep separate files
    for file in files:
        assert file.isascii()
        assert "/" not in file
        assert ".." not in file
        assert file.endswith("-2026-11-28.pdf")


def test_file_names_say_who_and_when() -> None:
    on = dt.date(2026, 11, 28)
    assert rules.pdf_name(7, "Siân O'Neill", on) == "007-portfolio-si-n-o-neill-2026-11-28.pdf"
    assert (
        rules.zip_name("General radiography department", on)
        == "portfolios-general-radiography-department-2026-11-28.zip"
    )
    assert rules.zip_name("…", on) == "portfolios-cohort-2026-11-28.zip"


def test_the_index_lists_everyone_chosen_with_their_file_or_why_not() -> None:
    on = dt.date(2026, 11, 28)
    lines = [
        rules.IndexLine(
            2,
            "=Bob",
            "Clinical support worker",
            "MRI",
            None,
            on,
            False,
            "Too long",
            None,
            None,
            None,
        ),
        rules.IndexLine(
            1,
            "Ann",
            "Assistant practitioner",
            "General radiography",
            "AP",
            on,
            True,
            None,
            12,
            "https://example.org/verify/abc",
            "0" * 64,
        ),
    ]
    rows = rules.index_rows(lines)
    assert rows[0][:2] == ["001-portfolio-ann-2026-11-28.pdf", "Ann"]
    assert rows[0][5:9] == ["Yes", None, 12, "https://example.org/verify/abc"]
    assert rows[1][0] is None
    assert rows[1][5:7] == ["No", "Too long"]
    text = csv_bytes(rules.INDEX_HEADER, rows).decode("utf-8-sig")
    assert "'=Bob" in text  # a name never runs as a spreadsheet formula


def test_a_refusal_keeps_its_words_and_other_stops_are_said_plainly() -> None:
    assert rules.failure_text(Stop.REFUSED, "It would run to 500 pages") == (
        "It would run to 500 pages"
    )
    assert rules.failure_text(Stop.TOO_LONG, "It took too long") == (
        "It took too long to prepare as a PDF"
    )
    assert rules.failure_text(Stop.FAILED, "Traceback …") == "It could not be prepared as a PDF"
