"""A support worker with a full portfolio in one trust, a colleague whose records must never
leak into their export, and a second trust to move to."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.careers import services as careers
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence import services as evidence
from portfolio.evidence.attachments import JPEG, PDF, PNG, AttachmentStore, check_upload
from portfolio.evidence.models import EvidenceKind, ProcedureLine, ProcedureOutcome
from portfolio.frameworks.schema import QualificationFramework
from portfolio.people.models import Organisation, User
from portfolio.people.registers import RegisterType
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff import services as signoff
from portfolio.signoff.models import (
    Authentication,
    Revocation,
    SignOffDecision,
    Suspension,
)
from portfolio.signoff.status import Outcome, SupervisionLevel
from tests import factories

TEN_MB = 10 * 1024 * 1024


def png(colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (30, 20), colour).save(output, "PNG")
    return output.getvalue()


def pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


@dataclass
class Trusts:
    north: Organisation
    south: Organisation
    worker: User  # Robin Ash, moving from north to south
    colleague: User  # stays in north; nothing of theirs may leave with Robin
    supervisor: User
    north_admin: User
    south_admin: User
    decisions: dict[str, int]


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def _decision(worker: User, assessor: User, code: str, observed: int, **values) -> SignOffDecision:  # type: ignore[no-untyped-def]
    fields = {
        "worker_id": worker.id,
        "competency_code": code,
        "outcome": Outcome.COMPETENT,
        "supervision": SupervisionLevel.INDIRECT,
        "conditions": "",
        "observed_on": ago(observed),
        "recorded_at": utcnow(),
        "recorded_on": ago(observed),
        "framework_code": "sample",
        "framework_version": "1",
        "procedures_required": 5,
        "assessor_id": assessor.id,
        "assessor_name": assessor.name,
        "assessor_profession": "radiographer",
        "assessor_register": RegisterType.HCPC,
        "assessor_register_number": "RA123456",
        "assessor_register_checked_on": ago(observed + 10),
        "authentication": Authentication.OWN_SESSION,
        "countersignature_required": False,
    }
    fields.update(values)
    return SignOffDecision(**fields)


def _evidence(
    app: Flask, session: Session, worker: User, title: str, code: str, file: tuple[bytes, str]
) -> int:
    store = AttachmentStore(Path(app.instance_path) / "attachments")
    saved = evidence.save_evidence(
        factories.auditor(session, worker),
        worker,
        evidence.EvidenceDetails(
            EvidenceKind.REFLECTIVE_ACCOUNT,
            title,
            ago(100),
            f"What I learnt: {title}.",
            frozenset({code}),
        ),
        scope_codes={"A-1", "CANN"},
        today=today(),
    )
    content, name = file
    media = PDF if name.endswith(".pdf") else PNG
    checked = check_upload(content, name, allowed={PDF, PNG, JPEG}, max_bytes=TEN_MB)
    assert checked.media_type == media
    evidence.add_attachment(factories.auditor(session, worker), worker, saved, checked, store)
    return saved.id


@pytest.fixture
def trusts(app: Flask, session: Session) -> Trusts:
    factories.frameworks(session, "minimal")
    north = factories.organisation(session, "North Hospitals NHS Trust")
    south = factories.organisation(session, "South Hospitals NHS Trust")
    ward = factories.department(session, north, "Radiology")
    supervisor = factories.person(
        session,
        north,
        AccountRole.SUPERVISOR,
        name="Sam Okafor",
        register=RegisterType.HCPC,
        register_number="RA123456",
    )
    north_admin = factories.person(session, north, AccountRole.ADMIN, name="Nell Admin")
    south_admin = factories.person(session, south, AccountRole.ADMIN, name="Sid Admin")
    worker = factories.person(
        session,
        north,
        name="Robin Ash",
        email="robin@north.example",
        department=ward,
        job_role=JobRole.SCSW,
        supervisors=[supervisor],
    )
    colleague = factories.person(
        session, north, name="Colleague Secret", department=ward, job_role=JobRole.SCSW
    )
    # Robin's evidence: a reflection with a picture, corrected once (two versions), and a
    # cannulation record with a PDF.
    first = _evidence(
        app, session, worker, "Patient identification", "A-1", (png((0, 94, 184)), "id.png")
    )
    piece = session.get_one(evidence.Evidence, first)
    piece.latest.frozen = True
    evidence.save_evidence(
        factories.auditor(session, worker),
        worker,
        evidence.EvidenceDetails(
            EvidenceKind.REFLECTIVE_ACCOUNT,
            "Patient identification (corrected)",
            ago(100),
            "What I learnt, **corrected**.",
            frozenset({"A-1"}),
        ),
        scope_codes={"A-1"},
        today=today(),
        evidence=piece,
    )
    _evidence(app, session, worker, "Cannulation study day", "CANN", (pdf(), "certificate.pdf"))
    # The colleague's evidence, which must never appear in Robin's export.
    _evidence(
        app, session, colleague, "COLLEAGUE-ONLY-TITLE", "A-1", (png((200, 0, 0)), "theirs.png")
    )

    for days, confirmed in ((90, True), (80, True), (70, False)):
        session.add(
            ProcedureLine(
                worker_id=worker.id,
                competency_code="CANN",
                performed_on=ago(days),
                setting="Day unit, adult",
                outcome=ProcedureOutcome.SUCCESSFUL,
                witness_id=supervisor.id,
                confirmed_at=utcnow() if confirmed else None,
                confirmed_by="password" if confirmed else None,
            )
        )
    session.add(
        ProcedureLine(
            worker_id=colleague.id,
            competency_code="CANN",
            performed_on=ago(60),
            setting="COLLEAGUE-ONLY-SETTING",
            outcome=ProcedureOutcome.SUCCESSFUL,
            witness_id=supervisor.id,
            confirmed_at=utcnow(),
            confirmed_by="password",
        )
    )

    # Robin's sign-offs: basic identification transcribed from paper (never expires); an
    # expired cannulation sign-off with a condition, countersigned; a later one revoked; a
    # "not yet competent"; and an identification sign-off suspended now.
    context = signoff_queries.sign_off_context(session, worker, "A-1", today(), due_window_days=60)
    assert context is not None
    transcribed = signoff.transcribe(
        factories.auditor(session, north_admin),
        north_admin,
        context,
        signoff.TranscribedDetails(
            observed_on=ago(500),
            supervision=SupervisionLevel.REMOTE,
            condition_codes=frozenset(),
            assessor_name="Pat Paper",
            assessor_profession="nurse",
            source="Ward training record, seen by Nell Admin",
        ),
        on=ago(490),
    )
    expired = _decision(
        worker,
        supervisor,
        "CANN",
        400,
        conditions="Adults only",
        expires_on=ago(60),
        countersignature_required=True,
        countersigned_on=ago(399),
        countersigned_at=utcnow(),
        countersigner_name="Priya Educator",
    )
    revoked = _decision(worker, supervisor, "CANN", 20, expires_on=ago(-345))
    not_yet = _decision(
        worker,
        supervisor,
        "CANN",
        200,
        outcome=Outcome.NOT_YET_COMPETENT,
        supervision=None,
        to_develop="Practise the angle of insertion",
    )
    suspended = _decision(worker, supervisor, "A-1", 10)
    colleague_decision = _decision(
        colleague, supervisor, "A-1", 30, assessor_name="COLLEAGUE-ASSESSOR"
    )
    session.add_all([expired, revoked, not_yet, suspended, colleague_decision])
    session.flush()
    session.add(
        Revocation(
            decision_id=revoked.id,
            revoked_on=ago(5),
            reason="Recorded against the wrong competency",
            revoked_by_id=north_admin.id,
        )
    )
    session.add(
        Suspension(
            decision_id=suspended.id,
            starts_on=ago(3),
            reason="Pending a review",
            suspended_by_id=north_admin.id,
        )
    )
    careers.record_qualification(
        factories.auditor(session, north_admin),
        worker,
        careers.QualificationDetails(
            title="Senior healthcare support worker apprenticeship",
            framework=QualificationFramework.RQF,
            level=3,
            status=careers.QualificationStatus.ACHIEVED,
            achieved_on=ago(700),
        ),
        today=today(),
    )
    careers.grant_entitlement(
        factories.auditor(session, north_admin),
        worker,
        scope="Chest radiography",
        granted_on=ago(300),
        today=today(),
    )
    session.flush()
    return Trusts(
        north=north,
        south=south,
        worker=worker,
        colleague=colleague,
        supervisor=supervisor,
        north_admin=north_admin,
        south_admin=south_admin,
        decisions={
            "transcribed": transcribed.id,
            "expired": expired.id,
            "revoked": revoked.id,
            "not_yet": not_yet.id,
            "suspended": suspended.id,
        },
    )


def download(client: FlaskClient, person: User) -> bytes:
    """Sign in is the caller's; posts the export button and returns the ZIP's bytes."""
    token = factories.csrf_token(client, "/account")
    with client.post(f"/people/{person.id}/export", data={"csrf_token": token}) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/zip"
        return response.get_data()


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


NEW_EMAIL = "robin.ash@south.example"


@pytest.fixture
def exported(client: FlaskClient, trusts: Trusts) -> bytes:
    factories.sign_in(client, trusts.worker)
    data = download(client, trusts.worker)
    client.post("/sign-out", data={"csrf_token": factories.csrf_token(client, "/account")})
    return data


def rewrite(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The same ZIP with some files' contents replaced."""
    source = open_zip(data)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in source.namelist():
            target.writestr(name, changes.get(name, source.read(name)))
    return output.getvalue()


def edit_document(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    document = json.loads(open_zip(data).read("portfolio.json"))
    edit(document)
    return rewrite(data, {"portfolio.json": json.dumps(document).encode()})


def post_import(client: FlaskClient, trusts: Trusts, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    if client.get("/sign-in").status_code == 200:  # not signed in yet
        factories.sign_in(client, trusts.south_admin)
    token = factories.csrf_token(client, "/people/import-portfolio")
    return client.post(
        "/people/import-portfolio",
        data={
            "csrf_token": token,
            "email": NEW_EMAIL,
            "file": (io.BytesIO(data), "portfolio.zip"),
            **fields,
        },
        content_type="multipart/form-data",
    )


def moved(session: Session) -> User:
    return session.scalars(select(User).where(User.email == NEW_EMAIL)).one()
