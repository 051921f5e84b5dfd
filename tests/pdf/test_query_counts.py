"""Reading a portfolio for its PDF takes the same number of SQL statements however many
competencies its records touch, pieces of evidence and sign-offs it holds (the
`tests/test_growth.py` pattern: a synthetic trust, then the same with one dimension doubled)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.core.settings import get_settings
from portfolio.pdf import queries
from portfolio.pdf.document import Verification
from portfolio.people.models import User
from tests import synthetic
from tests.support.statements import counting


def _statements(app: Flask, session: Session, trust: synthetic.Trust) -> int:
    worker = session.get_one(User, trust.worker_ids[1])

    def read() -> queries.Portfolio:
        return queries.portfolio(
            session,
            worker,
            on=today(),
            generated_at=utcnow(),
            generated_by="Test",
            verification=Verification("code", "https://example.org/verify/code"),
            due_window_days=60,
            with_appendices=True,
        )

    read()  # warm: frameworks are parsed once per process
    with counting(app) as statements:
        found = read()
    assert found.document.sign_offs, "the synthetic worker has sign-offs to print"
    assert found.document.evidence, "and evidence"
    return len(statements)


@pytest.mark.parametrize("dimension", ["competencies_each", "evidence_each", "sign_offs_each"])
def test_reading_a_portfolio_does_not_grow_with_its_records(
    app: Flask, session: Session, client: FlaskClient, dimension: str
) -> None:
    """`client` is asked for only so the app's sessions share the test's transaction."""
    key = get_settings(app).audit_key_bytes
    small = synthetic.seed(session, key=key, supervisors=1, **synthetic.BASE)
    doubled = {**synthetic.BASE, dimension: synthetic.BASE[dimension] * 2}
    large = synthetic.seed(session, key=key, supervisors=1, frameworks_loaded=True, **doubled)
    assert _statements(app, session, large) == _statements(app, session, small)
