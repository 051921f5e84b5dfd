"""The schema comes only from the migrations, on both engines."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from portfolio import migrations
from portfolio.db import make_engine

pytestmark = pytest.mark.commits


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_to_head_matches_the_models(fresh_database_url: str) -> None:
    migrations.upgrade(fresh_database_url)
    assert {"users", "audit_entries", "audit_heads", "appointments"} <= _tables(fresh_database_url)
    migrations.check(fresh_database_url)  # raises if models and migrations disagree


def test_each_revision_goes_up_down_and_up_again(fresh_database_url: str) -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(fresh_database_url))
    revisions = list(reversed(list(script.walk_revisions())))
    assert revisions, "no migrations found"
    for revision in revisions:
        migrations.upgrade(fresh_database_url, revision.revision)
        migrations.downgrade(fresh_database_url, revision.down_revision or "base")
        migrations.upgrade(fresh_database_url, revision.revision)
    migrations.check(fresh_database_url)
    migrations.downgrade(fresh_database_url, "base")
    assert _tables(fresh_database_url) == set()


def test_migrations_go_down_and_up_on_a_database_full_of_data(fresh_database_url: str) -> None:
    from sqlalchemy import func, select

    from portfolio import create_app, demo
    from portfolio.commands import cli_auditor
    from portfolio.db import get_session
    from portfolio.people.models import User

    migrations.upgrade(fresh_database_url)
    app = create_app("testing", database_url=fresh_database_url)
    with app.app_context():
        demo.load(cli_auditor())
        get_session().commit()
    script = ScriptDirectory.from_config(migrations.alembic_config(fresh_database_url))
    first = list(script.walk_revisions())[-1].revision
    migrations.downgrade(fresh_database_url, first)
    migrations.upgrade(fresh_database_url)
    migrations.check(fresh_database_url)
    with app.app_context():
        assert get_session().scalar(select(func.count()).select_from(User)) == len(demo.PEOPLE)
    app.extensions["engine"].dispose()


def test_overrides_already_open_twice_keep_the_newest_open(fresh_database_url: str) -> None:
    """From before the database kept one open: the newest stays waiting (the one the pages
    showed), the older are closed on the day it was made."""
    import datetime as dt

    from sqlalchemy import insert, select
    from sqlalchemy.orm import sessionmaker

    from portfolio.signoff.models import MinimumOverride
    from tests import factories

    url = fresh_database_url
    migrations.upgrade(url)
    engine = make_engine(url)
    try:
        with sessionmaker(bind=engine)() as session:
            org = factories.organisation(session)
            worker = factories.person(session, org).id
            educator = factories.person(session, org).id
            session.commit()
        script = ScriptDirectory.from_config(migrations.alembic_config(url))
        before = script.get_revision("e4a8c1f7b2d6").down_revision
        assert isinstance(before, str)
        migrations.downgrade(url, before)
        rows = [
            ("CANN", dt.date(2026, 3, 1)),
            ("CANN", dt.date(2026, 3, 4)),
            ("CANN", dt.date(2026, 3, 9)),
            ("A-1", dt.date(2026, 3, 2)),
        ]
        with engine.begin() as connection:
            for code, made_on in rows:
                connection.execute(
                    insert(MinimumOverride.__table__).values(
                        worker_id=worker,
                        competency_code=code,
                        procedures_required=5,
                        procedures_confirmed=3,
                        reason="Experienced",
                        overridden_by_id=educator,
                        overridden_by_name="Pat Educator",
                        recorded_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
                        recorded_on=made_on,
                    )
                )
        migrations.upgrade(url)
        with engine.connect() as connection:
            found = connection.execute(
                select(
                    MinimumOverride.competency_code,
                    MinimumOverride.recorded_on,
                    MinimumOverride.closed_on,
                ).order_by(MinimumOverride.id)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in found] == [
        ("CANN", dt.date(2026, 3, 1), dt.date(2026, 3, 9)),
        ("CANN", dt.date(2026, 3, 4), dt.date(2026, 3, 9)),
        ("CANN", dt.date(2026, 3, 9), None),
        ("A-1", dt.date(2026, 3, 2), None),
    ]
