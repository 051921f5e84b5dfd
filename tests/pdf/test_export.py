"""Exporting a portfolio and verifying it, through the pages, on the demo trust: Priya Patel
(educator) downloads Chris Taylor's portfolio and the PDF is read back with pypdf; its code's
public page says what is still current; an upload of the same bytes is genuine and an edited
copy is not; a render that grows too large or runs too long stops with a message and
records nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from portfolio import demo
from portfolio.audit.models import AuditEntry
from portfolio.core import clock
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.pdf.models import PortfolioExport
from portfolio.pdf.rules import group_code
from portfolio.people.models import User
from portfolio.signoff import services as signoff
from portfolio.signoff.models import SignOffDecision
from tests import factories
from tests.pdf.documents import SECTIONS

pytestmark = pytest.mark.commits

CHRIS = "ap@northfield.example"
PRIYA = "educator@northfield.example"


def _id(app: Flask, email: str) -> int:
    with app.app_context():
        found = get_session().scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert factories.sign_in(client, email, demo.PASSWORD).status_code == 302
    return client


def _export(client: FlaskClient, worker_id: int, *, appendices: bool) -> TestResponse:
    path = f"/people/{worker_id}/portfolio"
    token = factories.csrf_token(client, path)
    data = {"csrf_token": token} | ({"appendices": "y"} if appendices else {})
    return client.post(f"{path}.pdf", data=data)


def _text(reader: PdfReader, pages: range | None = None) -> str:
    chosen = [reader.pages[index] for index in pages] if pages else reader.pages
    return " ".join(" ".join(page.extract_text().split()) for page in chosen)


def _count(app: Flask, model: type) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def exported(demo_app: Flask) -> tuple[TestResponse, PortfolioExport]:
    """Priya's download of Chris Taylor's portfolio, certificates appended."""
    client = _signed_in(demo_app, PRIYA)
    response = _export(client, _id(demo_app, CHRIS), appendices=True)
    with demo_app.app_context():
        record = (
            get_session()
            .scalars(select(PortfolioExport).order_by(PortfolioExport.id.desc()))
            .first()
        )
        assert record is not None
        get_session().expunge(record)
    return response, record


def test_the_educator_downloads_a_pdf_that_reads_back_whole(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    response, record = exported
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="portfolio-chris-taylor-{today().isoformat()}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.data))
    numbered = record.pages
    assert record.appendices == 1
    assert len(reader.pages) == numbered + 1  # the one-page certificate follows
    total = len(reader.pages)  # "of" counts the appendix pages too
    for number in range(1, total + 1):
        text = _text(reader, range(number - 1, number))
        assert f"Page {number} of {total}" in text
        assert f"Verification code {group_code(record.code)}" in text
        assert (
            "Chris Taylor · "
            + ("competency portfolio" if number <= numbered else "Appendix A: bls-certificate.pdf")
            in text
        )
    cover = _text(reader, range(1))
    for expected in (
        "Assistant practitioner",
        "Assistant practitioner, general radiography",  # post
        "General radiography",
        "Sam Okafor",  # supervisor
        "Imaging support workforce competencies and scopes of practice, version",
        "by Priya Patel",
    ):
        assert expected in cover
    # The QR code on the cover links to the public verify page for this export's code.
    links = [
        annotation.get_object()["/A"]["/URI"]
        for annotation in reader.pages[0].get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert f"http://localhost/verify/{record.code}" in links


def test_sign_offs_print_register_numbers_conditions_and_countersignatures(
    exported: tuple[TestResponse, PortfolioExport],
) -> None:
    response, record = exported
    reader = PdfReader(io.BytesIO(response.data))
    text = _text(reader, range(record.pages))
    cannulation = text[text.index("CANN: Peripheral intravenous cannulation In force") :][:900]
    for expected in (
        "Sam Okafor, Radiographer",
        "Health and Care Professions Council (HCPC) RA123456",
        "Indirect supervision",
        "Conditions: Adults only",
        "Countersignature: Priya Patel,",
        "Not transcribed: entered their own password on the worker's device",
    ):
        assert expected in cannulation
    assert "Transcribed from Trust resuscitation training record, seen by Priya Patel" in text
    assert "Adults only" in _text(reader, range(2, 4))  # the current scope of practice
    assert text.count("CANN: Peripheral intravenous cannulation CT contrast list") == 10


def test_every_section_and_the_appendix_is_a_bookmark(
    exported: tuple[TestResponse, PortfolioExport],
) -> None:
    response, record = exported
    reader = PdfReader(io.BytesIO(response.data))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == [*SECTIONS, "Appendix A: bls-certificate.pdf"]
    assert reader.get_destination_page_number(top[-1]) == record.pages
    assert "Certificate of attendance" in _text(reader, range(record.pages, record.pages + 1))
    evidence = _text(reader, range(reader.get_destination_page_number(top[6]), record.pages))
    assert "Files: bls-certificate.pdf (Appendix A)" in evidence
    assert "practice-sites.png" in evidence  # the picture, shown with its name


def test_the_export_is_recorded_with_the_hash_of_its_bytes(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    response, record = exported
    assert record.sha256 == hashlib.sha256(response.data).hexdigest()
    assert record.size == len(response.data)
    assert len(record.code) >= 22  # 128 random bits
    priya = _id(demo_app, PRIYA)
    with demo_app.app_context():
        entry = (
            get_session()
            .scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "portfolio.printed")
                .order_by(AuditEntry.seq.desc())
            )
            .first()
        )
        assert entry is not None
        assert entry.subject_id == str(record.worker_id)
        assert record.sha256 in entry.changes
        assert record.code not in entry.changes
        assert entry.actor_id == priya


def test_without_appendices_the_pdf_ends_with_the_numbered_pages(demo_app: Flask) -> None:
    client = _signed_in(demo_app, CHRIS)  # the worker, their own
    response = _export(client, _id(demo_app, CHRIS), appendices=False)
    reader = PdfReader(io.BytesIO(response.data))
    last = _text(reader, range(len(reader.pages) - 1, len(reader.pages)))
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Appendices" not in titles
    assert "Files: bls-certificate.pdf" in _text(reader)
    assert "by Chris Taylor" in _text(reader, range(1))


def test_the_verify_page_shows_the_minimum_and_what_has_happened_since(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    _, record = exported
    anyone = demo_app.test_client()
    page = anyone.get(f"/verify/{record.code}")
    assert page.status_code == 200
    text = factories.page_text(page)
    assert "Chris Taylor" in text
    assert "Assistant practitioner" in text
    assert f"exported from the Imaging support portfolio on {record.exported_on.day}" in text
    for competency in (
        "CANN: Peripheral intravenous cannulation",
        "CORE-BLS",
        "ANTT",
        "AP-CHEST",
        "AP-APPEND",
    ):
        assert competency in text
    assert "All 5 are still current" in text
    # Nothing more than the minimum: no assessor, register, evidence, reasons or email.
    for private in ("Sam Okafor", "RA123456", "Adults only", "simulation", CHRIS, "Priya"):
        assert private not in text
    assert "Set-Cookie" not in page.headers or "portfolio_session" not in page.headers["Set-Cookie"]

    priya = _id(demo_app, PRIYA)
    with demo_app.app_context():
        session = get_session()
        decision = session.scalars(
            select(SignOffDecision)
            .where(
                SignOffDecision.worker_id == record.worker_id,
                SignOffDecision.competency_code == "CANN",
            )
            .order_by(SignOffDecision.id.desc())
        ).first()
        educator = session.get_one(User, priya)
        signoff.revoke(
            factories.auditor(session, educator),
            educator,
            decision,
            reason="Recorded against the wrong competency",
            already=False,
            on=today(),
        )
        session.commit()
    text = factories.page_text(anyone.get(f"/verify/{record.code}"))
    assert "1 of 5 is no longer current" in text
    assert "Revoked since the export" in text
    assert "wrong competency" not in text
    assert anyone.get("/verify/not-a-code-we-made").status_code == 404


def _upload(client: FlaskClient, content: bytes, address: str = "198.51.100.1") -> TestResponse:
    token = factories.csrf_token(client, "/verify")
    return client.post(
        "/verify",
        data={"csrf_token": token, "file": (io.BytesIO(content), "portfolio.pdf")},
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": address},
    )


def test_an_upload_of_the_same_bytes_is_genuine_and_an_edited_copy_is_not(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    response, _ = exported
    anyone = demo_app.test_client()
    genuine = _upload(anyone, response.data)
    assert genuine.status_code == 200
    assert "This PDF is genuine" in factories.page_text(genuine)
    assert "Chris Taylor" in factories.page_text(genuine)
    edited = response.data.replace(b"Chris Taylor", b"Chris Tayler", 1)
    assert len(edited) == len(response.data)
    refused = factories.page_text(_upload(anyone, edited))
    assert "This PDF is not a recorded export" in refused
    assert "Chris Taylor" not in refused
    token = factories.csrf_token(anyone, "/verify")
    nothing = anyone.post("/verify", data={"csrf_token": token})
    assert nothing.status_code == 200
    assert "Select the portfolio PDF to check" in factories.page_text(nothing)


def test_the_upload_check_is_limited_per_network_address(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        demo_app.extensions, "settings", get_settings(demo_app).changed(verify_upload_limit=2)
    )
    anyone = demo_app.test_client()
    for _ in range(2):
        assert _upload(anyone, b"%PDF-1.7 guess", "203.0.113.9").status_code == 200
    limited = _upload(anyone, b"%PDF-1.7 guess", "203.0.113.9")
    assert limited.status_code == 429
    assert "too many checks from your network" in factories.page_text(limited)
    assert _upload(anyone, b"%PDF-1.7 guess", "203.0.113.10").status_code == 200
    # The limit lifts once the first checks are older than the window.
    window = dt.timedelta(minutes=get_settings(demo_app).sign_in_window_minutes)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window - dt.timedelta(minutes=1))
    assert _upload(anyone, b"%PDF-1.7 guess", "203.0.113.9").status_code == 429
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window + dt.timedelta(seconds=1))
    assert _upload(anyone, b"%PDF-1.7 guess", "203.0.113.9").status_code == 200


def test_an_upload_larger_than_the_setting_is_refused(
    demo_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        demo_app.extensions,
        "settings",
        get_settings(demo_app).changed(verify_upload_max_bytes=50_000),
    )
    response = _upload(demo_app.test_client(), b"%PDF-" + b"x" * 60_000, "203.0.113.11")
    assert response.status_code == 413
    # The check's own limit applies, even above the one other forms keep (MAX_UPLOAD_BYTES).
    monkeypatch.setitem(demo_app.config, "MAX_CONTENT_LENGTH", 100_000)
    monkeypatch.setitem(
        demo_app.extensions,
        "settings",
        get_settings(demo_app).changed(verify_upload_max_bytes=300_000),
    )
    big = _upload(demo_app.test_client(), b"%PDF-" + b"x" * 200_000, "203.0.113.12")
    assert big.status_code == 200


def test_a_code_typed_in_goes_to_its_verification_page(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    _, record = exported
    response = demo_app.test_client().get(f"/verify?code=+{record.code}+")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/verify/{record.code}")


@pytest.mark.parametrize(
    ("setting", "value", "status", "message"),
    [
        ("pdf_max_pages", 3, 422, r"would run to \d+ pages, more than the 3 allowed"),
        ("pdf_render_seconds", 0.05, 503, "took too long to prepare as a PDF"),
    ],
)
def test_a_render_stopped_by_a_limit_shows_why_and_records_nothing(
    demo_app: Flask,
    monkeypatch: pytest.MonkeyPatch,
    setting: str,
    value: float,
    status: int,
    message: str,
) -> None:
    changed = get_settings(demo_app).changed(**{setting: value})
    monkeypatch.setitem(demo_app.extensions, "settings", changed)
    exports, entries = _count(demo_app, PortfolioExport), _count(demo_app, AuditEntry)
    response = _export(_signed_in(demo_app, PRIYA), _id(demo_app, CHRIS), appendices=True)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    assert re.search(message, factories.page_text(response))
    assert (_count(demo_app, PortfolioExport), _count(demo_app, AuditEntry)) == (exports, entries)


def test_a_new_code_has_no_look_alike_characters_and_is_shown_in_groups(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    _, record = exported
    assert len(record.code) == 28
    assert not set(record.code) & set("0O1IlLo"), record.code
    assert record.code == record.code.upper()
    text = factories.page_text(demo_app.test_client().get(f"/verify/{record.code}"))
    grouped = "-".join(record.code[index : index + 4] for index in range(0, 28, 4))
    assert grouped in text


def test_a_code_is_accepted_in_any_case_with_spaces_or_hyphens(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    _, record = exported
    anyone = demo_app.test_client()
    grouped = " ".join(record.code[index : index + 4] for index in range(0, 28, 4))
    for typed in (grouped.lower(), grouped.replace(" ", "-"), f" {record.code.lower()} "):
        page = anyone.get("/verify", query_string={"code": typed}, follow_redirects=True)
        assert page.status_code == 200, typed
        assert "Chris Taylor" in factories.page_text(page)
    assert anyone.get(f"/verify/{grouped.replace(' ', '-').lower()}").status_code == 200


def test_a_code_printed_before_the_new_alphabet_still_verifies(demo_app: Flask) -> None:
    legacy = "Zq-7xKp2-Lm9_Wv3-Rt8Ny4"  # secrets.token_urlsafe(16), as exports were made
    with demo_app.app_context():
        session = get_session()
        chris = _id(demo_app, CHRIS)
        session.add(
            PortfolioExport(
                code=legacy,
                worker_id=chris,
                exported_by_id=_id(demo_app, PRIYA),
                exported_on=today(),
                worker_name="Chris Taylor",
                job_role="Assistant practitioner",
                sha256="0" * 64,
                pages=3,
                size=1000,
            )
        )
        session.commit()
    anyone = demo_app.test_client()
    page = anyone.get(f"/verify/{legacy}")
    assert page.status_code == 200
    assert legacy in factories.page_text(page)
    typed = anyone.get("/verify", query_string={"code": f" {legacy} "}, follow_redirects=True)
    assert "Chris Taylor" in factories.page_text(typed)


def test_a_mistyped_code_answers_the_verify_page_saying_so_with_a_box_to_retry(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    _, record = exported
    mistyped = record.code[:-1] + ("A" if record.code[-1] != "A" else "B")
    page = demo_app.test_client().get("/verify", query_string={"code": mistyped.lower()})
    assert page.status_code == 303
    answer = demo_app.test_client().get(page.headers["Location"])
    assert answer.status_code == 404
    text = factories.page_text(answer)
    assert "Portfolio verification" in text
    assert "No portfolio has this verification code" in text
    assert mistyped.lower() in text
    html = answer.get_data(as_text=True)
    assert 'action="/verify"' in html
    assert f'name="code" type="text" value="{mistyped.lower()}"' in html
    assert "Chris Taylor" not in text


def test_the_verify_page_names_the_trust_the_portfolio_came_from(
    demo_app: Flask, exported: tuple[TestResponse, PortfolioExport]
) -> None:
    response, record = exported
    anyone = demo_app.test_client()
    assert demo.ORGANISATION in factories.page_text(anyone.get(f"/verify/{record.code}"))
    assert demo.ORGANISATION in factories.page_text(_upload(anyone, response.data, "192.0.2.7"))
