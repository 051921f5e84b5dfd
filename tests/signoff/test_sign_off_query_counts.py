"""Sign-off pages issue the same number of SQL statements however large the portfolio."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories
from tests.signoff.records import grow
from tests.support.statements import statements_for


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
    department: factories.SignOffWorld,
    viewer: str,
    path: str,
) -> None:
    factories.sign_in(client, getattr(department, viewer))
    url = path.format(worker=department.worker.id)
    grow(session, department, 1)
    small = statements_for(app, client, url)
    grow(session, department, 8)
    large = statements_for(app, client, url)
    assert large == small
