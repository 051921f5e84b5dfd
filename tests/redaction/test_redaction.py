"""Redacting text that could identify a patient, through the pages: gone from every stored
version and every table, the record's history kept, the audit trail still verifying and
never holding the text; the worker sees that and when, not why; nobody else may do it."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, Text, func, select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.audit.services import verify
from portfolio.core.clock import today
from portfolio.core.db import Base
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.evidence import drafts
from portfolio.evidence import services as evidence
from portfolio.evidence.attachments import PNG, AttachmentStore, CheckedFile
from portfolio.evidence.models import Evidence, EvidenceKind
from portfolio.people import services as people
from portfolio.redaction.models import Redaction
from portfolio.signoff import services
from portfolio.signoff.models import SignOffDecision, SignOffEvidence, Suspension
from portfolio.standing.status import Outcome, SupervisionLevel, long_date
from tests import factories

NAME = "Jane Doe"  # the patient whose name slipped in
REASON = "A patient's name in a reflective account"


def holding(session: Session, text: str) -> dict[str, int]:
    """Every text column of every table that holds `text` (any case), with how many rows."""
    session.flush()
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text):
                continue
            count = session.scalar(
                select(func.count())
                .select_from(table)
                .where(func.lower(column).like(f"%{text.lower()}%"))
            )
            if count:
                found[f"{table.name}.{column.name}"] = count
    return found


def _leaky_evidence(app: Flask, session: Session, dept: factories.SignOffWorld) -> Evidence:
    """Evidence naming a patient in two versions, a file name and an unsaved draft; the first
    version was considered by a decision (frozen), the second is a correction."""
    worker = dept.worker
    saved = factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title=f"Cannulating {NAME} in CT",
        activity_on=today() - dt.timedelta(days=3),
        body=f"Mrs {NAME} was anxious; I explained each step.",
    )
    content = b"\x89PNG\r\n\x1a\n redaction test"
    checked = CheckedFile(
        content, PNG, "jane doe consent.png", hashlib.sha256(content).hexdigest(), ""
    )
    evidence.add_attachment(
        factories.auditor(session, worker),
        worker,
        saved,
        checked,
        AttachmentStore(Path(app.instance_path) / "attachments"),
    )
    services.decide(
        factories.auditor(session, dept.radiographer),
        factories.context(session, worker, "CANN"),
        services.DecisionDetails(
            outcome=Outcome.NOT_YET_COMPETENT,
            observed_on=today(),
            supervision=None,
            condition_codes=frozenset(),
            evidence_ids=frozenset({saved.id}),
            went_well="Calm explanation",
            to_develop="Anchoring the vein",
            action_plan="Five more supervised insertions",
        ),
        assessor=factories.assessor_facts(session, dept.radiographer),
        authentication=services.Authentication.POINT_OF_CARE,
        declared=False,
        request=None,
        on=today(),
        register_check_valid_days=365,
    )
    factories.evidence(
        session,
        worker,
        kind=EvidenceKind.REFLECTIVE_ACCOUNT,
        title="Cannulating in CT",
        activity_on=today() - dt.timedelta(days=3),
        body=f"MRS {NAME.upper()} was anxious;\nI explained each step and anchored the vein.",
        correcting=saved,
    )
    drafts.save_draft(
        session,
        worker.id,
        saved.id,
        drafts.DraftFields(kind="reflective_account", title="Draft", body=f"Later, {NAME} said"),
        now=dt.datetime.now(dt.UTC),
    )
    session.flush()
    session.refresh(saved)
    return saved


def _post(client: FlaskClient, path: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": factories.csrf_token(client, path), **data})


def test_an_educator_redacts_evidence_from_every_version_and_every_table(
    app: Flask,
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    worker_email = dept.worker.email
    record = _leaky_evidence(app, session, dept)
    assert set(holding(session, NAME)) == {
        "evidence_versions.title",
        "evidence_versions.body",
        "attachments.filename",
        "evidence_drafts.fields",
    }
    [considered] = session.scalars(select(SignOffEvidence.version_id)).all()
    factories.sign_in(client, dept.educator)
    path = f"/evidence/{record.id}/redact"
    audit_before = session.scalar(select(func.count()).select_from(AuditEntry))

    # First, where it is; nothing changes yet.
    found_page = _post(client, path, text=NAME, reason=REASON)
    found = factories.page_text(found_page)
    assert "Found, nothing changed yet" in found
    for place in (
        "Version 1: title (1 time)",
        "Version 1: text (1 time)",
        "Version 1: file name (1 time)",
        "Version 2: text (1 time)",
        "Version 2: file name (1 time)",
        "Unsaved changes: text (1 time)",
    ):
        assert place in found
    assert len(holding(session, NAME)) == 4
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before

    # Then, pressing the button the page now shows: the text it found is in the form.
    previewed = re.search(r'name="previewed" value="([^"]*)"', found_page.get_data(as_text=True))
    assert previewed is not None
    assert previewed.group(1) == NAME
    done = _post(client, path, text=NAME, reason=REASON, previewed=previewed.group(1))

    assert done.status_code == 302
    assert holding(session, NAME) == {}
    assert holding(session, "jane") == {}
    # The history stands: both versions, their numbers, the frozen one still what the
    # decision considered.
    session.expire_all()
    versions = session.get_one(Evidence, record.id).versions
    assert [(item.number, item.frozen) for item in versions] == [(1, True), (2, False)]
    assert versions[0].id == considered
    assert versions[0].body == "Mrs [redacted] was anxious; I explained each step."
    assert versions[1].body.startswith("MRS [redacted] was anxious;")
    assert versions[1].body.endswith("anchored the vein.")
    assert [item.filename for item in versions[0].attachments] == ["[redacted] consent.png"]
    # Recorded, without the text, and the audit chain still verifies.
    redaction = session.scalars(select(Redaction)).one()
    assert redaction.occurrences == 6
    assert redaction.reason == REASON
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "record.redacted")).one()
    assert entry.actor_id == dept.educator.id
    assert entry.subject_id == str(record.id)
    assert REASON not in entry.changes
    assert verify(session, key=factories.AUDIT_KEY) is None

    # The worker sees that and when, not why.
    worker = new_client()
    factories.sign_in(worker, worker_email)
    for version in (1, 2):
        page = factories.page_text(worker.get(f"/evidence/{record.id}?version={version}"))
        assert f"Redacted on {long_date(today())}" in page
        assert "[redacted]" in page
        assert REASON not in page
        assert "Redact text" not in page
    educator_page = factories.page_text(client.get(f"/evidence/{record.id}"))
    assert f"By Pat Educator. Reason: {REASON}" in educator_page


def test_an_administrator_redacts_a_sign_off_decision_and_what_hangs_on_it(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    worker_id, worker_email = dept.worker.id, dept.worker.email
    admin = factories.person(session, dept.org, AccountRole.ADMIN, name="Alex Admin")
    decision = factories.transcribed(
        session,
        dept.worker,
        "CANN",
        dept.educator,
        days_ago=40,
        supervision=SupervisionLevel.INDIRECT,
        assessor_name="Jo Vascular",
        assessor_profession="nurse",
        source=f"Paper record, with {NAME}'s consent form stapled to it",
    )
    services.suspend(
        factories.auditor(session, dept.educator),
        dept.educator,
        decision,
        starts_on=today(),
        reason=f"Complaint by {NAME} under investigation",
        open_suspension=None,
        revoked=False,
        on=today(),
    )
    assert set(holding(session, NAME)) == {
        "sign_off_decisions.transcribed_source",
        "sign_off_suspensions.reason",
    }
    factories.sign_in(client, admin)
    path = f"/sign-offs/{decision.id}/redact"
    found = factories.page_text(_post(client, path, text=NAME, reason="A patient's name"))
    assert "Transcribed from (1 time)" in found
    assert "Reason for the suspension (1 time)" in found

    done = _post(client, path, text=NAME, reason="A patient's name", previewed=NAME)

    assert done.status_code == 302
    assert holding(session, NAME) == {}
    assert verify(session, key=factories.AUDIT_KEY) is None
    session.expire_all()
    assert session.get_one(SignOffDecision, decision.id).transcribed_source == (
        "Paper record, with [redacted]'s consent form stapled to it"
    )
    assert session.scalars(select(Suspension)).one().reason == (
        "Complaint by [redacted] under investigation"
    )
    worker = new_client()
    factories.sign_in(worker, worker_email)
    page = factories.page_text(worker.get(f"/people/{worker_id}/competencies/CANN"))
    assert f"Redacted on {long_date(today())}" in page
    assert "A patient's name" not in page


@pytest.mark.parametrize("step", ["find", "redact"])
@pytest.mark.parametrize(
    ("text", "reason", "message"),
    [
        ("Joe Bloggs", REASON, "That text is not in this record"),
        ("J", REASON, "Enter at least 2 characters"),
        (NAME, "", "Enter the reason for the redaction"),
        (NAME, f"Removed {NAME}", "Do not repeat the text being removed in the reason"),
        (NAME, "Her NHS number 943 476 5919 too", "NHS number"),
    ],
)
def test_a_redaction_that_cannot_be_made_changes_nothing(
    app: Flask,
    session: Session,
    client: FlaskClient,
    department: factories.SignOffWorld,
    text: str,
    reason: str,
    message: str,
    step: str,
) -> None:
    """Refused whether finding the text or redacting it (a page left open, then changed)."""
    dept = department
    record = _leaky_evidence(app, session, dept)
    before = holding(session, NAME)
    audit = session.scalar(select(func.count()).select_from(AuditEntry))
    factories.sign_in(client, dept.educator)

    previewed = text if step == "redact" else ""
    response = _post(
        client, f"/evidence/{record.id}/redact", text=text, reason=reason, previewed=previewed
    )

    assert response.status_code == 200
    page = factories.page_text(response)
    assert "There is a problem" in page
    assert message in page
    assert holding(session, NAME) == before
    assert session.scalar(select(func.count()).select_from(Redaction)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit


def test_a_redaction_is_made_only_for_the_text_previewed(
    app: Flask, session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    record = _leaky_evidence(app, session, dept)
    before = holding(session, NAME)
    factories.sign_in(client, dept.educator)

    changed = _post(
        client, f"/evidence/{record.id}/redact", text=NAME, reason=REASON, previewed="Mrs"
    )

    assert "Found, nothing changed yet" in factories.page_text(changed)
    assert holding(session, NAME) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("worker", 403), ("supervisor", 403), ("outsider", 404), ("stranger", 404)],
)
def test_nobody_else_may_redact(
    app: Flask,
    session: Session,
    client: FlaskClient,
    department: factories.SignOffWorld,
    who: str,
    status: int,
) -> None:
    """The worker themselves, their assessor, an educator outside their reach and another
    trust's administrator: refused, and nothing changes."""
    dept = department
    record = _leaky_evidence(app, session, dept)
    supervisor = factories.person(session, dept.org, AccountRole.SUPERVISOR)
    people.assign_supervisor(factories.auditor(session), dept.worker, supervisor, today())
    elsewhere = factories.department(session, dept.org)
    callers = {
        "worker": dept.worker,
        "supervisor": supervisor,
        "outsider": factories.person(session, dept.org, AccountRole.EDUCATOR, reach=[elsewhere]),
        "stranger": factories.person(session, factories.organisation(session), AccountRole.ADMIN),
    }
    decision = session.scalars(
        select(SignOffDecision.id).where(
            SignOffDecision.worker_id == dept.worker.id,
            SignOffDecision.competency_code == "CANN",
        )
    ).one()  # the "not yet competent" that considered the evidence
    before = holding(session, NAME)
    factories.sign_in(client, callers[who])
    token = factories.csrf_token(client, "/account")
    for path in (f"/evidence/{record.id}/redact", f"/sign-offs/{decision}/redact"):
        assert client.get(path).status_code == status
        data = {"csrf_token": token, "text": NAME, "reason": REASON, "previewed": NAME}
        assert client.post(path, data=data).status_code == status
    assert holding(session, NAME) == before


