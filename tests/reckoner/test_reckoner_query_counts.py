"""The reckoner's pages issue the same number of SQL statements however many workers and
records they judge."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.signoff import services
from tests import factories
from tests.reckoner.shift import Shift
from tests.signoff.records import decisions_held
from tests.support.statements import statements_for


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
        factories.transcribed(session, worker, "A-1", world.educator)
        factories.transcribed(
            session, worker, "CANN", world.educator, days_ago=30 + 200 * (number % 3)
        )
        factories.evidence(session, worker)
        factories.confirmed_procedures(session, worker, world.nurse, 2)
        factories.sign_off_request(session, worker, world.nurse)
        # Another paper record each time, a day older (the same one twice is refused).
        factories.transcribed(
            session,
            world.ready,
            "A-1",
            world.educator,
            days_ago=21 + decisions_held(session, world.ready),
        )
        factories.evidence(session, world.ready)
    factories.confirmed_procedures(session, world.ready, world.nurse, times)
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
    small = statements_for(app, client, url)
    _grow(session, shift, 8)
    large = statements_for(app, client, url)
    assert large == small
    print(f"{path}: {small} statements")  # the figure reported in reviews
