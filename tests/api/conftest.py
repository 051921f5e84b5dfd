"""The demo trust, loaded inside the test's rolled-back transaction, and tokens for its people."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import demo
from portfolio.api import services
from portfolio.api.models import TokenScope
from portfolio.core.clock import today
from portfolio.people.models import User
from tests import factories
from tests.api.demo_trust import MakeToken, Trust


@pytest.fixture
def trust(app: Flask, session: Session) -> Trust:
    with app.app_context():
        demo.load(factories.auditor(session))
    session.flush()
    people = session.scalars(select(User).where(User.email.like("%@northfield.example"))).all()
    return Trust({person.email.split("@")[0]: person for person in people})


@pytest.fixture
def make_token(session: Session) -> MakeToken:
    """A token for a person (read-write unless asked), as if made on their account page."""

    def make(person: User, scope: TokenScope = TokenScope.READ_WRITE, days: int = 30) -> str:
        _, secret = services.create_token(
            factories.auditor(session, person),
            person,
            name="Test",
            scope=scope,
            expires_on=today() + dt.timedelta(days=days),
            today=today(),
            max_days=365,
            created_by=person,
        )
        session.flush()
        return secret

    return make
