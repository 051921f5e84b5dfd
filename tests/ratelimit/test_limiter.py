"""The app's rate limiter: one count per address whichever app process serves the request,
on the database by default and on Redis when REDIS_URL is set, and still counting (in the
database) while a configured Redis does not answer."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient
from limits.storage import RedisStorage
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio import create_app, migrations
from portfolio.api import tokens
from portfolio.core.clock import utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.ratelimit.limiter import FAILED_SIGN_IN, limiter, redis_key_prefix
from portfolio.ratelimit.models import RateLimitHit
from tests import factories
from tests.support.databases import skip_or_fail

WINDOW = dt.timedelta(minutes=15)
WRONG_TOKEN = {"Authorization": f"Bearer {tokens.new_token()}"}
# Run as a process of its own: two failed token checks from one address, on the database.
ANOTHER_PROCESS = """
import sys
from portfolio import create_app
from portfolio.api import tokens
app = create_app("testing", database_url=sys.argv[1], sign_in_address_limit=2)
client = app.test_client()
headers = {"Authorization": "Bearer " + tokens.new_token()}
for _ in range(2):
    answer = client.get("/api/v1/me", headers=headers, environ_base={"REMOTE_ADDR": sys.argv[2]})
    print(answer.status_code)
"""


def _me(app: Flask, address: str) -> int:
    answer = app.test_client().get(
        "/api/v1/me", headers=WRONG_TOKEN, environ_base={"REMOTE_ADDR": address}
    )
    return answer.status_code


def _check(client: FlaskClient, address: str) -> int:
    token = factories.csrf_token(client, "/verify")
    answer = client.post(
        "/verify",
        data={"csrf_token": token, "file": (io.BytesIO(b"%PDF-1.7 guess"), "portfolio.pdf")},
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )
    return answer.status_code


@pytest.fixture
def migrated_url(fresh_database_url: str) -> str:
    """A database of its own, migrated (in setup: Alembic's logging set-up would otherwise
    take the log capture's handler away)."""
    migrations.upgrade(fresh_database_url)
    return fresh_database_url


@pytest.fixture
def two_apps(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Flask, Flask]]:
    """Two app instances on one committed database, as two gunicorn processes would be."""
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = {"sign_in_address_limit": 2, "verify_upload_limit": 2}
    apps = (
        create_app("testing", database_url=migrated_url, **settings),
        create_app("testing", database_url=migrated_url, **settings),
    )
    yield apps
    for app in apps:
        app.extensions["engine"].dispose()


@pytest.mark.commits
def test_two_app_instances_share_one_count_per_address(two_apps: tuple[Flask, Flask]) -> None:
    first, second = two_apps
    # Counted apart (the API's token check) ...
    assert _me(first, "203.0.113.50") == 401
    assert _me(second, "203.0.113.50") == 401
    assert _me(first, "203.0.113.50") == 429
    assert _me(second, "203.0.113.50") == 429
    assert _me(second, "203.0.113.51") == 401  # another address has its own count
    # ... and in the request's unit of work (the upload check).
    assert _check(first.test_client(), "203.0.113.60") == 200
    assert _check(second.test_client(), "203.0.113.60") == 200
    assert _check(first.test_client(), "203.0.113.60") == 429
    assert _check(second.test_client(), "203.0.113.60") == 429


@pytest.mark.commits
def test_another_process_counts_against_the_same_address(
    two_apps: tuple[Flask, Flask], migrated_url: str, tmp_path: Path
) -> None:
    first, _ = two_apps
    done = subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS, migrated_url, "203.0.113.70"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "INSTANCE_PATH": str(tmp_path)},
        check=True,
    )
    assert done.stdout.split() == ["401", "401"]
    assert _me(first, "203.0.113.70") == 429


def test_counts_live_in_redis_when_it_is_configured(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as error:
        skip_or_fail(f"Redis is not reachable at {url}: {error}")
    app = create_app(
        "testing",
        database_url=database_url,
        redis_url=url,
        queue_name=f"portfolio-test-{uuid.uuid4().hex}",  # this test's own keys, cleared below
        sign_in_address_limit=2,
    )
    address = "203.0.113.90"
    prefix = redis_key_prefix(get_settings(app))
    try:
        assert _me(app, address) == 401
        assert _me(app, address) == 401
        limited = app.test_client().get(
            "/api/v1/me", headers=WRONG_TOKEN, environ_base={"REMOTE_ADDR": address}
        )
        assert limited.status_code == 429
        assert limited.mimetype == "application/problem+json"
        assert 0 < int(limited.headers["Retry-After"]) <= 15 * 60
        key = FAILED_SIGN_IN.rule(get_settings(app)).key_for(address)
        assert redis.Redis.from_url(url).llen(f"{prefix}:{key}") == 2
        with app.app_context():
            assert get_session().scalar(select(func.count()).select_from(RateLimitHit)) == 0
    finally:
        RedisStorage(url, key_prefix=prefix).reset()
        app.extensions["engine"].dispose()


@pytest.mark.commits
def test_a_redis_that_does_not_answer_leaves_the_counting_to_the_database(
    migrated_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        "testing",
        database_url=migrated_url,
        redis_url="redis://127.0.0.1:9/0",  # nothing listens there
        sign_in_address_limit=2,
    )
    try:
        with caplog.at_level(logging.WARNING, logger="portfolio.ratelimit.limiter"):
            assert [_me(app, "203.0.113.80") for _ in range(3)] == [401, 401, 429]
        assert "Redis is not answering, counting in the database" in caplog.text
        with app.app_context():
            assert get_session().scalar(select(func.count()).select_from(RateLimitHit)) == 2
    finally:
        app.extensions["engine"].dispose()


def test_the_nightly_housekeeping_removes_hits_that_have_left_their_window(
    app: Flask, session: Session
) -> None:
    now = utcnow()
    for age in (dt.timedelta(minutes=20), dt.timedelta(minutes=5)):
        session.add(
            RateLimitHit(key="test/192.0.2.9", hit_at=now - age, expires_at=now - age + WINDOW)
        )
    session.flush()
    queue = app.extensions["huey"]
    task = queue._registry.string_to_task("portfolio.jobs.housekeeping.prune_sign_in_attempts")
    assert queue.execute(task()) == 1
    left = session.scalars(select(RateLimitHit.hit_at)).all()
    assert [now - when < WINDOW for when in left] == [True]


def test_the_app_limiter_is_on_the_database_by_default(app: Flask, session: Session) -> None:
    with app.test_request_context():
        counts = limiter()
        assert counts.allows(FAILED_SIGN_IN, "192.0.2.10")
        for _ in range(get_settings(app).sign_in_address_limit):
            assert counts.hit(FAILED_SIGN_IN, "192.0.2.10")
        assert not counts.allows(FAILED_SIGN_IN, "192.0.2.10")
        assert not counts.hit(FAILED_SIGN_IN, "192.0.2.10")
        assert counts.retry_after(FAILED_SIGN_IN, "192.0.2.10") == pytest.approx(
            get_settings(app).sign_in_window_minutes * 60, abs=2
        )
