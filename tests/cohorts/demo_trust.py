"""Finding the demo trust's people and departments, and signing in as them (the app on a copy
of the demo trust is the `demo_app` fixture of tests/conftest.py)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portfolio import demo
from portfolio.db import get_session
from portfolio.people.models import Department, User
from tests import factories

PRIYA = "educator@northfield.example"  # the demo's educator: the whole trust in reach


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
    with app.app_context():
        found = get_session().scalar(select(Department.id).where(Department.name == name))
    assert found is not None
    return found
