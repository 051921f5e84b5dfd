"""Every view shows the standing engine's answer (Hypothesis over generated records): for a
senior CSW's cannulation (prerequisite A-1), signed off or not, with A-1 current, suspended,
revoked or missing, the engine, the matrix and its CSV, the competencies page, the API's
statuses and `GET /api/v1/standing` all show the same status, and the standing API's "may"
is the scope page's answer."""

from __future__ import annotations

import itertools

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import JobRole
from portfolio.oversight.queries import Filters, Reach, full_matrix
from portfolio.reckoner.standings import standings
from tests import factories
from tests.api.demo_trust import MakeToken, bearer
from tests.factories.worlds import SignOffWorld, sign_off_world

_NUMBERS = itertools.count(1)
PREREQUISITE = st.sampled_from(["current", "suspended", "revoked", "missing"])


@pytest.fixture
def world(session: Session) -> SignOffWorld:
    """Built once for all the examples of a test (the fixture is the test's, not each
    example's)."""
    return sign_off_world(session)


@pytest.fixture
def educator(client: FlaskClient, world: SignOffWorld) -> FlaskClient:
    """The test client signed in as the world's educator, for every example."""
    factories.sign_in(client, world.educator)
    return client


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(prerequisite=PREREQUISITE, signed=st.booleans())
def test_every_view_shows_the_engines_status(
    educator: FlaskClient,
    session: Session,
    world: SignOffWorld,
    make_token: MakeToken,
    prerequisite: str,
    signed: bool,
) -> None:
    worker = _worker(session, world, prerequisite, signed)
    found = standings(session, [worker.id], ["CANN"], today())[worker.id, "CANN"]
    shown = found.shown.text

    matrix = full_matrix(session, Reach.of(_reach(world)), Filters(), today())
    row = next(row for row in matrix.rows if row.worker.id == worker.id)
    cell = next(c for c, col in zip(row.cells, matrix.columns, strict=True) if col.code == "CANN")
    assert cell.label == shown

    headers = bearer(make_token(world.educator))
    statuses = educator.get(f"/api/v1/workers/{worker.id}/competencies", headers=headers).get_json()
    listed = next(item for item in statuses["items"] if item["code"] == "CANN")
    assert listed["status_label"] == shown
    assert listed["prerequisite_lapsed"] == found.shown.lapsed
    answer = educator.get(
        f"/api/v1/standing?person={worker.id}&item=CANN", headers=headers
    ).get_json()
    assert (answer["shown"], answer["may"]) == (shown, found.may)

    page = factories.page_text(educator.get(f"/people/{worker.id}/competencies"))
    assert found.shown.label in page
    assert (found.shown.detail in page) if found.shown.detail else True
    scope = factories.page_text(educator.get(f"/people/{worker.id}/scope-of-practice?task=CANN"))
    assert ("Answer May not" in scope) == (not found.may)


def _reach(world: SignOffWorld) -> Reach:
    return Reach(world.org.id, whole_organisation=True)


def _worker(session: Session, world: SignOffWorld, prerequisite: str, signed: bool):  # type: ignore[no-untyped-def]
    number = next(_NUMBERS)
    worker = factories.person(
        session,
        world.org,
        department=world.ward,
        job_role=JobRole.SCSW,
        name=f"Worker {number}",
    )
    if prerequisite != "missing":
        a1 = factories.transcribed(session, worker, "A-1", world.educator)
        if prerequisite == "suspended":
            factories.suspension(session, a1, world.educator)
        elif prerequisite == "revoked":
            factories.revocation(session, a1, world.educator)
    if signed:
        factories.transcribed(session, worker, "CANN", world.educator)
    session.flush()
    return worker
