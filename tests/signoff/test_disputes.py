"""The confirmation email after a sign-off on someone else's device, with a dispute window
(issue 20, item 3): the assessor's own email names what they signed, for whom and when; its
link disputes it within the trust's days, which suspends the sign-off at once and tells the
practice educators. Mail goes through a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today, utcnow
from portfolio.notices.models import Notice
from portfolio.notices.rules import NoticeKind
from portfolio.signoff import disputes
from portfolio.signoff.disputes import DisputeState
from portfolio.signoff.models import SignOffDecision, SignOffDispute, Suspension
from tests import factories
from tests.support.mail import BASE_URL, Inbox, body, run_task

PASSWORD = factories.PASSWORD
DISPUTE = "It was not me: suspend this sign-off"


def _signed_at_the_point_of_care(
    session: Session, client: FlaskClient, dept: factories.SignOffWorld
) -> SignOffDecision:
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    page = client.get("/competencies/CANN/sign-off").get_data(as_text=True)
    key = page.split('name="submission" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/competencies/CANN/sign-off",
        data={
            "csrf_token": factories.csrf_token(client, "/competencies/CANN/sign-off"),
            "submission": key,
            "outcome": "competent",
            "supervision": "direct",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
            "email": dept.radiographer.email,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, factories.page_text(response)
    return session.scalars(
        select(SignOffDecision).where(SignOffDecision.submission_key == key)
    ).one()


def _dispute_link(app: Flask, mail: Inbox, email: str) -> str:
    run_task(app, "send_notice_emails")
    [message] = mail.to(email)
    found = re.search(rf"{re.escape(BASE_URL)}(/sign-off-disputes/[A-Za-z0-9_-]+)", body(message))
    assert found, body(message)
    return found.group(1)


def test_the_assessor_is_told_by_email_and_a_dispute_suspends_and_tells_the_educators(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    decision = _signed_at_the_point_of_care(session, client, dept)
    link = _dispute_link(app, mail, dept.radiographer.email)
    [message] = mail.to(dept.radiographer.email)
    assert message["Subject"] == "You signed off a competency on a shared device"
    text = " ".join(body(message).split())
    assert "You signed off CANN: Cannulation for Morgan at " in text
    assert "Not you? Dispute it within 7 days" in text

    own = new_client()  # the assessor's own device, from the email
    page = own.get(link)
    assert page.status_code == 200
    assert "Was this sign-off yours?" in factories.page_text(page)
    done = own.post(
        link, data={"csrf_token": factories.csrf_from(page.text), "reason": "Not on shift"}
    )
    assert done.status_code == 200
    assert "Sign-off disputed" in factories.page_text(done)

    session.expire_all()
    [suspension] = session.scalars(
        select(Suspension).where(Suspension.decision_id == decision.id)
    ).all()
    assert suspension.starts_on == today()
    assert suspension.reinstated_on is None
    assert suspension.reason.startswith("Disputed by the assessor, Sam")
    assert suspension.reason.endswith(": Not on shift")
    assert suspension.suspended_by_id == dept.radiographer.id
    record = session.scalars(select(SignOffDispute)).one()
    assert record.disputed_at is not None
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.disputed")
    ).one()
    assert entry.actor_id == dept.radiographer.id

    [told] = session.scalars(
        select(Notice).where(Notice.kind == NoticeKind.SIGN_OFF_DISPUTED)
    ).all()
    assert told.recipient_id == dept.educator.id
    run_task(app, "send_notice_emails")
    [to_educator] = mail.to(dept.educator.email)
    assert to_educator["Subject"] == "A sign-off was disputed by its assessor"
    educator = new_client()
    factories.sign_in(educator, dept.educator)
    notices = factories.page_text(educator.get("/notices"))
    assert "was disputed by its assessor and is suspended" in notices
    status = factories.page_text(educator.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Suspended" in status

    again = own.get(link)
    assert again.status_code == 410
    assert "already been disputed" in factories.page_text(again)
    assert DISPUTE not in again.text


def test_after_the_window_the_link_disputes_nothing(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    decision = _signed_at_the_point_of_care(session, client, dept)
    link = _dispute_link(app, mail, dept.radiographer.email)
    record = session.scalars(select(SignOffDispute)).one()
    record.ends_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    page = new_client().get(link)
    assert page.status_code == 410
    assert "The time to dispute this sign-off has ended" in factories.page_text(page)
    assert DISPUTE not in page.text
    assert not session.scalars(
        select(Suspension).where(Suspension.decision_id == decision.id)
    ).all()
    assert new_client().get("/sign-off-disputes/" + "x" * 43).status_code == 404


def test_a_sign_off_on_the_assessors_own_session_sends_no_confirmation(
    session: Session, client: FlaskClient, app: Flask, department: factories.SignOffWorld
) -> None:
    """Only a sign-off made on someone else's device is confirmed (and only a sign-off, not a
    "not yet competent")."""
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    request = factories.sign_off_request(session, dept.worker, dept.nurse)
    nurse = app.test_client()
    factories.sign_in(nurse, dept.nurse)
    decided = nurse.post(
        f"/sign-off-requests/{request.id}",
        data={
            "csrf_token": factories.csrf_token(nurse, f"/sign-off-requests/{request.id}"),
            "outcome": "competent",
            "supervision": "direct",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "password": PASSWORD,
        },
    )
    assert decided.status_code == 302, factories.page_text(decided)
    kinds = session.scalars(select(Notice.kind)).all()
    assert NoticeKind.SIGNED_ON_SHARED_DEVICE not in kinds


@given(
    minutes=st.integers(-60, 60),
    disputed=st.booleans(),
    superseded=st.booleans(),
    revoked=st.booleans(),
)
def test_a_dispute_link_is_open_exactly_when_nothing_stands_in_its_way(
    minutes: int, disputed: bool, superseded: bool, revoked: bool
) -> None:
    now = dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)
    found = disputes.state(
        now=now,
        ends_at=now + dt.timedelta(minutes=minutes),
        disputed_at=now if disputed else None,
        superseded_at=now if superseded else None,
        revoked=revoked,
    )
    assert (found is DisputeState.OPEN) == (
        minutes > 0 and not disputed and not superseded and not revoked
    )
    if disputed:
        assert found is DisputeState.DISPUTED
