"""A person's complete export: what it holds, what it never holds, who may download it."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.settings import get_settings
from portfolio.leavers import document as doc
from tests import factories
from tests.leavers.portfolios import Trusts, download, open_zip


def _export(client: FlaskClient, trusts: Trusts) -> tuple[dict, dict[str, bytes]]:  # type: ignore[type-arg]
    factories.sign_in(client, trusts.worker)
    archive = open_zip(download(client, trusts.worker))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files["portfolio.json"]), files


def test_the_export_holds_every_record_of_the_person_in_the_documented_format(
    client: FlaskClient, trusts: Trusts
) -> None:
    data, files = _export(client, trusts)
    document, problems = doc.read_document(data)
    assert problems == []
    assert document is not None
    assert (data["format"], data["version"]) == ("imaging-support-portfolio-export", 1)
    assert data["source"]["organisation"] == "North Hospitals NHS Trust"
    assert data["exported_by"] == "the person"
    assert data["person"]["email"] == "robin@north.example"
    assert [row["job_role"] for row in data["job_roles"]] == ["scsw"]
    assert [row["name"] for row in data["supervisors"]] == ["Sam Okafor"]
    # Every version of every piece of evidence, with its links and files.
    corrected = next(item for item in data["evidence"] if len(item["versions"]) == 2)
    assert [version["number"] for version in corrected["versions"]] == [1, 2]
    assert corrected["versions"][0]["title"] == "Patient identification"
    assert corrected["versions"][1]["competencies"] == ["A-1"]
    assert corrected["versions"][1]["attachments"][0]["filename"] == "id.png"
    assert len(data["evidence"]) == 2
    assert [line["confirmed"] for line in data["procedures"]] == [True, True, False]
    assert {line["witness"] for line in data["procedures"]} == {"Sam Okafor"}
    sign_offs = {item["id"]: item for item in data["sign_offs"]}
    assert set(sign_offs) == set(trusts.decisions.values())
    expired = sign_offs[trusts.decisions["expired"]]
    assert expired["conditions"] == ["Adults only"]
    assert expired["assessor"]["register_number"] == "RA123456"
    assert expired["countersignature"]["countersigner"] == "Priya Educator"
    assert sign_offs[trusts.decisions["revoked"]]["revocation"]["reason"] == (
        "Recorded against the wrong competency"
    )
    assert (
        sign_offs[trusts.decisions["suspended"]]["suspensions"][0]["reason"] == "Pending a review"
    )
    assert sign_offs[trusts.decisions["not_yet"]]["feedback"]["to_develop"] == (
        "Practise the angle of insertion"
    )
    transcribed = sign_offs[trusts.decisions["transcribed"]]
    assert transcribed["authentication"] == "transcribed"
    assert transcribed["transcribed_source"] == "Ward training record, seen by Nell Admin"
    # Who typed it in (the paper record of this trust itself: no previous employer).
    assert (transcribed["transcribed_by"], transcribed["previous_employer"]) == ("Nell Admin", None)
    assert (transcribed["local_acceptance"], transcribed["minimum_override"]) == (None, None)
    assert data["qualifications"][0]["level"] == 3
    assert data["entitlements"][0]["scope"] == "Chest radiography"
    assert set(files) >= {"README.txt", "portfolio.json", "portfolio.html", "portfolio.pdf"}
    readme = files["README.txt"].decode()
    assert "imaging-support-portfolio-export" in readme
    assert "Your printable portfolio" in readme


def test_the_printable_portfolio_in_the_export_is_a_recorded_export_anyone_can_verify(
    session: Session, client: FlaskClient, trusts: Trusts
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from portfolio.pdf.models import PortfolioExport

    _, files = _export(client, trusts)
    pdf = files["portfolio.pdf"]
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Robin" in text
    code, exported_by = session.execute(
        select(PortfolioExport.code, PortfolioExport.exported_by_id).where(
            PortfolioExport.worker_id == trusts.worker.id,
            PortfolioExport.sha256 == hashlib.sha256(pdf).hexdigest(),
        )
    ).one()
    assert exported_by == trusts.worker.id
    assert code in text.replace("\n", "")


def test_each_attachment_is_in_the_zip_once_under_its_sha256_as_the_manifest_says(
    client: FlaskClient, trusts: Trusts
) -> None:
    data, files = _export(client, trusts)
    stored = {name.split("/")[1]: content for name, content in files.items() if "/" in name}
    # The corrected evidence carries its picture forward: the same file, listed once.
    assert len(stored) == len(data["attachments"]) == 2
    extension = {"image/png": ".png", "application/pdf": ".pdf"}
    for item in data["attachments"]:
        # Named with its type's extension, so it opens from the ZIP as it is.
        content = stored[item["sha256"] + extension[item["media_type"]]]
        assert hashlib.sha256(content).hexdigest() == item["sha256"]
        assert len(content) == item["size"]
    kinds = {item["media_type"] for item in data["attachments"]}
    assert kinds == {"image/png", "application/pdf"}


def test_nobody_elses_records_are_in_the_export(client: FlaskClient, trusts: Trusts) -> None:
    data, files = _export(client, trusts)
    everything = b"".join(files.values())
    for secret in (
        b"COLLEAGUE-ONLY-TITLE",
        b"COLLEAGUE-ONLY-SETTING",
        b"COLLEAGUE-ASSESSOR",
        b"Colleague Secret",
        trusts.colleague.email.encode(),
        trusts.supervisor.email.encode(),
        trusts.north_admin.email.encode(),
    ):
        assert secret not in everything, secret
    # The colleague's attachment is not in it either.
    theirs = {item["sha256"] for item in data["attachments"]}
    assert len(theirs) == 2


def test_the_readable_copy_is_one_file_that_loads_nothing(
    client: FlaskClient, trusts: Trusts
) -> None:
    _, files = _export(client, trusts)
    page = files["portfolio.html"].decode()
    assert "Robin Ash" in page
    assert "Patient identification (corrected)" in page
    assert "<strong>corrected</strong>" in page  # the formatting subset, rendered safely
    assert "Revoked" in page
    assert not re.search(r"""(src|href)\s*=|@import|url\(|<script|<link""", page, re.IGNORECASE)


def test_an_administrator_exports_for_a_subject_access_request_and_it_is_audited(
    session: Session, client: FlaskClient, trusts: Trusts
) -> None:
    factories.sign_in(client, trusts.north_admin)
    data = json.loads(open_zip(download(client, trusts.worker)).read("portfolio.json"))
    assert data["exported_by"] == "an administrator"
    assert data["person"]["name"] == "Robin Ash"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "portfolio.exported")
    ).one()
    assert (entry.actor_id, entry.subject_id) == (trusts.north_admin.id, str(trusts.worker.id))
    assert "Patient identification" not in entry.changes  # stored as JSON text
    assert json.loads(entry.changes)["by_themselves"] is False


def test_the_person_page_offers_the_export_to_administrators_and_the_account_page_to_the_person(
    client: FlaskClient,
    new_client,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, trusts.worker)
    assert "Download your portfolio" in client.get("/account").get_data(as_text=True)
    admin = new_client()
    factories.sign_in(admin, trusts.north_admin)
    page = admin.get(f"/people/{trusts.worker.id}").get_data(as_text=True)
    assert "Download Robin Ash&#39;s portfolio" in page


def test_another_worker_gets_404_and_a_supervisor_403(
    new_client,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    for person, expected in (
        (trusts.colleague, 404),
        (trusts.supervisor, 403),
        (trusts.south_admin, 404),
    ):
        client = new_client()
        factories.sign_in(client, person)
        token = factories.csrf_token(client, "/account")
        with client.post(f"/people/{trusts.worker.id}/export", data={"csrf_token": token}) as r:
            assert r.status_code == expected, person.name


def test_an_export_larger_than_an_import_accepts_is_refused_and_nothing_is_recorded(
    app,
    session: Session,
    client: FlaskClient,
    trusts: Trusts,  # type: ignore[no-untyped-def]
) -> None:
    factories.sign_in(client, trusts.worker)
    token = factories.csrf_token(client, "/account")
    changed = get_settings(app).changed(archive_max_bytes=1000)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(app.extensions, "settings", changed)
        response = client.post(
            f"/people/{trusts.worker.id}/export",
            data={"csrf_token": token},
            follow_redirects=True,
        )
    assert "The export could not be made" in response.get_data(as_text=True)
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.action == "portfolio.exported")).all()
        == []
    )
