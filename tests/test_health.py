"""/health: for load balancers, with no sign-in; 503 naming the check that failed and nothing
else (no paths, no error text); never touches a session."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from portfolio.audit.models import AuditEntry
from portfolio.core.settings import get_settings
from portfolio.db import make_engine
from tests import factories


def test_all_checks_pass(client: FlaskClient, session: Session, app: Flask) -> None:
    entries = session.scalars(select(AuditEntry.id)).all()
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "attachments": "ok"}}
    assert "Set-Cookie" not in response.headers
    assert session.scalars(select(AuditEntry.id)).all() == entries  # nothing audited
    root = Path(app.instance_path) / "attachments"
    assert not list(root.glob(".health-*"))  # the probe file is gone


def test_a_signed_in_browser_asking_gets_no_cookie(client: FlaskClient, session: Session) -> None:
    """The idle timeout is neither refreshed nor written by a health check."""
    person = factories.person(session, factories.organisation(session))
    factories.sign_in(client, person)
    response = client.get("/health")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    "broken",
    [
        "missing",  # not there (an unmounted volume)
        "a-file",  # a file where the folder should be
        "/proc",  # a folder no one can write to, even root
    ],
)
def test_an_unusable_attachment_store_answers_503(
    client: FlaskClient,
    app: Flask,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    broken: str,
) -> None:
    folder = tmp_path / broken if not broken.startswith("/") else Path(broken)
    if broken == "a-file":
        folder.write_text("not a folder")
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(attachment_dir=str(folder))
    )
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json == {
        "status": "fail",
        "checks": {"database": "ok", "attachments": "fail"},
    }
    assert str(folder) not in response.get_data(as_text=True)


def test_a_database_that_does_not_answer_gives_503(
    client: FlaskClient, app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unreachable = make_engine(f"sqlite:///{tmp_path}/no-such-folder/portfolio.db")
    monkeypatch.setitem(app.extensions, "sessionmaker", sessionmaker(bind=unreachable))
    response = client.get("/health")
    unreachable.dispose()
    assert response.status_code == 503
    assert response.json == {
        "status": "fail",
        "checks": {"database": "fail", "attachments": "ok"},
    }
    body = response.get_data(as_text=True)
    assert "no-such-folder" not in body
    assert "sqlite" not in body.lower()
