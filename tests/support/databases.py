"""The databases tests run on: the engine chosen by `TEST_DATABASE`, throwaway databases for
one test process, and the demo trust committed on a database of its own.

`TEST_DATABASE` picks the engine: sqlite (default) or postgresql (`TEST_POSTGRES_URL`, by
default the trust-auth server on 127.0.0.1:5432). PostgreSQL missing: the PostgreSQL run
skips with the reason locally and fails when CI=true.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portfolio import create_app, migrations

ENGINE = os.environ.get("TEST_DATABASE", "sqlite")
IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


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

    def new(self, template: str | None = None) -> str:
        """An empty database, or with `template` (a URL this object made) a copy of that one."""
        name = f"portfolio_test_{self.worker}_{uuid.uuid4().hex[:10]}"
        if ENGINE == "sqlite":
            url = f"sqlite:///{self.folder / name}.db"
            if template is not None:
                source_path = make_url(template).database
                assert source_path is not None
                source = sqlite3.connect(source_path)
                copy = sqlite3.connect(self.folder / f"{name}.db")
                try:
                    source.backup(copy)
                finally:
                    source.close()
                    copy.close()
        elif ENGINE == "postgresql":
            admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
            copying = f' TEMPLATE "{make_url(template).database}"' if template else ""
            try:
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"{copying}'))
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


@dataclass(frozen=True)
class DemoTrust:
    """The demo trust committed once per test process on a database no test uses itself, with
    its instance folder (attachment files, secrets): each test gets copies of both."""

    url: str
    instance: Path


def build_demo_trust(databases: ThrowawayDatabases, instance: Path) -> DemoTrust:
    url = databases.new()
    app = make_demo_app(url, instance)
    app.extensions["engine"].dispose()
    return DemoTrust(url, instance)


def demo_app_from(
    demo: DemoTrust, databases: ThrowawayDatabases, instance: Path, **settings: object
) -> Flask:
    """The app on a copy of the demo trust of its own: what one test commits, no other sees."""
    shutil.copytree(demo.instance, instance)
    url = databases.new(template=demo.url)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(instance))
        return create_app("testing", database_url=url, **settings)
