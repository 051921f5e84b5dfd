"""The oversight pages and their CSV files issue the same number of SQL statements however
many workers and sign-offs there are (the trust's four workers, then 9 more with sign-offs)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.roles import JobRole
from tests import factories
from tests.oversight.trust import Trust, move_to_post
from tests.support.statements import counting, statements_for


def _grow(session: Session, trust: Trust, times: int) -> None:
    for number in range(times):
        worker = factories.person(
            session, trust.org, department=trust.ward, job_role=JobRole.SCSW, name=f"Extra {number}"
        )
        move_to_post(session, worker, trust.post, trust.ward)
        factories.transcribed(session, worker, "A-1", trust.educator, days_ago=30 + number)
        factories.transcribed(session, worker, "CANN", trust.educator, days_ago=300 + 20 * number)
    session.flush()


def _posted(app: Flask, client: FlaskClient, path: str) -> int:
    token = factories.csrf_token(client, "/account")
    assert client.post(path, data={"csrf_token": token}).status_code == 200  # warm
    with counting(app) as statements:
        assert client.post(path, data={"csrf_token": token}).status_code == 200
    return len(statements)


PATHS = [
    ("GET", "/oversight/matrix"),
    ("GET", "/oversight/matrix?sort=most_competent&status=competent"),
    ("GET", "/oversight/matrix?competencies=domain:Clinical&sort=job_role"),
    ("GET", "/oversight/matrix?learners=apprentices"),
    ("GET", "/oversight/matrix?learners=trainees&status=competent"),
    ("GET", "/oversight/reassessment?days=90"),
    ("GET", "/oversight/suspended"),
    ("GET", "/oversight/qualifications"),
    ("POST", "/oversight/matrix.csv"),
    ("POST", "/oversight/reassessment.csv"),
    ("POST", "/oversight/suspended.csv"),
    ("POST", "/oversight/qualifications.csv"),
]


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_oversight_pages_do_not_grow_with_the_trust(
    app: Flask, session: Session, client: FlaskClient, trust: Trust, method: str, path: str
) -> None:
    factories.sign_in(client, trust.whole_educator)

    def count() -> int:
        return statements_for(app, client, path) if method == "GET" else _posted(app, client, path)

    small = count()
    _grow(session, trust, 9)
    assert count() == small
