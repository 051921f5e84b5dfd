"""The cohort export with the real job consumer, as `make run` starts it: `huey_consumer` in
processes of its own (two long-lived workers) on the demo trust's database.

A consumer killed with SIGKILL mid-export, every worker with it, loses the tasks it was
running; started again, it queues whatever is still waiting and the ZIP still holds exactly
one PDF per person, each a recorded print. The same export also runs with the queue on Redis
(skipped without a Redis server, except under CI=true).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from sqlalchemy import Engine, func, select

from portfolio.audit.services import verify
from portfolio.cohorts import services
from portfolio.cohorts.models import CohortExport, CohortPortfolio, CohortState, PortfolioState
from portfolio.core.settings import get_settings
from portfolio.db import get_session, make_engine
from portfolio.jobs.cohorts import export_folder
from portfolio.pdf.models import PortfolioExport
from tests.cohorts.consumer import AUDIT_KEY, Consumer
from tests.cohorts.demo_trust import signed_in
from tests.support.databases import DemoTrust, ThrowawayDatabases, demo_app_from, skip_or_fail

pytestmark = pytest.mark.commits

EVERYONE = 5  # the demo trust's support workers


@pytest.fixture
def trust(
    demo_trust: DemoTrust, databases: ThrowawayDatabases, tmp_path: Path
) -> Callable[..., Flask]:
    """The demo trust in a fresh database, its app with a queue that really queues."""
    made: list[Flask] = []

    def make(**settings: str) -> Flask:
        app = demo_app_from(demo_trust, databases, tmp_path / "instance", **settings)
        app.extensions["huey"].immediate = False
        made.append(app)
        return app

    yield make  # type: ignore[misc]
    for app in made:
        with contextlib.suppress(redis.exceptions.ConnectionError):  # a queue left down
            app.extensions["huey"].flush()
        app.extensions["engine"].dispose()


@pytest.fixture
def consumers(tmp_path: Path) -> Iterator[list[Consumer]]:
    started: list[Consumer] = []
    yield started
    for consumer in started:
        consumer.stop()


def _ask_for_everyone(app: Flask) -> int:
    client = signed_in(app)
    from tests import factories

    token = factories.csrf_token(client, "/oversight/portfolios")
    response = client.post("/oversight/portfolios", data={"csrf_token": token})
    assert response.status_code == 303
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _counts(engine: Engine, export_id: int) -> tuple[CohortState, int]:
    """The export's state and how many of its portfolios are done, as committed."""
    with engine.connect() as connection:
        state = connection.scalar(select(CohortExport.state).where(CohortExport.id == export_id))
        done = connection.scalar(
            select(func.count()).where(
                CohortPortfolio.cohort_export_id == export_id,
                CohortPortfolio.state == PortfolioState.DONE,
            )
        )
    assert state is not None
    return state, done or 0


def _wait_for(
    engine: Engine, export_id: int, ready: Callable[[CohortState, int], bool], consumer: Consumer
) -> tuple[CohortState, int]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = _counts(engine, export_id)
        if ready(*found):
            return found
        assert consumer.process is None or consumer.process.poll() is None, consumer.output()
        time.sleep(0.02)
    pytest.fail(f"the export did not get there in time; the consumer said:\n{consumer.output()}")


def _check_the_zip(app: Flask, export_id: int) -> None:
    """Exactly one PDF per person, each the recorded print of its portfolio; the audit trail
    intact (two processes appended to it side by side)."""
    path = services.folder(export_folder(app), export_id) / services.ZIP
    archive = zipfile.ZipFile(path)
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == EVERYONE
    assert sorted(archive.namelist()) == sorted([*pdfs, "index.csv"])
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    assert [row["File"] for row in index] == sorted(pdfs)
    with app.app_context():
        session = get_session()
        prints = session.execute(
            select(PortfolioExport.sha256, PortfolioExport.worker_name)
            .join(CohortPortfolio, CohortPortfolio.portfolio_export_id == PortfolioExport.id)
            .where(CohortPortfolio.cohort_export_id == export_id)
        ).all()
        assert sorted(name for _, name in prints) == sorted(row["Name"] for row in index)
        hashes = {sha256 for sha256, _ in prints}
        assert {hashlib.sha256(archive.read(name)).hexdigest() for name in pdfs} == hashes
        assert verify(session, key=AUDIT_KEY.encode()) is None


def test_a_consumer_killed_mid_export_finishes_it_when_started_again(
    trust: Callable[..., Flask], consumers: list[Consumer], tmp_path: Path
) -> None:
    app = trust()
    engine = make_engine(get_settings(app).database_url)
    try:
        export_id = _ask_for_everyone(app)
        first = Consumer(app, tmp_path / "first.log")
        consumers.append(first)
        first.start()
        _wait_for(engine, export_id, lambda state, done: done >= 1, first)
        first.kill()  # SIGKILL: the consumer and both workers, mid-render
        state, done = _counts(engine, export_id)
        assert state is CohortState.PREPARING
        assert 1 <= done < EVERYONE, "every portfolio finished before the kill: nothing tested"

        second = Consumer(app, tmp_path / "second.log")
        consumers.append(second)
        second.start()
        _wait_for(engine, export_id, lambda state, done: state is CohortState.READY, second)
        second.stop()
        # The tasks the killed workers were running were lost with them: only the second
        # consumer queueing what was still waiting, as it started, finished those.
        _check_the_zip(app, export_id)
    finally:
        engine.dispose()


def test_the_export_runs_with_the_queue_on_redis(
    trust: Callable[..., Flask], consumers: list[Consumer], tmp_path: Path
) -> None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as error:
        skip_or_fail(f"Redis is not reachable at {url}: {error}")
    app = trust(redis_url=url, queue_name=f"portfolio-test-{uuid.uuid4().hex}")
    engine = make_engine(get_settings(app).database_url)
    try:
        export_id = _ask_for_everyone(app)
        assert app.extensions["huey"].pending_count() == EVERYONE  # waiting in Redis
        consumer = Consumer(app, tmp_path / "redis.log")
        consumers.append(consumer)
        consumer.start()
        _wait_for(engine, export_id, lambda state, done: state is CohortState.READY, consumer)
        consumer.stop()
        _check_the_zip(app, export_id)
    finally:
        engine.dispose()


def test_an_export_asked_for_while_the_queue_is_down_is_kept_and_done_later(
    trust: Callable[..., Flask], consumers: list[Consumer], tmp_path: Path
) -> None:
    """Redis unreachable when the educator asks: no error page, the export waits, and the
    consumer, started once the queue is back (here: SQLite storage), prepares it."""
    down = trust(redis_url="redis://127.0.0.1:9/0")  # nothing listens there
    export_id = _ask_for_everyone(down)
    engine = make_engine(get_settings(down).database_url)
    try:
        assert _counts(engine, export_id) == (CohortState.PREPARING, 0)
        # The consumer comes up on the default queue.
        down.extensions["settings"] = get_settings(down).changed(redis_url="")
        consumer = Consumer(down, tmp_path / "later.log")
        consumers.append(consumer)
        consumer.start()
        _wait_for(engine, export_id, lambda state, done: state is CohortState.READY, consumer)
        consumer.stop()
        _check_the_zip(down, export_id)
    finally:
        engine.dispose()
