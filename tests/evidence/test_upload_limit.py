"""An evidence form over the upload limit: the limits are said before upload, and a request
too large to read (413) brings the worker back to the form with the draft they were writing
and the limit on the file field; the API still answers problem details."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.api import services as api_services
from portfolio.api.models import TokenScope
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.evidence.attachments import JPEG, PDF, PNG, UploadLimit
from portfolio.evidence.models import Evidence, EvidenceDraft
from tests import factories

JSON = {"Accept": "application/json, application/problem+json"}
REQUEST_LIMIT = 300 * 1024
ATTACHMENT_LIMIT = 200 * 1024


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    return org, ward, supervisor, worker


@pytest.fixture
def limits(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small limits, so the test's request bodies stay small."""
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", REQUEST_LIMIT)
    monkeypatch.setitem(
        app.extensions,
        "settings",
        get_settings(app).changed(
            max_upload_bytes=REQUEST_LIMIT,
            attachment_max_bytes=ATTACHMENT_LIMIT,
            attachment_types=("application/pdf", "image/png"),
        ),
    )


def _fields(token: str, **data: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "kind": "reflective_account",
        "title": "Contrast reaction",
        "activity_on": "2025-06-01",
        "body": "Half a reflection about the contrast reaction, not finished yet.",
        "competency_codes": ["A-1"],
        **data,
    }


def _too_large() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"%PDF-" + b"x" * (REQUEST_LIMIT + 1024)), "certificate.pdf"


def test_an_upload_limit_says_the_largest_file_and_the_types() -> None:
    limit = UploadLimit(10 * 1024 * 1024, (PDF, PNG, JPEG))
    assert limit.hint == "PDF, PNG or JPEG, up to 10 MB"
    assert limit.accept == ".pdf,.png,.jpg,.jpeg"
    assert limit.too_large == "The selected file must be smaller than 10 MB"
    assert UploadLimit(200 * 1024, (PNG,)).hint == "PNG, up to 200 KB"


@pytest.mark.usefixtures("limits")
def test_the_file_hints_say_the_limits_from_the_settings(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    page = client.get("/evidence/new").get_data(as_text=True)
    assert "PDF or PNG, up to 200 KB" in page
    assert 'accept=".pdf,.png"' in page
    assert f'data-max-bytes="{ATTACHMENT_LIMIT}"' in page
    assert 'data-too-large="The selected file must be smaller than 200 KB"' in page
    assert "/assets/upload-limit.js" in page

    evidence = factories.evidence(session, worker)
    page = client.get(f"/evidence/{evidence.id}").get_data(as_text=True)
    assert "PDF or PNG, up to 200 KB" in page
    assert f'data-max-bytes="{ATTACHMENT_LIMIT}"' in page
    assert "/assets/upload-limit.js" in page


def test_the_largest_file_is_the_request_limit_when_that_is_lower(
    app: Flask,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        app.extensions,
        "settings",
        get_settings(app).changed(max_upload_bytes=5 * 1024 * 1024),
    )
    factories.sign_in(client, world[3])
    page = client.get("/evidence/new").get_data(as_text=True)
    assert "PDF, PNG or JPEG, up to 5 MB" in page
    assert f'data-max-bytes="{5 * 1024 * 1024}"' in page


@pytest.mark.usefixtures("limits")
def test_a_form_too_large_to_read_comes_back_with_the_draft_and_the_limit(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    # What evidence-draft.js saves just before it sends a form with a file.
    saved = client.post("/evidence/drafts", data=_fields(token), headers=JSON)
    assert saved.status_code == 200

    response = client.post(
        "/evidence/new",
        data=_fields(token, file=_too_large()),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/evidence/new"

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = factories.page_text(page)
    assert '<form method="post" enctype="multipart/form-data"' in html
    assert 'id="file-error"' in html
    assert "nhsuk-form-group--error" in html
    assert "The selected file must be smaller than 200 KB" in text
    assert 'value="Contrast reaction"' in html
    assert "Half a reflection about the contrast reaction, not finished yet." in html
    assert "too large to send, so nothing was saved" in text
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert session.scalar(select(func.count()).select_from(EvidenceDraft)) == 1

    # Said once: the form shown again is the draft without the error.
    again = client.get("/evidence/new").get_data(as_text=True)
    assert 'id="file-error"' not in again
    assert 'value="Contrast reaction"' in again


@pytest.mark.usefixtures("limits")
def test_a_change_too_large_to_read_comes_back_to_the_change_form(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    evidence = factories.evidence(session, worker, title="Manual handling")
    factories.sign_in(client, worker)
    path = f"/evidence/{evidence.id}/edit"
    token = factories.csrf_token(client, path)
    response = client.post(
        path,
        data=_fields(token, title="Manual handling, corrected", file=_too_large()),
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.request.path == path
    assert "The selected file must be smaller than 200 KB" in factories.page_text(response)
    # No draft was saved (no JavaScript): the form holds the evidence as saved, and says so.
    assert 'value="Manual handling"' in html
    assert "what you typed could not be read" in factories.page_text(response)


@pytest.mark.usefixtures("limits")
def test_an_attachment_too_large_to_read_comes_back_to_the_evidence(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    evidence = factories.evidence(session, worker)
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, f"/evidence/{evidence.id}")
    response = client.post(
        f"/evidence/{evidence.id}/attachments",
        data={"csrf_token": token, "file": _too_large()},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert response.request.path == f"/evidence/{evidence.id}"
    assert "The selected file must be smaller than 200 KB" in factories.page_text(response)
    assert 'id="file-error"' in response.get_data(as_text=True)


@pytest.mark.usefixtures("limits")
def test_an_autosave_too_large_to_read_is_still_problem_details(
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    response = client.post(
        "/evidence/drafts",
        data=_fields(token, body="x" * (REQUEST_LIMIT + 1)),
        headers=JSON,
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


@pytest.mark.usefixtures("limits")
def test_the_api_answers_a_request_too_large_to_read_with_problem_details(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    _, secret = api_services.create_token(
        factories.auditor(session, worker),
        worker,
        name="Test",
        scope=TokenScope.READ_WRITE,
        expires_on=today() + dt.timedelta(days=30),
        today=today(),
        max_days=365,
        created_by=worker,
    )
    session.flush()
    response = client.post(
        "/api/v1/evidence",
        data=_fields("", file=_too_large()),
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert json.loads(response.get_data(as_text=True))["status"] == 413
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0


@pytest.mark.usefixtures("limits")
def test_a_change_too_large_to_read_to_someone_elses_evidence_is_no_way_in(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    org, ward, _, worker = world
    other = factories.person(session, org, department=ward)
    evidence = factories.evidence(session, other)
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    response = client.post(
        f"/evidence/{evidence.id}/edit",
        data=_fields(token, file=_too_large()),
        content_type="multipart/form-data",
    )
    assert response.status_code == 413  # the ordinary error page: no redirect to their form
    assert "Location" not in response.headers
