"""Engines for SQLite and PostgreSQL, and the per-request session.

The declarative base and the column types are in `portfolio.core.db`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import Flask, g, request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from portfolio.core.settings import get_settings

__all__ = ["get_session", "make_engine", "reading_only", "writing"]


# Whether transactions begun now may write. Requests that only read (GET, HEAD) turn it off,
# so on SQLite they begin deferred and never hold the write lock; everything else (forms,
# the command line, jobs) begins IMMEDIATE and queues for the lock instead of failing later.
_may_write: ContextVar[bool] = ContextVar("may_write", default=True)


@contextmanager
def reading_only() -> Iterator[None]:
    token = _may_write.set(False)
    try:
        yield
    finally:
        _may_write.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside may write (BEGIN IMMEDIATE on SQLite), even in a GET request:
    for the small bookkeeping a read may need (a token's last use, a failed attempt), done
    in a session of its own and committed at once."""
    token = _may_write.set(True)
    try:
        yield
    finally:
        _may_write.reset(token)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the same behaviour on both databases.

    SQLite gets WAL (readers never block the writer), a busy timeout, foreign keys, and
    write transactions that take the lock when they begin (BEGIN IMMEDIATE): a deferred
    transaction that later tries to write can fail at once with "database is locked"
    instead of waiting its turn. Read-only requests begin deferred (see `reading_only`).
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, poolclass=NullPool, **kwargs)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event, not the driver, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write.get() else "BEGIN")


def init_app(app: Flask) -> None:
    engine = make_engine(get_settings(app).database_url)
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.before_request
    def _reads_begin_deferred() -> None:
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            g.may_write_token = _may_write.set(False)

    @app.teardown_request
    def _restore_write_intent(error: BaseException | None) -> None:
        token = g.pop("may_write_token", None)
        if token is not None:
            _may_write.reset(token)

    @app.teardown_appcontext
    def _close_session(error: BaseException | None) -> None:
        """Closing rolls back whatever the unit of work left open (`portfolio.unit_of_work`
        commits or rolls back first; this is the last word)."""
        session: Session | None = g.pop("db_session", None)
        if session is not None:
            session.close()


def get_session() -> Session:
    """The session of the current request or CLI command, opened on first use."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = current_app.extensions["sessionmaker"]()
    session: Session = g.db_session
    return session
