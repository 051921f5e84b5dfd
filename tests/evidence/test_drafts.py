"""Drafts of the evidence form, saved automatically: kept, restored, refused when they may
hold a patient identifier, never audited, and gone once the evidence is saved."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.audit.models import AuditEntry
from portfolio.core.roles import AccountRole
from portfolio.evidence import drafts
from portfolio.evidence.models import Evidence, EvidenceDraft
from tests import factories

JSON = {"Accept": "application/json, application/problem+json"}


@pytest.fixture
def world(session: Session):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    return org, ward, supervisor, worker


def _autosave(client: FlaskClient, token: str, path: str = "/evidence/drafts", **data: object):  # type: ignore[no-untyped-def]
    fields = {
        "csrf_token": token,
        "kind": "reflective_account",
        "title": "Contrast reaction",
        "activity_on": "2025-06-01",
        "body": "Half a reflection, not finished yet.",
        "competency_codes": ["A-1"],
        **data,
    }
    return client.post(path, data=fields, headers=JSON)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _evidence(client: FlaskClient, token: str) -> str:
    response = client.post(
        "/evidence/new",
        data={
            "csrf_token": token,
            "kind": "certificate",
            "title": "Manual handling",
            "activity_on": "2025-05-01",
            "body": "Certificate of attendance.",
            "competency_codes": ["A-1"],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    return response.headers["Location"]


def _problem(response: TestResponse) -> dict[str, object]:
    assert response.mimetype == "application/problem+json"
    return json.loads(response.get_data(as_text=True))  # type: ignore[no-any-return]


def test_an_autosaved_draft_is_restored_when_the_form_is_next_shown(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/evidence/new")
    audited = _count(session, AuditEntry)

    response = _autosave(client, token, competency_codes=["A-1", "NOT-IN-SCOPE"])
    assert response.status_code == 200
    saved_at = dt.datetime.fromisoformat(response.get_json()["saved_at"])
    assert saved_at.tzinfo is not None
    assert _count(session, AuditEntry) == audited  # a draft is not a record

    again = _autosave(client, token, body="Half a reflection, and a bit more.")
    assert again.status_code == 200
    draft = session.scalars(select(EvidenceDraft)).one()  # replaced, not added to
    assert (draft.worker_id, draft.evidence_id) == (worker.id, None)
    assert drafts.DraftFields.from_json(draft.fields).competency_codes == ("A-1",)

    page = client.get("/evidence/new")
    html = page.get_data(as_text=True)
    text = factories.page_text(page)
    assert "We restored the draft you were writing, saved automatically at" in text
    assert "Discard the draft" in text
    assert "Half a reflection, and a bit more.</textarea>" in html
    assert 'value="Contrast reaction"' in html
    assert 'value="2025-06-01"' in html
    assert 'value="reflective_account" checked' in html
    assert 'value="A-1" checked' in html


def test_the_restored_time_is_shown_in_uk_local_time(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    worker = world[3]
    session.add(
        EvidenceDraft(
            worker_id=worker.id,
            evidence_id=None,
            fields=drafts.DraftFields(title="Summer").to_json(),
            saved_at=dt.datetime(2026, 7, 3, 13, 32, tzinfo=dt.UTC),
        )
    )
    session.flush()
    factories.sign_in(client, worker)
    text = factories.page_text(client.get("/evidence/new"))
    assert "saved automatically at 14:32 on 3 July 2026." in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", "Checked NHS no 943 476 5919 with the patient."),
        ("body", "Stock order 9434765919 arrived."),  # only needs confirming on the form
        ("title", "Patient 9434765919"),
    ],
)
def test_a_possible_patient_identifier_is_never_stored(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    field: str,
    value: str,
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    assert _autosave(client, token).status_code == 200
    before = session.scalars(select(EvidenceDraft.fields)).one()

    response = _autosave(client, token, **{field: value})
    assert response.status_code == 422
    assert _problem(response)["detail"] == (
        "Not saved automatically: remove or confirm the possible patient identifier, then save"
    )
    assert session.scalars(select(EvidenceDraft.fields)).all() == [before]
    assert "5919" not in before


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "something_else"},
        {"title": "x" * 201},
        {"body": "x" * 20001},
        {"activity_on": "9434765919"},
    ],
)
def test_input_the_form_could_not_send_is_refused(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
    data: dict[str, str],
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    response = _autosave(client, token, **data)
    assert response.status_code == 400
    assert str(_problem(response)["detail"]).startswith("Not saved automatically")
    assert _count(session, EvidenceDraft) == 0


def test_an_emptied_form_keeps_no_draft(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    assert _autosave(client, token).status_code == 200
    response = _autosave(client, token, kind="", title="", body=" ", competency_codes=[])
    assert response.get_json() == {"saved_at": None}
    assert _count(session, EvidenceDraft) == 0
    assert "We restored the draft" not in factories.page_text(client.get("/evidence/new"))


def test_a_draft_of_a_change_is_restored_over_the_saved_evidence(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    location = _evidence(client, token)
    evidence_id = int(location.rsplit("/", 1)[1])
    response = _autosave(
        client, token, f"{location}/drafts", kind="certificate", title="Manual handling (2025)"
    )
    assert response.status_code == 200
    assert session.scalars(select(EvidenceDraft.evidence_id)).all() == [evidence_id]
    html = client.get(f"{location}/edit").get_data(as_text=True)
    assert 'value="Manual handling (2025)"' in html
    assert "We restored the draft you were writing" in html
    # The draft of new evidence is a different draft.
    assert "We restored the draft" not in client.get("/evidence/new").get_data(as_text=True)


def test_nobody_else_can_autosave_onto_someones_evidence(
    session: Session,
    new_client,
    world,  # type: ignore[no-untyped-def]
) -> None:
    org, ward, supervisor, worker = world
    owner = new_client()
    factories.sign_in(owner, worker)
    token = factories.csrf_token(owner, "/evidence/new")
    location = _evidence(owner, token)

    other = new_client()
    factories.sign_in(other, factories.person(session, org, department=ward))
    other_token = factories.csrf_token(other, "/evidence/new")
    response = _autosave(other, other_token, f"{location}/drafts")
    assert response.status_code == 404
    assert _problem(response)["status"] == 404
    assert other.post(
        f"{location}/drafts/discard", data={"csrf_token": other_token}
    ).status_code == (404)

    watcher = new_client()  # may read the evidence, but never writes it
    factories.sign_in(watcher, supervisor)
    watcher_token = factories.csrf_token(watcher, "/account")
    assert _autosave(watcher, watcher_token, f"{location}/drafts").status_code == 403
    assert _count(session, EvidenceDraft) == 0


def test_autosave_needs_the_forms_csrf_token(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    response = _autosave(client, "not-the-token")
    assert response.status_code == 400
    assert _problem(response)["title"] == "Missing or invalid CSRF token"
    assert _count(session, EvidenceDraft) == 0


def test_saving_the_evidence_deletes_its_draft(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    assert _autosave(client, token).status_code == 200
    location = _evidence(client, token)
    assert _count(session, EvidenceDraft) == 0

    assert _autosave(client, token, f"{location}/drafts").status_code == 200
    assert _autosave(client, token).status_code == 200  # new evidence, another draft
    response = client.post(
        f"{location}/edit",
        data={
            "csrf_token": token,
            "kind": "certificate",
            "title": "Manual handling, refreshed",
            "activity_on": "2025-05-01",
            "body": "Certificate of attendance.",
            "competency_codes": ["A-1"],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert session.scalars(select(EvidenceDraft.evidence_id)).all() == [None]


def test_a_refused_save_keeps_the_draft(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    assert _autosave(client, token).status_code == 200
    response = client.post(
        "/evidence/new",
        data={"csrf_token": token, "title": "No text yet"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "data-draft-changed" in response.get_data(as_text=True)  # the page saves it again
    assert _count(session, EvidenceDraft) == 1
    assert _count(session, Evidence) == 0


def test_a_draft_can_be_discarded(
    session: Session,
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    token = factories.csrf_token(client, "/evidence/new")
    location = _evidence(client, token)
    assert _autosave(client, token).status_code == 200
    assert _autosave(client, token, f"{location}/drafts", title="Changed").status_code == 200

    response = client.post(f"{location}/drafts/discard", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"] == f"{location}/edit"
    page = client.get(response.headers["Location"])
    assert "The draft has been discarded." in factories.page_text(page)
    assert 'value="Manual handling"' in page.get_data(as_text=True)  # as saved
    assert session.scalars(select(EvidenceDraft.evidence_id)).all() == [None]

    response = client.post("/evidence/drafts/discard", data={"csrf_token": token})
    assert response.headers["Location"] == "/evidence/new"
    assert _count(session, EvidenceDraft) == 0
    assert client.post("/evidence/drafts/discard", data={}).status_code == 400  # CSRF


def test_the_form_loads_the_autosave_script_and_has_a_live_status(
    client: FlaskClient,
    world,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, world[3])
    page = client.get("/evidence/new")
    html = page.get_data(as_text=True)
    assert '<script type="module" src="/assets/evidence-draft.js"></script>' in html
    assert 'data-draft-url="/evidence/drafts"' in html
    assert 'id="draft-status" role="status" aria-live="polite"' in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "evidence-draft.js" not in client.get("/home").get_data(as_text=True)
    script = client.get("/assets/evidence-draft.js")
    assert script.status_code == 200
    assert "credentials: 'same-origin'" in script.get_data(as_text=True)
    script.close()
