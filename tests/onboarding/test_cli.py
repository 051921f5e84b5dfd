"""`flask --app portfolio people import`: the same checks as the pages, problems printed as
file:line: column: message, exit 1 and nothing written; the shipped example imports into the
demo trust."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portfolio import create_app, demo, migrations
from portfolio.audit.models import AuditEntry
from portfolio.people.models import Appointment, User
from tests.onboarding.staff_files import staff_csv

pytestmark = pytest.mark.commits

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "onboarding-example.csv"


@pytest.fixture
def demo_app(fresh_database_url: str) -> Iterator[Flask]:
    migrations.upgrade(fresh_database_url)
    app = create_app("testing", database_url=fresh_database_url)
    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    yield app
    app.extensions["engine"].dispose()


def _counts(app: Flask) -> tuple[int, int, int]:
    from portfolio.db import get_session

    with app.app_context():
        session = get_session()
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (User, Appointment, AuditEntry)
        )


def test_the_example_file_checks_then_imports_into_the_demo_trust_once(demo_app: Flask) -> None:
    runner = demo_app.test_cli_runner()
    before = _counts(demo_app)
    dry = runner.invoke(args=["people", "import", str(EXAMPLE), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: would add 6, update 0, leave 0 unchanged. Nothing imported." in dry.output
    assert f"{EXAMPLE}:2: alex.rivers@northfield.example: create" in dry.output
    assert _counts(demo_app) == before

    done = runner.invoke(
        args=["people", "import", str(EXAMPLE), "--organisation", demo.ORGANISATION]
    )
    assert done.exit_code == 0, done.output
    assert "6 added, 0 updated, 0 unchanged" in done.output
    assert "No invitations sent (PORTFOLIO_SMTP_HOST is not set" in done.output
    users, appointments, _ = _counts(demo_app)
    assert (users, appointments) == (before[0] + 6, before[1] + 6)

    again = runner.invoke(args=["people", "import", str(EXAMPLE)])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 6 unchanged" in again.output
    assert _counts(demo_app)[:2] == (users, appointments)


def test_problems_are_printed_by_file_line_and_column_and_nothing_is_written(
    demo_app: Flask, tmp_path: Path
) -> None:
    lines = EXAMPLE.read_bytes().decode().splitlines()
    lines[2] = lines[2].replace("bea.okoro@northfield.example", "bea.okoro")
    lines[4] = lines[4].replace("2025-09-01", "1/9/2025")
    lines[6] = lines[6].replace("radiographer@northfield.example", "educator@northfield.example")
    bad = tmp_path / "staff.csv"
    bad.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    before = _counts(demo_app)
    result = demo_app.test_cli_runner().invoke(args=["people", "import", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{bad}:3: Email: Enter an email address in the correct format, like name@nhs.net",
        f"{bad}:5: Start date: Enter the date as YYYY-MM-DD, like 2025-09-01 (in Excel: "
        "Format Cells, Custom, yyyy-mm-dd)",
        f"{bad}:7: Supervisor: Priya Patel cannot supervise: give them the supervisor account "
        "role (or reactivate them) first, or name another supervisor",
        "Error: 3 problem(s) found; nothing imported",
    ]
    assert _counts(demo_app) == before


def test_an_unreadable_file_or_unknown_organisation_is_refused_by_name(
    demo_app: Flask, tmp_path: Path
) -> None:
    workbook = tmp_path / "staff.xlsx"
    workbook.write_bytes(b"PK\x03\x04 a workbook")
    runner = demo_app.test_cli_runner()
    result = runner.invoke(args=["people", "import", str(workbook)])
    assert result.exit_code == 1
    assert f"{workbook}: The file is an Excel workbook" in result.stderr
    good = tmp_path / "good.csv"
    good.write_bytes(staff_csv([]))
    result = runner.invoke(args=["people", "import", str(good), "--organisation", "Nowhere"])
    assert result.exit_code == 2
    assert "no organisation called 'Nowhere'" in result.stderr
