"""The two engines behave the same where it matters."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from portfolio.core.db import UTCDateTime
from tests.support.databases import ENGINE


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite settings")
def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(session: Session) -> None:
    assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert session.execute(text("PRAGMA busy_timeout")).scalar() == 10000


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite settings")
def test_sqlite_transactions_take_the_write_lock_when_they_begin(
    database_url: str, session: Session
) -> None:
    import sqlite3

    session.execute(text("SELECT 1"))  # our transaction has begun, and written nothing
    # Another writer cannot start while ours is open, even though ours has not written yet:
    # that is BEGIN IMMEDIATE (a deferred BEGIN would only lock at its first write).
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0.05)
    other.isolation_level = None
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(dt.datetime(2026, 3, 3, 12, 0), None)  # type: ignore[arg-type]  # noqa: DTZ001


def test_datetimes_are_stored_as_utc_and_come_back_aware(session: Session) -> None:
    from portfolio.core.clock import LOCAL_ZONE
    from portfolio.core.roles import Nation
    from portfolio.people.models import Organisation

    # 23:30 on 3 March... in summer time, 23:30 on 3 July in London is 22:30 UTC.
    evening = dt.datetime(2026, 7, 3, 23, 30, tzinfo=LOCAL_ZONE)
    organisation = Organisation(name="Clock Trust", nation=Nation.WALES, created_at=evening)
    session.add(organisation)
    session.flush()
    session.expire_all()
    stored = session.get_one(Organisation, organisation.id).created_at
    assert stored == evening
    assert stored.utcoffset() == dt.timedelta(0)
    assert (stored.hour, stored.minute) == (22, 30)


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite settings")
def test_read_only_requests_leave_the_write_lock_free(database_url: str, app) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    from portfolio.db import reading_only

    with reading_only():
        reader = app.extensions["sessionmaker"]()
        reader.execute(text("SELECT count(*) FROM users"))  # a read transaction is open
        other = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0.05)
        other.isolation_level = None
        try:
            other.execute("BEGIN IMMEDIATE")  # a writer is not blocked by the reader
            other.execute("ROLLBACK")
        finally:
            other.close()
            reader.close()
