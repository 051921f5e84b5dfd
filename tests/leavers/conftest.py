"""A support worker with a full portfolio in one trust, a colleague whose records must never
leak into their export, and a second trust to move to."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.careers import services as careers
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence.models import Evidence, EvidenceKind
from portfolio.frameworks.schema import QualificationFramework
from portfolio.people.models import User
from portfolio.people.registers import RegisterType
from portfolio.standing.status import Outcome
from tests import factories
from tests.leavers.portfolios import Trusts, ago, download


def _evidence(
    app: Flask, session: Session, worker: User, title: str, code: str, file: tuple[bytes, str]
) -> Evidence:
    piece = factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title=title,
        activity_on=ago(100),
        body=f"What I learnt: {title}.",
        codes={code},
    )
    content, name = file
    factories.attachment(
        session, Path(app.instance_path) / "attachments", worker, piece, content, name
    )
    return piece


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
    piece = _evidence(
        app, session, worker, "Patient identification", "A-1", (factories.png(), "id.png")
    )
    piece.latest.frozen = True
    factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title="Patient identification (corrected)",
        activity_on=ago(100),
        body="What I learnt, **corrected**.",
        codes={"A-1"},
        scope={"A-1"},
        correcting=piece,
    )
    _evidence(
        app,
        session,
        worker,
        "Cannulation study day",
        "CANN",
        (factories.blank_pdf(), "certificate.pdf"),
    )
    # The colleague's evidence, which must never appear in Robin's export.
    _evidence(
        app,
        session,
        colleague,
        "COLLEAGUE-ONLY-TITLE",
        "A-1",
        (factories.png((200, 0, 0)), "theirs.png"),
    )

    for days, confirmed in ((90, True), (80, True), (70, False)):
        factories.procedure(
            session,
            worker,
            supervisor,
            performed_on=ago(days),
            setting="Day unit, adult",
            confirmed=confirmed,
        )
    factories.procedure(
        session, colleague, supervisor, performed_on=ago(60), setting="COLLEAGUE-ONLY-SETTING"
    )

    # Robin's sign-offs: basic identification transcribed from paper (never expires); an
    # expired cannulation sign-off with a condition, countersigned; a later one revoked; a
    # "not yet competent"; and an identification sign-off suspended now.
    transcribed = factories.transcribed(
        session,
        worker,
        "A-1",
        north_admin,
        days_ago=10,
        on=ago(490),
        assessor_name="Pat Paper",
        source="Ward training record, seen by Nell Admin",
    )
    expired = factories.decision(
        session,
        worker,
        "CANN",
        observed_on=ago(400),
        assessor=supervisor,
        conditions="Adults only",
        expires_on=ago(60),
        countersignature_required=True,
        countersigned_on=ago(399),
        countersigned_at=utcnow(),
        countersigner_name="Priya Educator",
    )
    revoked = factories.decision(
        session, worker, "CANN", observed_on=ago(20), assessor=supervisor, expires_on=ago(-345)
    )
    not_yet = factories.decision(
        session,
        worker,
        "CANN",
        observed_on=ago(200),
        assessor=supervisor,
        outcome=Outcome.NOT_YET_COMPETENT,
        supervision=None,
        to_develop="Practise the angle of insertion",
    )
    suspended = factories.decision(session, worker, "A-1", observed_on=ago(10), assessor=supervisor)
    factories.decision(
        session,
        colleague,
        "A-1",
        observed_on=ago(30),
        assessor=supervisor,
        assessor_name="COLLEAGUE-ASSESSOR",
    )
    factories.revocation(session, revoked, north_admin, revoked_on=ago(5))
    factories.suspension(
        session, suspended, north_admin, starts_on=ago(3), reason="Pending a review"
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


@pytest.fixture
def exported(client: FlaskClient, trusts: Trusts) -> bytes:
    factories.sign_in(client, trusts.worker)
    data = download(client, trusts.worker)
    client.post("/sign-out", data={"csrf_token": factories.csrf_token(client, "/account")})
    return data
