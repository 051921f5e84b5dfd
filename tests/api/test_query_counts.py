"""API lists issue the same number of SQL statements however long the list (the page's own
queries, then pagination in Python), and so does the token check before them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer, more_evidence
from tests.support.statements import counting


def _more_workers(session: Session, trust: Trust) -> None:
    ward = factories.department(session, trust["admin"].organisation)
    for _ in range(10):
        factories.person(
            session, trust["admin"].organisation, department=ward, job_role=JobRole.CSW
        )


def _more_procedures(session: Session, trust: Trust) -> None:
    worker = trust["scsw"]
    for _ in range(10):
        factories.logged_procedure(session, worker, trust["radiographer"])


def _more_requests(session: Session, trust: Trust) -> None:
    org = trust["admin"].organisation
    ward = factories.department(session, org)
    for number in range(10):
        worker = factories.person(session, org, AccountRole.SUPPORT_WORKER, department=ward)
        factories.sign_off_request(
            session,
            worker,
            trust["radiographer"],
            "CORE-BLS",
            requested_on=today() - dt.timedelta(days=number),
        )


CASES: list[tuple[str, str, Callable[[Session, Trust], None]]] = [
    ("admin", "/api/v1/workers", _more_workers),
    ("educator", "/api/v1/workers?limit=5", _more_workers),
    ("scsw", "/api/v1/workers/{scsw}/evidence", more_evidence),
    ("scsw", "/api/v1/workers/{scsw}/procedures", _more_procedures),
    ("radiographer", "/api/v1/sign-off-requests", _more_requests),
    ("scsw", "/api/v1/workers/{scsw}/competencies", more_evidence),
    ("scsw", "/api/v1/competencies?limit=10", more_evidence),
]


def _statements(app: Flask, client: FlaskClient, url: str, headers: dict[str, str]) -> int:
    client.get(url, headers=headers)  # warm, and the token's last use recorded
    with counting(app) as statements:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
    return len(statements)


@pytest.mark.parametrize(("who", "path", "grow"), CASES, ids=[case[1] for case in CASES])
def test_api_lists_do_not_grow_with_their_length(
    app: Flask,
    session: Session,
    client: FlaskClient,
    trust: Trust,
    make_token: MakeToken,
    who: str,
    path: str,
    grow: Callable[[Session, Trust], None],
) -> None:
    headers = bearer(make_token(trust[who]))
    url = path.format(scsw=trust["scsw"].id)
    small = _statements(app, client, url, headers)
    grow(session, trust)
    session.flush()
    assert _statements(app, client, url, headers) == small