@pytest.mark.commits
def test_the_audit_command_still_verifies_after_a_redaction(fresh_database_url: str) -> None:
    """On a committed database, as an administrator would check it: the chain is untouched
    (no entry ever held the text, so none needs changing)."""
    from portfolio import create_app, demo, migrations
    from portfolio.audit.services import Auditor
    from portfolio.commands import cli_auditor
    from portfolio.db import get_session
    from portfolio.people.models import User
    from portfolio.redaction import services as redaction

    migrations.upgrade(fresh_database_url)
    app = create_app("testing", database_url=fresh_database_url)
    try:
        with app.app_context():
            demo.load(cli_auditor())
            get_session().commit()
            session = get_session()
            priya = session.scalars(
                select(User).where(User.email == "educator@northfield.example")
            ).one()
            morgan = session.scalars(
                select(User).where(User.email == "scsw@northfield.example")
            ).one()
            study_day = session.scalars(
                select(Evidence).where(Evidence.worker_id == morgan.id)
            ).one()
            redaction.redact(
                Auditor(session, key=get_settings(app).audit_key_bytes, actor_id=priya.id),
                priya,
                study_day,
                redaction.evidence_places(session, study_day),
                text="simulation arm",
                reason="Testing that the audit trail still verifies",
                on=today(),
            )
            session.commit()
            assert "simulation arm" not in study_day.latest.body
        result = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert result.exit_code == 0, result.output
        assert "intact" in result.output
    finally:
        app.extensions["engine"].dispose()
