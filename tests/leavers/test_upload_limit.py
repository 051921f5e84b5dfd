"""The import page's larger upload limit is for the administrators who may import, signed in:
anyone else's large upload is refused at the ordinary limit before it is read."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from tests import factories

ORDINARY = 2_000
ARCHIVE = 1_000_000


@pytest.fixture
def limits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", ORDINARY)
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(archive_max_bytes=ARCHIVE)
    )


def _large_upload(client: FlaskClient, csrf_token: str = "") -> int:
    response = client.post(
        "/people/import-portfolio",
        data={
            "csrf_token": csrf_token,
            "email": "someone@example.org",
            "file": (io.BytesIO(b"x" * (ORDINARY * 5)), "portfolio.zip"),
        },
        content_type="multipart/form-data",
    )
    return response.status_code


@pytest.mark.usefixtures("limits")
def test_an_anonymous_large_upload_is_refused_as_too_large(client: FlaskClient) -> None:
    assert _large_upload(client) == 413


@pytest.mark.usefixtures("limits")
@pytest.mark.parametrize("role", [AccountRole.SUPPORT_WORKER, AccountRole.EDUCATOR])
def test_a_large_upload_by_someone_who_may_not_import_is_refused_as_too_large(
    session: Session, client: FlaskClient, role: AccountRole
) -> None:
    someone = factories.person(session, factories.organisation(session), role)
    factories.sign_in(client, someone)
    assert _large_upload(client, factories.csrf_token(client, "/account")) == 413


@pytest.mark.usefixtures("limits")
def test_an_administrator_may_upload_a_whole_portfolio(
    session: Session, client: FlaskClient
) -> None:
    admin = factories.person(session, factories.organisation(session), AccountRole.ADMIN)
    factories.sign_in(client, admin)
    token = factories.csrf_token(client, "/people/import-portfolio")
    assert _large_upload(client, token) == 200  # read, and refused as no export on the form
