"""Counting the SQL statements a page issues (the query-count tests compare a small world
with a larger one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event


@contextmanager
def counting(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = app.extensions["engine"]

    def _count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _count)


def statements_for(app: Flask, client: FlaskClient, path: str) -> int:
    client.get(path)  # warm: the first request may load things once per process
    with counting(app) as statements:
        assert client.get(path).status_code == 200
    return len(statements)
