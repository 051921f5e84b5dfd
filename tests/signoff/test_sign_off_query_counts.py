"""Sign-off pages issue the same number of SQL statements however large the portfolio."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.evidence import services as evidence
from portfolio.evidence.models import EvidenceKind
from portfolio.signoff.models import SignOffRequest
from tests import factories
from tests.signoff.conftest import SignOffWorld, confirmed_procedures, transcribed
from tests.test_query_counts import _queries_for


def _grow(session: Session, world: SignOffWorld, times: int, *, start: int = 0) -> None:
    """More of everything a page reads: evidence, procedures, decisions, requests."""
    for number in range(start, start + times):
        evidence.save_evidence(
            factories.auditor(session, world.worker),
            world.worker,
            evidence.EvidenceDetails(
                kind=EvidenceKind.REFLECTIVE_ACCOUNT,
                title=f"Reflection {number}",
                activity_on=today() - dt.timedelta(days=number + 1),
                body="What I learned.",
                competency_codes=frozenset({"CANN", "A-1"}),
            ),
            scope_codes=["A-1", "CANN"],
            today=today(),
        )
        # Each a different paper record (the fixture holds one from 20 days ago): the same
        # one twice is refused.
        transcribed(session, world.worker, "A-1", world.educator, days_ago=21 + number)
        worker = factories.person(session, world.org, department=world.ward)
        session.add(
            SignOffRequest(
                worker_id=worker.id,
                competency_code="CANN",
                assessor_id=world.nurse.id,
                requested_on=today(),
            )
        )
    confirmed_procedures(session, world.worker, world.nurse, times)
    session.flush()


@pytest.mark.parametrize(
    ("viewer", "path"),
    [
        ("worker", "/people/{worker}/competencies"),
        ("worker", "/people/{worker}/competencies/CANN"),
        ("worker", "/competencies/CANN/sign-off"),
        ("worker", "/competencies/CANN/request"),
        ("nurse", "/to-do"),
        ("educator", "/to-do"),
    ],
)
def test_sign_off_pages_do_not_grow_with_the_portfolio(
    app: Flask,
    session: Session,
    client: FlaskClient,
    department: SignOffWorld,
    viewer: str,
    path: str,
) -> None:
    factories.sign_in(client, getattr(department, viewer))
    url = path.format(worker=department.worker.id)
    _grow(session, department, 1)
    small = _queries_for(app, client, url)
    _grow(session, department, 8, start=1)
    large = _queries_for(app, client, url)
    assert large == small
