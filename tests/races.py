"""Two transactions side by side, for the tests of what happens when two people (or two taps)
write at the same moment. Only PostgreSQL runs write transactions side by side; SQLite runs
them one at a time (BEGIN IMMEDIATE), so these tests skip there with that reason.

Each test commits on a database of its own (`fresh_database_url`), runs the two writers in
threads with sessions of their own, and looks at what was committed afterwards.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from portfolio import migrations
from portfolio.db import make_engine

WAIT = 10  # seconds: a deadlock fails the test instead of hanging it

T = TypeVar("T")


def side_by_side(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("SQLite runs write transactions one at a time: no two are side by side")


@contextmanager
def committed(url: str) -> Iterator[Session]:
    """A session on the newly migrated database whose work is committed at the end."""
    migrations.upgrade(url)
    engine = make_engine(url)
    try:
        with sessionmaker(bind=engine, expire_on_commit=False)() as session:
            yield session
            session.commit()
    finally:
        engine.dispose()


@contextmanager
def two_at_once(
    url: str, act: Callable[[Session, threading.Barrier], T]
) -> Iterator[tuple[list[T], list[BaseException], sessionmaker[Session]]]:
    """Run `act(session, barrier)` in two threads on committed data, each committing what it
    did; what each returned or raised, and sessions to look at the outcome with."""
    migrations.upgrade(url)
    engine = make_engine(url)
    make_session = sessionmaker(bind=engine, expire_on_commit=False)
    barrier = threading.Barrier(2)
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        with make_session() as session:
            try:
                results.append(act(session, barrier))
                session.commit()
            except BaseException as error:
                session.rollback()
                errors.append(error)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    try:
        yield results, errors, make_session
    finally:
        engine.dispose()


class Turns:
    """Holds the first of two writers after a step until the second is either held up by a
    lock (waiting for the first to commit) or through the same step itself.

    So both are inside the step at once, as two requests arriving together would be: without
    a lock the second writes beside the first's uncommitted rows; with one it waits, and the
    first goes on to commit."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.arrived = threading.Barrier(2)
        self._through = 0
        self._count = threading.Lock()
        self._mine = threading.local()

    def first_time(self) -> bool:
        """Whether this thread has not yet taken its turn (a step may run more than once)."""
        if getattr(self._mine, "taken", False):
            return False
        self._mine.taken = True
        return True

    def arrive(self) -> None:
        """Both writers are at the step: neither has started it."""
        self.arrived.wait(timeout=WAIT)

    def through(self) -> None:
        """This writer is through the step: wait for the other to be held up or through."""
        with self._count:
            self._through += 1
        engine = make_engine(self.url)
        try:
            deadline = time.monotonic() + WAIT
            while time.monotonic() < deadline:
                if self._through == 2 or self._someone_waits(engine):
                    return
                time.sleep(0.02)
        finally:
            engine.dispose()
        raise TimeoutError("the other writer neither waited for a lock nor got through")

    @staticmethod
    def _someone_waits(engine: Engine) -> bool:
        with engine.connect() as connection:
            waiting = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        return bool(waiting)
