"""Bringing one trust's export into another: the round trip through the pages and the command
line, refusals that name the file, item and field, and importing twice changing nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import long_date, today
from portfolio.core.roles import JobRole
from portfolio.evidence.attachments import AttachmentStore
from portfolio.evidence.models import Attachment, Evidence, EvidenceVersion, ProcedureLine
from portfolio.frameworks.models import PersonQualification
from portfolio.leavers.models import PortfolioImport
from portfolio.people import services
from portfolio.people.models import User
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff.models import Authentication, SignOffDecision
from portfolio.standing.status import Status
from tests import factories
from tests.leavers.portfolios import (
    NEW_EMAIL,
    Trusts,
    ago,
    edit_document,
    moved,
    open_zip,
    post_import,
    rewrite,
)


def test_the_round_trip_brings_the_portfolio_into_another_trust(
    app: Flask, session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    response = post_import(client, trusts, exported)
    page = factories.page_text(response)
    assert response.status_code == 200, page[:2000]
    assert "Portfolio brought in for Robin Ash" in page
    assert "temporary password" in page
    for reason in (
        "revoked at North Hospitals NHS Trust on",
        "suspended at North Hospitals NHS Trust since",
        "a 'not yet competent' outcome",
        "never confirmed by its witness",
        "IR(ME)R operator entitlements (1): the employer grants its own",
    ):
        assert reason in page, reason

    robin = moved(session)
    assert (robin.organisation_id, robin.name) == (trusts.south.id, "Robin Ash")
    day = long_date(ago(0))
    origin = f"Exported from North Hospitals NHS Trust portfolio on {day}"

    # Sign-offs: transcribed, a previous employer's waiting for acceptance here, from where,
    # as observed, the assessor as written.
    decisions = {
        row.competency_code: row
        for row in session.scalars(
            select(SignOffDecision).where(SignOffDecision.worker_id == robin.id)
        )
    }
    assert set(decisions) == {"A-1", "CANN"}
    for decision in decisions.values():
        assert decision.authentication is Authentication.TRANSCRIBED
        assert decision.transcribed_source is not None
        assert decision.transcribed_source.startswith(origin)
        assert decision.assessor_id is None
        assert decision.previous_employer == "North Hospitals NHS Trust"
        assert decision.awaiting_acceptance
    paper = decisions["A-1"]
    assert (paper.assessor_name, paper.observed_on) == ("Pat Paper", ago(500))
    assert "itself transcribed there from: Ward training record" in (paper.transcribed_source or "")
    cannulation = decisions["CANN"]
    assert cannulation.observed_on == ago(400)
    assert cannulation.expires_on == ago(60)  # no later than it expired there
    assert cannulation.condition_labels == ("Adults only",)
    assert "HCPC RA123456" in (cannulation.transcribed_source or "")

    # Once their job role here is recorded, their competencies page shows them as the
    # history says, and neither lets them practise: one waits to be accepted here, one expired.
    services.record_appointment(
        factories.auditor(session, trusts.south_admin),
        robin,
        services.AppointmentDetails(
            effective_from=ago(1),
            job_role=JobRole.SCSW,
            trainee=False,
            afc_band="3",
            department_id=factories.department(session, trusts.south).id,
            started_in_post_on=ago(1),
        ),
    )
    statuses = factories.page_text(client.get(f"/people/{robin.id}/competencies"))
    assert "Awaiting local acceptance" in statuses
    assert "Expired" in statuses
    assert {
        code: status.status
        for code, status in signoff_queries.statuses(
            session, robin.id, ["A-1", "CANN"], today(), due_window_days=60
        ).items()
    } == {"A-1": Status.AWAITING_ACCEPTANCE, "CANN": Status.EXPIRED}
    record = factories.page_text(client.get(f"/people/{robin.id}/competencies/CANN"))
    assert "Transcribed from" in record
    assert origin in record
    assert "Brought in from a portfolio export by Sid Admin" in record

    # Evidence: the latest version of each, dated as it was, with its files, marked.
    pieces = session.scalars(select(Evidence).where(Evidence.worker_id == robin.id)).all()
    assert len(pieces) == 2
    titles = {piece.latest.title for piece in pieces}
    assert titles == {"Patient identification (corrected)", "Cannulation study day"}
    for piece in pieces:
        assert piece.latest.activity_on == ago(100)
        assert piece.latest.body.startswith(f"_{origin}")
    store = AttachmentStore(Path(app.instance_path) / "attachments")
    files = session.scalars(
        select(Attachment)
        .join(EvidenceVersion, EvidenceVersion.id == Attachment.version_id)
        .join(Evidence, Evidence.id == EvidenceVersion.evidence_id)
        .where(Evidence.worker_id == robin.id)
    ).all()
    assert sorted(file.filename for file in files) == ["certificate.pdf", "id.png"]
    for file in files:
        assert store.path_for(file.sha256).exists()
    evidence_page = factories.page_text(client.get(f"/evidence/{pieces[0].id}"))
    assert origin in evidence_page

    # Confirmed procedures only, marked with their origin and witness as written.
    lines = session.scalars(select(ProcedureLine).where(ProcedureLine.worker_id == robin.id)).all()
    assert len(lines) == 2
    assert {(line.witness_id, line.witness_name) for line in lines} == {(None, "Sam Okafor")}
    assert all(line.confirmed_at is not None for line in lines)
    assert all((line.imported_from or "").startswith(origin) for line in lines)
    log = factories.page_text(client.get(f"/people/{robin.id}/evidence"))
    assert "Sam Okafor" in log
    assert origin in log

    # Qualifications as recorded, not verified here.
    qualification = session.scalars(
        select(PersonQualification).where(PersonQualification.user_id == robin.id)
    ).one()
    assert qualification.recorded_by_id == robin.id
    assert "Self-reported" in factories.page_text(client.get(f"/people/{robin.id}"))

    # Audited: who brought whose portfolio in, never its content.
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "portfolio.imported")
    ).one()
    assert entry.actor_id == trusts.south_admin.id
    assert "Patient identification" not in entry.changes


def test_bringing_in_the_same_export_again_changes_nothing(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    assert post_import(client, trusts, exported).status_code == 200
    before = session.scalar(select(func.count()).select_from(SignOffDecision))
    again = post_import(client, trusts, exported)
    assert again.status_code == 302
    follow = factories.page_text(client.get(again.headers["Location"]))
    assert "This export was brought in already, for Robin Ash: nothing has changed." in follow
    assert session.scalar(select(func.count()).select_from(SignOffDecision)) == before
    assert session.scalar(select(func.count()).select_from(PortfolioImport)) == 1
    assert session.scalar(select(func.count()).where(User.email == NEW_EMAIL)) == 1


def test_an_export_made_before_attachments_had_extensions_still_comes_in(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    source = open_zip(exported)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as older:
        for name in source.namelist():
            bare = name.rsplit(".", 1)[0] if name.startswith("attachments/") else name
            older.writestr(bare, source.read(name))
    assert any(name.endswith(".png") for name in source.namelist())
    response = post_import(client, trusts, output.getvalue())
    assert response.status_code == 200, factories.page_text(response)[:2000]
    assert "Portfolio brought in for Robin Ash" in factories.page_text(response)


def test_a_changed_attachment_is_refused_by_name_and_nothing_comes_in(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    name = next(item for item in open_zip(exported).namelist() if item.startswith("attachments/"))
    tampered = rewrite(exported, {name: open_zip(exported).read(name)[:-4] + b"\x00\x00\x00\x00"})
    response = post_import(client, trusts, tampered)
    page = factories.page_text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"{name}: has been changed: it does not match its SHA-256" in page
    assert session.scalar(select(func.count()).where(User.email == NEW_EMAIL)) == 0
    assert session.scalar(select(func.count()).select_from(PortfolioImport)) == 0


def test_an_unknown_competency_is_reported_not_dropped(
    session: Session, client: FlaskClient, trusts: Trusts, exported: bytes
) -> None:
    def rename(document: dict) -> None:  # type: ignore[type-arg]
        for piece in document["evidence"]:
            for version in piece["versions"]:
                version["competencies"] = [
                    "MRI-99" if code == "CANN" else code for code in version["competencies"]
                ]
        for sign_off in document["sign_offs"]:
            if sign_off["competency"] == "CANN":
                sign_off["competency"] = "MRI-99"

    response = post_import(client, trusts, edit_document(exported, rename))
    page = factories.page_text(response)
    assert "Competencies this portfolio does not know" in page
    assert "MRI-99" in page
    assert "Evidence 'Cannulation study day'" in page
    assert "MRI-99 is not a competency in this installation's frameworks" in page
    robin = moved(session)
    assert {
        row.competency_code
        for row in session.scalars(
            select(SignOffDecision).where(SignOffDecision.worker_id == robin.id)
        )
    } == {"A-1"}


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda document: document.update(version=2),
            "version: 2 is not a version this portfolio reads (1)",
        ),
        (
            lambda document: document["evidence"][0]["versions"][0].update(
                activity_on="31/02/2026"
            ),
            "portfolio.json: evidence[0].versions[0].activity_on:",
        ),
        (
            lambda document: document["evidence"][0]["versions"][-1].update(
                body="Seen with NHS number 943 476 5919."
            ),
            "portfolio.json: evidence[0].versions[1].body:",
        ),
        # The organisation's name goes into every record brought in: checked like the rest.
        (
            lambda document: document["source"].update(organisation="North Trust 943 476 5919"),
            "portfolio.json: source.organisation:",
        ),
        # The format allows 300 characters; the columns here hold 200 (PostgreSQL refuses).
        (
            lambda document: document["procedures"][0].update(setting="Day unit " * 28),
            "portfolio.json: procedures[0].setting: is longer than 200 characters",
        ),
        (
            lambda document: document["source"].update(organisation="N" * 250),
            "portfolio.json: source.organisation: is longer than 200 characters",
        ),
        (
            lambda document: document["person"].update(name="R" * 250),
            "portfolio.json: person.name: is longer than 200 characters",
        ),
        (
            lambda document: document["sign_offs"][0]["assessor"].update(
                register_number="RA" + "1" * 40
            ),
            "portfolio.json: sign_offs[0].assessor.register_number: is longer than 16 characters",
        ),
        # A procedure dated after today would count towards a minimum when its day comes.
        (
            lambda document: document["procedures"][0].update(
                performed_on=(today() + dt.timedelta(days=30)).isoformat()
            ),
            "portfolio.json: procedures[0].performed_on:",
        ),
    ],
)
def test_a_bad_document_is_refused_naming_the_item_and_field(
    session: Session,
    client: FlaskClient,
    trusts: Trusts,
    exported: bytes,
    edit,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    response = post_import(client, trusts, edit_document(exported, edit))
    page = factories.page_text(response)
    assert expected in page, page
    assert "Nothing was brought in" in page
    assert session.scalar(select(func.count()).where(User.email == NEW_EMAIL)) == 0


def test_the_command_line_imports_all_or_nothing_and_once(
    app: Flask, session: Session, trusts: Trusts, exported: bytes, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    path = tmp_path / "robin.zip"
    path.write_bytes(exported)
    arguments = [
        "people",
        "import-portfolio",
        str(path),
        "--email",
        NEW_EMAIL,
        "--organisation",
        trusts.south.name,
        "--by",
        trusts.south_admin.email,
    ]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(edit_document(exported, lambda document: document.update(format="other")))
    refused = runner.invoke(args=[*arguments[:2], str(bad), *arguments[3:]])
    assert refused.exit_code == 1
    assert f"{bad}: portfolio.json: format: is not 'imaging-support-portfolio-export'" in (
        refused.output
    )
    first = runner.invoke(args=arguments)
    assert first.exit_code == 0, first.output
    assert "Brought North Hospitals NHS Trust's portfolio in for Robin Ash" in first.output
    assert "2 sign offs" in first.output
    assert "Not brought in: Sign-off CANN observed" in first.output
    again = runner.invoke(args=arguments)
    assert again.exit_code == 0
    assert "nothing changed" in again.output
    robin = moved(session)
    assert session.scalar(select(func.count()).where(SignOffDecision.worker_id == robin.id)) == 2


def test_the_command_line_writes_an_export_for_a_subject_access_request(
    app: Flask, trusts: Trusts, tmp_path: Path
) -> None:
    path = tmp_path / "sar.zip"
    result = app.test_cli_runner().invoke(
        args=["people", "export-portfolio", str(path), "--email", trusts.worker.email]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(open_zip(path.read_bytes()).read("portfolio.json"))["person"]["name"] == (
        "Robin Ash"
    )
    assert path.stat().st_mode & 0o077 == 0
    again = app.test_cli_runner().invoke(
        args=["people", "export-portfolio", str(path), "--email", trusts.worker.email]
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
