"""A correction to evidence a decision has considered: a new version that may change the
kind and carries the files forward, while the considered version keeps its own."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import EvidenceKind, EvidenceVersion
from tests import factories


@pytest.fixture(scope="module")
def certificate() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Moving and handling certificate</p>").write_pdf()  # type: ignore[no-any-return]


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    return org, ward, supervisor, worker


def _form(token: str, **data: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "kind": "certificate",
        "title": "Moving and handling",
        "activity_on": "2025-06-01",
        "body": "Attended the annual update.",
        "competency_codes": ["A-1"],
        **data,
    }


def _considered_evidence_with_a_file(
    session: Session, client: FlaskClient, certificate: bytes
) -> tuple[str, str]:
    """Logs evidence with a file, then freezes it as a decision would. Returns its address
    and the CSRF token."""
    token = factories.csrf_token(client, "/evidence/new")
    response = client.post(
        "/evidence/new",
        data=_form(token, file=(io.BytesIO(certificate), "certificate.pdf")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    version = session.scalars(select(EvidenceVersion)).one()
    version.frozen = True
    session.flush()
    return response.headers["Location"], token


def _correct(client: FlaskClient, location: str, token: str) -> None:
    response = client.post(
        f"{location}/edit",
        data=_form(token, kind="training_record", title="Moving and handling (corrected)"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def _stored_files(app: Flask) -> list[Path]:
    root = Path(app.instance_path) / "attachments"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_correction_keeps_the_files_and_the_considered_version_keeps_its_own(
    app: Flask,
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    certificate: bytes,
) -> None:
    factories.sign_in(client, world[3])
    location, token = _considered_evidence_with_a_file(session, client, certificate)
    stored = _stored_files(app)
    _correct(client, location, token)

    first, second = session.scalars(select(EvidenceVersion).order_by(EvidenceVersion.number))
    assert (first.kind, second.kind) == (EvidenceKind.CERTIFICATE, EvidenceKind.TRAINING_RECORD)
    [kept], [carried] = first.attachments, second.attachments
    assert carried.id != kept.id
    assert (carried.sha256, carried.media_type, carried.filename, carried.size) == (
        kept.sha256,
        kept.media_type,
        kept.filename,
        kept.size,
    )
    assert _stored_files(app) == stored  # stored by content: nothing copied on disk

    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "evidence.corrected")
    ).one()
    assert json.loads(entry.changes)["attachments_carried"] == 1

    latest = client.get(location).get_data(as_text=True)
    assert f"/attachments/{carried.id}" in latest
    assert f"/attachments/{kept.id}" not in latest
    assert "Training record ·" in latest
    old = client.get(f"{location}?version=1").get_data(as_text=True)
    assert f"/attachments/{kept.id}" in old
    assert f"/attachments/{carried.id}" not in old
    assert "Certificate ·" in old  # the kind the decision saw
    listed = factories.page_text(client.get(f"/people/{world[3].id}/evidence"))
    assert "Moving and handling (corrected) (version 2) Training record" in listed


def test_a_carried_file_is_served_only_to_those_allowed(
    session: Session,
    new_client: Callable[[], FlaskClient],
    world,  # type: ignore[no-untyped-def]
    certificate: bytes,
) -> None:
    org, ward, supervisor, worker = world
    owner = new_client()
    factories.sign_in(owner, worker)
    location, token = _considered_evidence_with_a_file(session, owner, certificate)
    _correct(owner, location, token)
    carried = (
        session.scalars(select(EvidenceVersion).where(EvidenceVersion.number == 2))
        .one()
        .attachments[0]
    )
    url = f"{location}/attachments/{carried.id}"

    download = owner.get(url)
    assert download.status_code == 200
    assert download.data == certificate
    assert download.headers["Content-Disposition"].startswith("attachment")

    elsewhere = factories.organisation(session)
    callers = [
        (supervisor, 200),
        (factories.person(session, org, department=ward), 404),  # another worker
        (factories.person(session, elsewhere, AccountRole.ADMIN), 404),  # another trust
    ]
    for person, status in callers:
        browser = new_client()
        factories.sign_in(browser, person)
        assert browser.get(url).status_code == status

    other_location = owner.post(
        "/evidence/new", data=_form(token, title="Another"), content_type="multipart/form-data"
    ).headers["Location"]
    assert owner.get(f"{other_location}/attachments/{carried.id}").status_code == 404


def test_files_added_to_the_correction_leave_the_considered_version_alone(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    certificate: bytes,
) -> None:
    from weasyprint import HTML

    factories.sign_in(client, world[3])
    location, token = _considered_evidence_with_a_file(session, client, certificate)
    refused = client.post(
        f"{location}/attachments",
        data={"csrf_token": token, "file": (io.BytesIO(certificate), "again.pdf")},
        content_type="multipart/form-data",
    )
    assert "make a correction to add files" in factories.page_text(refused)
    _correct(client, location, token)
    response = client.post(
        f"{location}/attachments",
        data={
            "csrf_token": token,
            "file": (io.BytesIO(HTML(string="<p>Sign-in sheet</p>").write_pdf()), "sheet.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    first, second = session.scalars(select(EvidenceVersion).order_by(EvidenceVersion.number))
    session.refresh(first)
    session.refresh(second)
    assert [item.filename for item in first.attachments] == ["certificate.pdf"]
    assert [item.filename for item in second.attachments] == ["certificate.pdf", "sheet.pdf"]
