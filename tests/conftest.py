"""Shared fixtures: one app per test process on a throwaway database, every test rolled back.

`TEST_DATABASE` picks the engine: sqlite (default) or postgresql (`TEST_POSTGRES_URL`, by
default the trust-auth server on 127.0.0.1:5432). Each test process gets its own database,
created here and dropped at the end. A test runs inside a transaction that is always rolled
back, so app code may commit freely (it commits a savepoint). Tests that must really commit
(migrations, concurrency) ask for `fresh_database_url` instead.

PostgreSQL missing: the PostgreSQL run skips with the reason locally and fails when CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from portfolio import create_app, migrations

ENGINE = os.environ.get("TEST_DATABASE", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

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
settings.load_profile("ci" if IN_CI else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Still scrypt, at a cost a test suite can afford (32 times cheaper than production)."""
    from portfolio.core import passwords

    original = passwords.HASH_METHOD
    passwords.HASH_METHOD = "scrypt:1024:8:1"
    yield
    passwords.HASH_METHOD = original


def skip_or_fail(reason: str) -> None:
    """Needs a real part that is missing: a clear skip on a laptop, a failure in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: required)")
    pytest.skip(reason)


class ThrowawayDatabases:
    """Creates databases for one test process and removes them afterwards."""

    def __init__(self, folder: Path, worker: str) -> None:
        self.folder = folder
        self.worker = worker
        self.created: list[str] = []

    def new(self) -> str:
        name = f"portfolio_test_{self.worker}_{uuid.uuid4().hex[:10]}"
        if ENGINE == "sqlite":
            url = f"sqlite:///{self.folder / name}.db"
        elif ENGINE == "postgresql":
            admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            except Exception as error:
                skip_or_fail(f"PostgreSQL is not reachable at {POSTGRES_URL}: {error}")
            finally:
                admin.dispose()
            url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        else:
            raise RuntimeError(f"TEST_DATABASE must be sqlite or postgresql, not {ENGINE!r}")
        self.created.append(name)
        return url

    def drop_all(self) -> None:
        if ENGINE != "postgresql" or not self.created:
            return
        admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


def make_demo_app(url: str, instance: Path, **settings: object) -> Flask:
    """The app on a newly migrated database holding the demo trust, committed (for tests
    whose work commits, each on a database of its own)."""
    from portfolio import demo
    from portfolio.commands import cli_auditor
    from portfolio.db import get_session

    migrations.upgrade(url)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(instance))
        application = create_app("testing", database_url=url, **settings)
    with application.app_context():
        demo.load(cli_auditor())
        get_session().commit()
    return application


@pytest.fixture(scope="session")
def database_url(databases: ThrowawayDatabases) -> str:
    url = databases.new()
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    os.environ["PORTFOLIO_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("instance"))
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
