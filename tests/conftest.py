"""Shared fixtures: one app per test process on a throwaway database, every test rolled back.

Each test process gets its own database (tests/support/databases.py), created here and
dropped at the end. A test runs inside a transaction that is always rolled back, so app code
may commit freely (it commits a savepoint). Tests that must really commit (migrations,
concurrency) ask for `fresh_database_url`, or `demo_app` for a committed copy of the demo
trust of their own.

The suite runs in a random order (pytest-randomly; `-p no:randomly` turns it off and
`--randomly-seed=N` repeats an order), so no test may rely on another having run: build data
with tests/factories, and share module-scoped data only if no test changes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session, sessionmaker

from portfolio import create_app, migrations
from tests import factories
from tests.support.databases import (
    IN_CI,
    DemoTrust,
    ThrowawayDatabases,
    build_demo_trust,
    demo_app_from,
)
from tests.support.mail import Inbox, free_port, point_mail_at

# Randomised tests: a fixed, derandomised profile in CI so a run can be repeated exactly.
settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "dev",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# `make check`, the quick gate, asks for fewer examples by name; `make test` runs the full ones.
settings.register_profile(
    "check",
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Still scrypt, at a cost a test suite can afford (32 times cheaper than production)."""
    from portfolio.core import passwords

    original = passwords.HASH_METHOD
    passwords.HASH_METHOD = "scrypt:1024:8:1"
    yield
    passwords.HASH_METHOD = original


@pytest.fixture(autouse=True, scope="session")
def _instance_outside_the_checkout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every app a test makes without naming its instance folder gets one in the temporary
    directory, never the checkout's instance/, whichever test happens to run first."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path_factory.mktemp("instance")))
        yield


@pytest.fixture(scope="session")
def databases(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[ThrowawayDatabases]:
    factory = ThrowawayDatabases(tmp_path_factory.mktemp("databases"), worker_id)
    yield factory
    factory.drop_all()


@pytest.fixture
def fresh_database_url(databases: ThrowawayDatabases) -> str:
    """An empty database of its own, for tests that commit or run migrations."""
    return databases.new()


@pytest.fixture(scope="session")
def demo_trust(
    databases: ThrowawayDatabases, tmp_path_factory: pytest.TempPathFactory
) -> DemoTrust:
    """The demo trust, loaded and committed once per test process: only ever copied."""
    return build_demo_trust(databases, tmp_path_factory.mktemp("demo") / "instance")


@pytest.fixture
def demo_app(
    demo_trust: DemoTrust, databases: ThrowawayDatabases, tmp_path: Path
) -> Iterator[Flask]:
    """The app on a committed copy of the demo trust of this test's own (for tests whose work
    commits): nothing one test does is seen by another, whatever the order."""
    application = demo_app_from(demo_trust, databases, tmp_path / "instance")
    yield application
    application.extensions["engine"].dispose()


@pytest.fixture(scope="session")
def database_url(databases: ThrowawayDatabases) -> str:
    url = databases.new()
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = create_app("testing", database_url=database_url)
    yield application
    application.extensions["engine"].dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Requests made through the test client share the same connection (their sessions join
    it with savepoints), so they see what the test wrote and their commits vanish too.
    """
    engine = app.extensions["engine"]
    connection = engine.connect()
    transaction = connection.begin()
    original = app.extensions["sessionmaker"]
    bound = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    app.extensions["sessionmaker"] = bound
    test_session = bound()
    try:
        # No app context is pushed here: the test client must push its own for every
        # request, or `g` (and the request's session) would leak from one request to the next.
        yield test_session
    finally:
        test_session.close()
        app.extensions["sessionmaker"] = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(app: Flask, session: Session) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def new_client(app: Flask, session: Session) -> Callable[[], FlaskClient]:
    """Another browser: a client with its own cookies."""
    return app.test_client


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1 that keeps what arrives."""
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail(app: Flask, monkeypatch: pytest.MonkeyPatch, smtp_server: Inbox) -> Inbox:
    """The app sends to the local server."""
    point_mail_at(app, monkeypatch, smtp_server.port)
    return smtp_server


@pytest.fixture
def department(session: Session) -> factories.SignOffWorld:
    """A department ready for cannulation sign-off (tests/factories/worlds.py)."""
    return factories.sign_off_world(session)
