"""The demo trust in a database of its own (cohort exports commit), and its educator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portfolio import demo
from portfolio.db import get_session
from portfolio.people.models import User
from tests import factories
from tests.conftest import ThrowawayDatabases, make_demo_app

PRIYA = "educator@northfield.example"  # the demo's educator: the whole trust in reach


@pytest.fixture(scope="module")
def demo_app(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    app = make_demo_app(databases.new(), tmp_path_factory.mktemp("cohort-instance"))
    yield app
    app.extensions["engine"].dispose()


def person_id(app: Flask, email: str) -> int:
    with app.app_context():
        found = get_session().scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def signed_in(app: Flask, email: str = PRIYA) -> FlaskClient:
    client = app.test_client()
    assert factories.sign_in(client, email, demo.PASSWORD).status_code == 302
    return client


def department_id(app: Flask, name: str) -> int:
    from portfolio.people.models import Department

    with app.app_context():
        found = get_session().scalar(select(Department.id).where(Department.name == name))
    assert found is not None
    return found
