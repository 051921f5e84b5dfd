"""The task queue: Huey on SQLite by default, on Redis when REDIS_URL is set."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from flask import Flask
from huey import RedisHuey, SqliteHuey
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import create_app
from portfolio.accounts.models import SignInAttempt
from portfolio.core.clock import utcnow
from portfolio.core.settings import get_settings
from portfolio.core.settings_loading import load_settings
from portfolio.evidence.drafts import DraftFields
from portfolio.evidence.models import EvidenceDraft
from portfolio.jobs.housekeeping import prune_sign_in_attempts
from tests import factories
from tests.support.databases import skip_or_fail


def test_the_default_queue_needs_no_server(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("PORTFOLIO_REDIS_URL", raising=False)
    app = create_app("development", database_url=database_url)
    queue = app.extensions["huey"]
    assert isinstance(queue, SqliteHuey)
    assert queue.storage.filename == str(tmp_path / "tasks.db")
    app.extensions["engine"].dispose()


def test_a_redis_url_puts_the_queue_on_redis(database_url: str) -> None:
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as error:
        skip_or_fail(f"Redis is not reachable at {url}: {error}")
    app = create_app("testing", database_url=database_url, redis_url=url)
    queue = app.extensions["huey"]
    assert isinstance(queue, RedisHuey)
    # A real round trip through Redis: enqueue, then a consumer's dequeue and run.
    queue.immediate = False
    name = f"portfolio-test-{uuid.uuid4().hex}"
    queue.name = name

    @queue.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    task = queue.dequeue()
    assert task is not None
    queue.execute(task)
    assert result.get() == 5
    queue.flush()
    app.extensions["engine"].dispose()


def test_old_sign_in_attempts_are_pruned_and_recent_ones_kept(session: Session) -> None:
    now = utcnow()
    for age in (dt.timedelta(days=91), dt.timedelta(days=1)):
        session.add(
            SignInAttempt(
                email="a@trust.example", address="10.0.0.1", attempted_at=now - age, succeeded=False
            )
        )
    session.flush()
    assert prune_sign_in_attempts(session, now, days=90) == 1
    left = session.scalars(select(SignInAttempt.attempted_at)).all()
    assert [now - when < dt.timedelta(days=2) for when in left] == [True]


def test_the_housekeeping_task_prunes_drafts_older_than_the_setting(
    app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_settings("testing").evidence_draft_days == 30
    monkeypatch.setenv("PORTFOLIO_EVIDENCE_DRAFT_DAYS", "7")
    assert load_settings("development", secret_key="s", audit_key="a").evidence_draft_days == 7
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(evidence_draft_days=7)
    )
    org = factories.organisation(session)
    old, recent = factories.person(session, org), factories.person(session, org)
    now = utcnow()
    for person, age in ((old, dt.timedelta(days=8)), (recent, dt.timedelta(days=6))):
        session.add(
            EvidenceDraft(
                worker_id=person.id,
                evidence_id=None,
                fields=DraftFields(title="Left for a while").to_json(),
                saved_at=now - age,
            )
        )
    session.flush()
    queue = app.extensions["huey"]
    task = queue._registry.string_to_task("portfolio.jobs.housekeeping.prune_evidence_drafts")
    assert queue.execute(task()) == 1
    assert session.scalars(select(EvidenceDraft.worker_id)).all() == [recent.id]


def test_old_links_and_unconfirmed_staff_uploads_are_pruned(app: Flask, session: Session) -> None:
    from portfolio.accounts.links import issue_link
    from portfolio.accounts.models import LinkPurpose, PasswordLink
    from portfolio.onboarding.models import StaffUpload
    from portfolio.onboarding.services import store_upload

    org = factories.organisation(session)
    admin = factories.person(session, org)
    now = utcnow()
    for age in (dt.timedelta(days=91), dt.timedelta(days=1)):
        issue_link(
            factories.auditor(session),
            admin,
            LinkPurpose.RESET,
            now=now - age,
            valid_for=dt.timedelta(hours=1),
            requested_by_id=None,
        )
    for age in (dt.timedelta(hours=25), dt.timedelta(hours=23)):
        store_upload(
            session,
            organisation_id=org.id,
            uploaded_by_id=admin.id,
            filename="staff.csv",
            content=b"Name\n",
            now=now - age,
        )
    session.flush()
    queue = app.extensions["huey"]
    task = queue._registry.string_to_task(
        "portfolio.jobs.housekeeping.prune_account_links_and_uploads"
    )
    assert queue.execute(task()) == 2
    session.expire_all()
    for model in (PasswordLink, StaffUpload):
        assert len(session.scalars(select(model)).all()) == 1
