"""The reckoner's pages issue the same number of SQL statements however many workers and
records they judge."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.signoff import services
from portfolio.signoff.models import SignOffDecision, SignOffRequest
from tests import factories
from tests.reckoner.conftest import Shift, log_cannulation_evidence, transcribed_long_ago
from tests.signoff.conftest import confirmed_procedures, transcribed
from tests.test_query_counts import _queries_for


def _grow(session: Session, world: Shift, times: int) -> None:
    """More workers in the department, each with records of every kind, and more records for
    the workers already there."""
    for number in range(times):
        worker = factories.person(
            session,
            world.org,
            department=world.mri,
            job_role=JobRole.SCSW if number % 2 else JobRole.CSW,
            name=f"Extra worker {number}",
        )
        transcribed(session, worker, "A-1", world.educator)
        transcribed_long_ago(session, worker, world.educator, 30 + 200 * (number % 3))
        log_cannulation_evidence(session, worker)
        confirmed_procedures(session, worker, world.nurse, 2)
        session.add(
            SignOffRequest(
                worker_id=worker.id,
                competency_code="CANN",
                assessor_id=world.nurse.id,
                requested_on=today(),
            )
        )
        # Another paper record each time, a day older (the same one twice is refused).
        held = session.scalar(
            select(func.count())
            .select_from(SignOffDecision)
            .where(SignOffDecision.worker_id == world.ready.id)
        )
        transcribed(session, world.ready, "A-1", world.educator, days_ago=21 + (held or 0))
        log_cannulation_evidence(session, world.ready)
    confirmed_procedures(session, world.ready, world.nurse, times)
    session.flush()


def _revoke_one(session: Session, world: Shift) -> None:
    """A revocation in both runs, so every kind of record is read each time."""
    services.revoke(
        factories.auditor(session, world.educator),
        world.educator,
        world.sign_off,
        reason="Sign-off made in error",
        already=False,
        on=today(),
    )
    session.flush()


@pytest.mark.parametrize(
    "path",
    [
        "/shift?department={mri}&task=CANN",
        "/shift?department={mri}&task=CANN&on={yesterday}",
        "/people/{ready}/scope-of-practice?task=CANN",
        "/people/{ready}/scope-of-practice",
    ],
)
def test_reckoner_pages_do_not_grow_with_the_department_or_the_portfolio(
    app: Flask, session: Session, client: FlaskClient, shift: Shift, path: str
) -> None:
    _revoke_one(session, shift)
    factories.sign_in(client, shift.radiographer)
    url = path.format(
        mri=shift.mri.id,
        ready=shift.ready.id,
        yesterday=(today() - dt.timedelta(days=1)).isoformat(),
    )
    _grow(session, shift, 1)
    small = _queries_for(app, client, url)
    _grow(session, shift, 8)
    large = _queries_for(app, client, url)
    assert large == small
    print(f"{path}: {small} statements")  # the figure reported in reviews
