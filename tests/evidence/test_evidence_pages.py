"""A support worker logs evidence and procedures; witnesses confirm as themselves."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.evidence.models import Attachment, Evidence, EvidenceVersion, ProcedureLine
from tests import factories


@pytest.fixture(scope="module")
def certificate() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Aseptic technique certificate</p>").write_pdf()  # type: ignore[no-any-return]


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    return org, ward, supervisor, worker


def _files(app: Flask) -> list[Path]:
    root = Path(app.instance_path) / "attachments"
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _post_evidence(client: FlaskClient, token: str, **data: object):  # type: ignore[no-untyped-def]
    fields = {
        "csrf_token": token,
        "kind": "reflective_account",
        "title": "Hand hygiene audit",
        "activity_on": "2025-06-01",
        "body": "What I did and learned.",
        "competency_codes": ["A-1"],
        **data,
    }
    return client.post("/evidence/new", data=fields, content_type="multipart/form-data")


def test_evidence_with_an_attachment_is_saved_and_downloaded_safely(
    app: Flask,
    session: Session,
    client: FlaskClient,
    world,
    certificate: bytes,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    response = _post_evidence(
        client,
        token,
        body="I cleaned the **coil**.",
        file=(io.BytesIO(certificate), "certificate.pdf"),
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>coil</strong>" in page
    attachment = session.scalars(select(Attachment)).one()
    download = client.get(f"{response.headers['Location']}/attachments/{attachment.id}")
    assert download.status_code == 200
    assert download.data == certificate
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "certificate.pdf", "not a real PDF"),
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>", "certificate.pdf", "not a real PDF"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "diagram.svg", "must be a"),
        (b"%PDF-" + b"x" * (200 * 1024), "huge.pdf", "smaller than 100 KB"),
    ],
)
def test_a_refused_upload_saves_nothing_at_all(
    app: Flask,
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    content: bytes,
    name: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The limit is a setting; a small one keeps the test's request body in memory.
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(attachment_max_bytes=100 * 1024)
    )
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    before = _files(app)
    response = _post_evidence(client, token, file=(io.BytesIO(content), name))
    page = factories.page_text(response)
    assert response.status_code == 200
    assert message in page
    assert 'value="Hand hygiene audit"' in response.get_data(as_text=True)  # nothing typed is lost
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert _files(app) == before


def test_a_pdf_holding_an_nhs_number_is_refused(
    app: Flask,
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    from weasyprint import HTML

    with_number = HTML(string="<p>Patient NHS number 943 476 5919</p>").write_pdf()
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    before = _files(app)  # the store outlives each test's rolled-back transaction
    response = _post_evidence(client, token, file=(io.BytesIO(with_number), "scan.pdf"))
    assert "943 476 5919" in factories.page_text(response)
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert _files(app) == before


def test_an_nhs_number_in_the_text_is_refused_and_highlighted(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    response = _post_evidence(client, token, body="Checked NHS no 943 476 5919 with the patient.")
    html_page = response.get_data(as_text=True)
    assert '<mark class="app-identifier">943 476 5919</mark>' in html_page
    assert "Checked NHS no 943 476 5919 with the patient." in factories.page_text(response)
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0


def test_a_bare_number_that_passes_the_check_needs_confirming(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    first = _post_evidence(client, token, title="Stock order 9434765919")
    assert first.status_code == 200
    assert "9434765919 is not a patient identifier" in factories.page_text(first)
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    confirmed = _post_evidence(
        client, token, title="Stock order 9434765919", confirmed=["9434765919"]
    )
    assert confirmed.status_code == 302


def test_another_workers_evidence_and_files_are_not_found(
    session: Session,
    new_client,
    world,
    certificate: bytes,  # type: ignore[no-untyped-def]
) -> None:
    org, ward, _, worker = world
    other = factories.person(session, org, department=ward)
    owner_client = new_client()
    factories.sign_in(owner_client, worker)
    token = factories.csrf_token(owner_client, "/evidence/new")
    location = _post_evidence(owner_client, token, file=(io.BytesIO(certificate), "c.pdf")).headers[
        "Location"
    ]
    attachment = session.scalars(select(Attachment)).one()
    snoop = new_client()
    factories.sign_in(snoop, other)
    assert snoop.get(location).status_code == 404
    assert snoop.get(f"{location}/attachments/{attachment.id}").status_code == 404
    assert snoop.get(f"{location}/edit").status_code == 404


def test_a_correction_to_considered_evidence_keeps_the_old_version(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    location = _post_evidence(client, token).headers["Location"]
    version = session.scalars(select(EvidenceVersion)).one()
    version.frozen = True  # as a decision does when it considers evidence
    session.flush()
    response = client.post(
        f"{location}/edit",
        data={
            "csrf_token": token,
            "kind": "reflective_account",
            "title": "Hand hygiene audit (corrected)",
            "activity_on": "2025-06-01",
            "body": "Corrected.",
            "competency_codes": ["A-1"],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    titles = session.scalars(select(EvidenceVersion.title).order_by(EvidenceVersion.number)).all()
    assert titles == ["Hand hygiene audit", "Hand hygiene audit (corrected)"]
    assert "Version 1" in factories.page_text(client.get(location))


def test_a_procedure_counts_only_when_its_witness_confirms_with_their_own_password(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    org, ward, supervisor, _ = world
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    from portfolio.core.roles import JobRole
    from portfolio.people.models import Appointment

    session.scalars(
        select(Appointment).where(Appointment.user_id == worker.id)
    ).one().job_role = JobRole.SCSW
    session.flush()
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/procedures/new")
    response = client.post(
        "/procedures/new",
        data={
            "csrf_token": token,
            "competency_code": "CANN",
            "performed_on": "2025-06-01",
            "setting": "CT",
            "outcome": "successful",
            "witness_id": supervisor.id,
        },
    )
    assert response.status_code == 302
    line = session.scalars(select(ProcedureLine)).one()

    def confirm(email: str, password: str):  # type: ignore[no-untyped-def]
        return client.post(
            "/procedures/confirm",
            data={"csrf_token": token, "line_ids": [line.id], "email": email, "password": password},
        )

    assert "correct email address and password" in factories.page_text(
        confirm(supervisor.email, "wrong-password")
    )
    assert "not by you" in factories.page_text(confirm(worker.email, factories.PASSWORD))
    session.refresh(line)
    assert line.confirmed_at is None
    assert confirm(supervisor.email, factories.PASSWORD).status_code == 302
    session.refresh(line)
    assert line.confirmed_at is not None
    assert client.get("/home").status_code == 200  # the worker is still signed in as themselves
    assert "Hello, " + worker.name in client.get("/home").get_data(as_text=True)


def test_a_local_policy_can_ask_for_supervised_procedures_the_framework_does_not(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    import datetime as dt

    from portfolio.frameworks.services import PolicyDetails, record_policy

    org, _, _, worker = world
    factories.sign_in(client, worker)
    assert '<option value="A-1"' not in client.get("/procedures/new").get_data(as_text=True)
    record_policy(
        factories.auditor(session),
        org,
        "A-1",
        PolicyDetails("Trust rule", dt.date(2020, 1, 1), 3, None, None, None),
        expires=False,
    )
    assert '<option value="A-1"' in client.get("/procedures/new").get_data(as_text=True)


def test_a_witness_who_is_no_longer_a_supervisor_cannot_confirm(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    from portfolio.people.models import UserAccountRole

    _, _, supervisor, worker = world
    line = factories.procedure(
        session, worker, supervisor, performed_on=dt.date(2025, 6, 1), confirmed=False
    )
    supervisor.account_roles = [
        r for r in supervisor.account_roles if r.role is not AccountRole.SUPERVISOR
    ]
    supervisor.account_roles.append(UserAccountRole(role=AccountRole.EDUCATOR))
    session.flush()
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/procedures/confirm")
    response = client.post(
        "/procedures/confirm",
        data={
            "csrf_token": token,
            "line_ids": [line.id],
            "email": supervisor.email,
            "password": factories.PASSWORD,
        },
    )
    assert response.status_code == 200
    session.refresh(line)
    assert line.confirmed_at is None


def test_bullets_straight_after_a_line_of_text_show_as_a_list(
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    body = "Steps I took:\n- checked the **coil**\n- cleaned it\nThen I wrote it up.\nSigned."
    response = _post_evidence(client, token, body=body)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "<p>Steps I took:</p><ul><li>checked the <strong>coil</strong></li><li>cleaned it</li></ul>"
        "<p>Then I wrote it up.<br>Signed.</p>"
    ) in page


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "NHS 943 476 5919 scan.pdf",
            "The file's name has what looks like an NHS number in it (943 476 5919). "
            "Rename the file without it and upload it again",
        ),
        (
            "order-9434765919.pdf",
            "The file's name has 943 476 5919 in it, which could be an NHS number. "
            "If it is not a patient identifier, tick to confirm; otherwise rename the file",
        ),
    ],
)
def test_an_nhs_number_in_a_file_name_says_it_is_the_name_and_to_rename_the_file(
    app: Flask,
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    certificate: bytes,
    name: str,
    message: str,
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    before = _files(app)
    response = _post_evidence(client, token, file=(io.BytesIO(certificate), name))
    assert response.status_code == 200
    text = factories.page_text(response)
    assert "There is a problem" in text
    assert message in text
    assert "Remove it" not in text
    assert session.scalar(select(func.count()).select_from(Evidence)) == 0
    assert _files(app) == before
