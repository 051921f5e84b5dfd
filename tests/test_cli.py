"""The command line: users, demo data, and refusals that name what is wrong."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from portfolio import create_app, demo, migrations
from portfolio.people.models import User

pytestmark = pytest.mark.commits


@pytest.fixture
def cli_app(fresh_database_url: str) -> Iterator[Flask]:
    migrations.upgrade(fresh_database_url)
    app = create_app("testing", database_url=fresh_database_url)
    yield app
    app.extensions["engine"].dispose()


def test_users_create_adds_a_person_who_can_sign_in(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Lead@Trust.example",
            "--name",
            "Lead Educator",
            "--role",
            "educator",
            "--role",
            "supervisor",
            "--organisation",
            "CLI Trust",
            "--nation",
            "scotland",
        ],
        input="a-long-enough-password\na-long-enough-password\n",
    )
    assert result.exit_code == 0, result.output
    client = cli_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/sign-in",
        data={
            "email": "lead@trust.example",
            "password": "a-long-enough-password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302


def test_users_create_refuses_a_weak_password_and_names_the_option(cli_app: Flask) -> None:
    result = cli_app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@trust.example",
            "--name",
            "A",
            "--role",
            "admin",
            "--organisation",
            "T",
            "--nation",
            "wales",
            "--password",
            "short",
        ],
    )
    assert result.exit_code != 0
    assert "--password" in result.output


def test_demo_load_is_idempotent_and_lists_the_sign_ins(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])
    assert first.exit_code == second.exit_code == 0
    assert "already loaded" in second.output
    assert demo.PASSWORD in first.output
    with cli_app.app_context():
        from portfolio.db import get_session

        emails = set(get_session().scalars(select(User.email)))
    assert emails == {person.email for person in demo.PEOPLE}


def test_make_run_lists_the_demo_sign_ins_once(cli_app: Flask) -> None:
    """`make run` loads the demo, then serves (scripts/serve), which lists the sign-ins: the
    load itself, as the Makefile runs it, lists none."""
    root = Path(__file__).resolve().parent.parent
    makefile = (root / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    [load] = [line for line in recipe.splitlines() if "demo load" in line]
    args = shlex.split(load.split("$(FLASK)", 1)[1])
    printed = cli_app.test_cli_runner().invoke(args=args)
    assert printed.exit_code == 0, printed.output
    serve = (root / "scripts" / "serve").read_text()
    listings = printed.output.count("Demo sign-ins") + serve.count("demo sign-ins")
    assert listings == 1


def test_demo_load_is_refused_in_production(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTFOLIO_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTFOLIO_AUDIT_KEY", "y" * 40)
    monkeypatch.setenv("PORTFOLIO_BASE_URL", "https://portfolio.trust.example")
    monkeypatch.setenv("PORTFOLIO_DATABASE_URL", fresh_database_url)
    app = create_app("production")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    app.extensions["engine"].dispose()
    assert result.exit_code != 0
    assert "refused under the production configuration" in result.output
