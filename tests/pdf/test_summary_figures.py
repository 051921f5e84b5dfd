"""The PDF summary's figures agree (issue 21): the status table counts the same competencies
as the "n of m competent and current" line, says which they are, and the optional rest of the
scope has a line of its own."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.pdf import queries
from portfolio.pdf.document import Verification
from portfolio.pdf.render import render_pdf
from tests import factories


def test_the_status_table_adds_up_to_the_competencies_the_summary_counts(
    session: Session, department: factories.SignOffWorld
) -> None:
    # Morgan: A-1 (core) signed off; CANN (optional in their scope) in progress.
    found = queries.portfolio(
        session,
        department.worker,
        on=today(),
        generated_at=utcnow(),
        generated_by="Test",
        verification=Verification("TESTCODE", "https://example.org/verify/TESTCODE"),
        due_window_days=60,
        with_appendices=False,
    )
    summary = found.document.summary
    assert summary.overall is not None
    by_status = dict(summary.by_status)
    assert sum(by_status.values()) == summary.overall.total == 1
    may_practise = by_status.get("Competent", 0) + by_status.get("Due for reassessment", 0)
    assert may_practise == summary.overall.done == 1
    assert (summary.optional.done, summary.optional.total) == (0, 1)

    rendered = render_pdf(found.document, {}, [], max_pages=50)
    text = " ".join(
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(rendered.content)).pages
    )
    assert "1 of 1 competencies competent and current (100%)" in text
    assert "The 1 competency their progress counts, by status" in text
    assert "Total 1" in text
    assert "not counted above: 1 optional competency, 0 competent and current" in text
