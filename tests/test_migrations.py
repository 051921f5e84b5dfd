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
    from portfolio.cli import cli_auditor
    from portfolio.db import get_session
    from portfolio.people.models import User

    migrations.upgrade(fresh_database_url)
    app = create_app("testing", DATABASE_URL=fresh_database_url)
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
