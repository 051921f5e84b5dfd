"""The retention list from the database, on the command line and as the weekly task: it names
leavers, old audit entries and old sign-in attempts for a person to decide on, and deletes
nothing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio import create_app, migrations
from portfolio.accounts.models import SignInAttempt
from portfolio.audit.models import AuditEntry
from portfolio.audit.services import Auditor
from portfolio.core.clock import today, utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence.models import Evidence
from portfolio.people.models import User
from portfolio.people.services import deactivate
from portfolio.retention.rules import RetentionPeriods
from portfolio.retention.services import retention_list
from tests import factories

PERIODS = RetentionPeriods(leaver_years=6, audit_years=10, sign_in_attempt_days=90)


def left_at(session: Session, person: User, when: dt.datetime) -> None:
    deactivate(factories.auditor(session), person)
    person.deactivated_at = when
    session.flush()


def test_leavers_are_listed_by_the_london_day_they_left(session: Session) -> None:
    org = factories.organisation(session)
    gone = factories.person(session, org, name="Long Gone")
    session.add(Evidence(worker_id=gone.id))
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): they left on 1 July.
    left_at(session, gone, dt.datetime(2019, 6, 30, 23, 30, tzinfo=dt.UTC))
    left_at(session, factories.person(session, org, name="Recent"), utcnow())
    factories.person(session, org, name="Still Here")

    assert retention_list(session, dt.date(2025, 7, 1), PERIODS) == []
    [item] = retention_list(session, dt.date(2025, 7, 2), PERIODS)
    assert (item.person, item.since, item.past_retention_from) == (
        "Long Gone",
        dt.date(2019, 7, 1),
        dt.date(2025, 7, 2),
    )
    assert "1 piece of evidence" in item.what


def test_old_audit_entries_and_sign_in_attempts_are_counted(session: Session) -> None:
    org = factories.organisation(session)
    factories.person(session, org)
    session.add(
        SignInAttempt(
            email="x@trust.example",
            address="192.0.2.9",
            attempted_at=utcnow() - dt.timedelta(days=100),
            succeeded=False,
        )
    )
    session.flush()
    mine = session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.organisation_id == org.id)
    )
    items = retention_list(session, today() + dt.timedelta(days=3653 + 3), PERIODS)
    audit = [item for item in items if item.organisation == org.name]
    assert [item.what.split(" recorded")[0] for item in audit] == [f"{mine} audit trail entries"]
    [attempts] = [item for item in items if item.what.startswith("1 sign-in attempt ")]
    assert attempts.setting == "PORTFOLIO_RETENTION_SIGN_IN_ATTEMPT_DAYS (90)"


@pytest.fixture
def cli_app(fresh_database_url: str, tmp_path: Path) -> Iterator[Flask]:
    migrations.upgrade(fresh_database_url)
    app = create_app(
        "testing", database_url=fresh_database_url, attachment_dir=str(tmp_path / "files")
    )
    yield app
    app.extensions["engine"].dispose()


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        session = get_session()
        return (
            session.scalar(select(func.count()).select_from(User)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


@pytest.mark.commits
def test_the_command_lists_and_writes_a_csv_and_deletes_nothing(
    cli_app: Flask, tmp_path: Path
) -> None:
    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    with cli_app.app_context():
        session = get_session()
        trainee = session.scalars(
            select(User).where(User.email == "trainee@northfield.example")
        ).one()
        deactivate(
            Auditor(session, key=get_settings(cli_app).audit_key_bytes, actor_id=None), trainee
        )
        session.commit()
    before = _counts(cli_app)

    now = runner.invoke(args=["retention", "list"])
    assert now.exit_code == 0, now.output
    assert "Nothing is past retention" in now.output

    later = (today() + dt.timedelta(days=6 * 366)).isoformat()
    path = tmp_path / "retention.csv"
    result = runner.invoke(args=["retention", "list", "--on", later, "--csv", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 past retention on" in result.output
    assert "Sophie Turner <trainee@northfield.example>, leaver's account and portfolio" in (
        result.output
    )
    assert "PORTFOLIO_RETENTION_LEAVER_YEARS (6)" in result.output
    text = path.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0] == (
        "Person,Email,Organisation,What,Since,Past retention from,Setting"
    )
    assert "Sophie Turner,trainee@northfield.example" in text
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert _counts(cli_app) == before

    nowhere = runner.invoke(
        args=["retention", "list", "--csv", str(tmp_path / "no-such-folder" / "r.csv")]
    )
    assert nowhere.exit_code != 0
    assert "no-such-folder/r.csv: cannot be written" in nowhere.output


def test_the_weekly_task_keeps_the_list_as_a_private_csv(app: Flask, session: Session) -> None:
    org = factories.organisation(session)
    gone = factories.person(session, org, name="Gone Long Ago")
    left_at(session, gone, utcnow() - dt.timedelta(days=7 * 366))
    queue = app.extensions["huey"]
    task = queue._registry.string_to_task("portfolio.jobs.housekeeping.retention_list")
    assert queue.execute(task()) >= 1
    path = Path(app.instance_path) / "retention" / f"retention-list-{today().isoformat()}.csv"
    try:
        assert "Gone Long Ago" in path.read_text(encoding="utf-8-sig")
        assert os.stat(path).st_mode & 0o777 == 0o600
        assert session.get(User, gone.id) is not None  # listed, not deleted
    finally:
        path.unlink()


def test_sign_in_attempts_are_pruned_after_the_days_set(
    app: Flask, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(retention_sign_in_attempt_days=7)
    )
    now = utcnow()
    for age in (8, 6):
        session.add(
            SignInAttempt(
                email=f"{age}@trust.example",
                address="192.0.2.1",
                attempted_at=now - dt.timedelta(days=age),
                succeeded=False,
            )
        )
    session.flush()
    queue = app.extensions["huey"]
    task = queue._registry.string_to_task("portfolio.jobs.housekeeping.prune_sign_in_attempts")
    assert queue.execute(task()) == 1
    assert session.scalars(select(SignInAttempt.email)).all() == ["6@trust.example"]
