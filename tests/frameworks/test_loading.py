"""Loading: all or nothing, idempotent row for row, and published versions never change."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import create_app, migrations
from portfolio.frameworks import loading, queries
from portfolio.frameworks.files import FrameworkFilesError, discover, read_set
from portfolio.frameworks.models import (
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    Pathway,
    Qualification,
    Scope,
)
from tests import factories

MINIMAL = Path(__file__).parent / "fixtures" / "minimal"
TABLES = (Framework, FrameworkVersion, FrameworkSource, Competency, Scope, Qualification, Pathway)


def every_row(session: Session) -> dict[str, list[str]]:
    return {
        model.__tablename__: sorted(
            json.dumps(list(row), default=str)
            for row in session.execute(select(*model.__table__.columns))
        )
        for model in TABLES
    }


def _load(session: Session, folder: Path) -> list[loading.LoadResult]:
    return loading.load(factories.auditor(session), read_set(discover(folder), folder))


def test_loading_twice_leaves_every_row_unchanged(session: Session) -> None:
    first = _load(session, MINIMAL)
    assert [result.outcome for result in first] == [loading.Outcome.LOADED]
    before = every_row(session)
    assert before["competencies"]
    second = _load(session, MINIMAL)
    assert [result.outcome for result in second] == [loading.Outcome.UNCHANGED]
    assert every_row(session) == before


def test_a_changed_file_with_the_same_version_is_refused(session: Session, tmp_path: Path) -> None:
    _load(session, MINIMAL)
    before = every_row(session)
    changed = (MINIMAL / "sample.yaml").read_text().replace("title: Thing one", "title: Thing 1")
    (tmp_path / "sample.yaml").write_text(changed)
    with pytest.raises(FrameworkFilesError) as caught:
        _load(session, tmp_path)
    [error] = caught.value.errors
    assert error.field == "version"
    assert "already loaded with different content" in error.message
    assert every_row(session) == before


def test_layout_and_comments_alone_are_not_a_change(session: Session, tmp_path: Path) -> None:
    _load(session, MINIMAL)
    text = "# a comment\n" + (MINIMAL / "sample.yaml").read_text().replace(": ", ":   ")
    (tmp_path / "sample.yaml").write_text(text)
    assert [r.outcome for r in _load(session, tmp_path)] == [loading.Outcome.UNCHANGED]


def test_a_new_version_is_kept_beside_the_old_and_becomes_current(
    session: Session, tmp_path: Path
) -> None:
    _load(session, MINIMAL)
    text = (
        (MINIMAL / "sample.yaml")
        .read_text()
        .replace('version: "1"', 'version: "2"')
        .replace("title: Thing one", "title: Thing one, revised")
    )
    (tmp_path / "sample.yaml").write_text(text)
    _load(session, tmp_path)
    summaries = [item for item in queries.versions(session) if item.framework_code == "sample"]
    assert [(item.version, item.is_current) for item in summaries] == [("2", True), ("1", False)]
    assert queries.framework(session, "sample", "1").competencies[0].title == "Thing one"  # type: ignore[union-attr]
    assert queries.current_competencies(session)["A-1"].title == "Thing one, revised"
    # The stable code carries forward from one version to the next.
    assert queries.current_competencies(session)["A-1"].version == "2"


def test_a_set_with_one_bad_file_loads_nothing(session: Session, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text((MINIMAL / "sample.yaml").read_text())
    bad = (
        (MINIMAL / "sample.yaml")
        .read_text()
        .replace("code: sample", "code: other")
        .replace("- code: A-1", "- code: B-1")
        .replace("- code: CANN", "- code: CANN2")
        .replace("[CANN]", "[NOPE]")
    )
    (tmp_path / "other.yaml").write_text(bad)
    with pytest.raises(FrameworkFilesError):
        _load(session, tmp_path)
    assert every_row(session)["frameworks"] == []


@pytest.fixture
def cli_app(fresh_database_url: str) -> Iterator[Flask]:
    migrations.upgrade(fresh_database_url)
    app = create_app("testing", database_url=fresh_database_url)
    yield app
    app.extensions["engine"].dispose()


@pytest.mark.commits
def test_the_commands_validate_load_and_name_what_is_wrong(cli_app: Flask, tmp_path: Path) -> None:
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["frameworks", "validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "sample version 1 is valid" in result.output

    broken = tmp_path / "broken.yaml"
    broken.write_text((MINIMAL / "sample.yaml").read_text().replace("    title: Cannulation\n", ""))
    result = runner.invoke(args=["frameworks", "load", str(broken)])
    assert result.exit_code != 0
    assert "broken.yaml" in result.output
    assert "competency CANN: field title: is required" in result.output
    assert "nothing loaded" in result.output

    assert runner.invoke(args=["frameworks", "load", str(MINIMAL)]).exit_code == 0
    again = runner.invoke(args=["frameworks", "load", str(MINIMAL)])
    assert again.exit_code == 0
    assert "unchanged" in again.output


@pytest.mark.commits
def test_the_shipped_frameworks_are_valid_and_load(cli_app: Flask) -> None:
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["frameworks", "load"])
    assert result.exit_code == 0, result.output
    assert "care-certificate" in result.output
    assert "imaging-support" in result.output
