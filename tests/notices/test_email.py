"""Email through a real SMTP server on 127.0.0.1: what arrives, what does not, and pages that
keep working whatever the mail server does."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence.models import ProcedureLine
from portfolio.notices import mail as mail_module
from portfolio.notices.links import absolute
from portfolio.notices.mail import MailSettings, build_message, send_pending
from portfolio.notices.models import EmailStatus, Notice
from portfolio.notices.rules import NoticeKind
from portfolio.signoff.models import SignOffRequest
from tests import factories
from tests.support.mail import BASE_URL, Inbox, body, free_port, point_mail_at, run_task

PASSWORD = factories.PASSWORD


def _ask(client: FlaskClient, dept: factories.SignOffWorld) -> int:
    """The worker asks the nurse to sign off cannulation; returns the page's status."""
    token = factories.csrf_token(client, "/competencies/CANN/request")
    response = client.post(
        "/competencies/CANN/request",
        data={
            "csrf_token": token,
            "assessor_id": str(dept.nurse.id),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
        },
    )
    return response.status_code


def _notices(session: Session, kind: NoticeKind) -> list[Notice]:
    session.expire_all()
    return list(session.scalars(select(Notice).where(Notice.kind == kind).order_by(Notice.id)))


def test_a_sign_off_request_emails_the_assessor(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    # The page only wrote the notice: nothing has been sent yet.
    assert mail.messages == []
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.recipient_id == dept.nurse.id
    assert notice.email_status is EmailStatus.PENDING

    assert run_task(app, "send_notice_emails") == {
        "sent": 1,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }
    [message] = mail.to(dept.nurse.email)
    assert message["Subject"] == "A sign-off request is waiting for you"
    assert message["From"] == "portfolio@trust.example"
    assert message["Auto-Submitted"] == "auto-generated"
    text = body(message)
    request_id = session.scalars(select(SignOffRequest.id)).one()
    # The request's own link, for the nurse's own device (tests/signoff/test_remote_sign_off.py).
    assert re.search(rf"{re.escape(BASE_URL)}/sign-off-links/[A-Za-z0-9_-]{{43}}\s", text), text
    assert "works once, for 3 days" in text
    assert text.startswith("Hello Grace,")
    assert "Morgan has asked you to sign off a competency" in text
    assert f"{BASE_URL}/notices/emails" in text
    # Only what is waiting and for whom: no surname, competency or evidence.
    for private in ("Davies", "Cannulation", "CANN", "study day", "simulation"):
        assert private not in text
        assert private not in message["Subject"]
    [sent] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert sent.email_status is EmailStatus.SENT
    assert sent.email_sent_at is not None

    # Running again sends nothing twice.
    assert run_task(app, "send_notice_emails")["sent"] == 0
    assert len(mail.messages) == 1

    # And the nurse sees the notice in the app, linked to the request.
    nurse = app.test_client()
    factories.sign_in(nurse, dept.nurse)
    page = nurse.get("/notices").get_data(as_text=True)
    assert f'href="/sign-off-requests/{request_id}"' in page
    assert "Morgan Davies asked you to sign off Cannulation (CANN)" in factories.page_text(
        nurse.get("/notices")
    )


def test_someone_who_switched_the_email_off_gets_the_notice_and_no_email(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    nurse = app.test_client()
    factories.sign_in(nurse, dept.nurse)
    token = factories.csrf_token(nurse, "/notices/emails")
    assert nurse.post("/notices/emails", data={"csrf_token": token}).status_code == 302

    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.email_status is EmailStatus.NOT_WANTED
    assert run_task(app, "send_notice_emails")["sent"] == 0
    assert mail.messages == []
    assert "Morgan Davies asked you to sign off" in factories.page_text(nurse.get("/notices"))
    assert "Notices (1 unread)" in factories.page_text(nurse.get("/home"))


def test_a_refusing_mail_server_leaves_the_page_working_and_the_email_pending(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    mail.refuse = "451 4.3.0 Mailbox busy, try again later"
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    assert client.get(f"/people/{dept.worker.id}/competencies/CANN").status_code == 200

    report = run_task(app, "send_notice_emails")
    assert report == {"sent": 0, "retrying": 1, "failed": 0, "skipped": 0}
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.email_status is EmailStatus.PENDING
    assert notice.email_attempts == 1
    assert notice.email_detail is not None
    assert notice.email_detail.startswith("451")
    assert notice.email_next_attempt_at is not None
    assert notice.email_next_attempt_at > utcnow()
    # Not retried before its time...
    assert run_task(app, "send_notice_emails")["retrying"] == 0
    # ...and sent once it is due and the server takes mail again.
    mail.refuse = None
    with app.app_context():
        later = notice.email_next_attempt_at + dt.timedelta(seconds=1)
        assert send_pending(get_session(), app, later).sent == 1
    assert len(mail.to(dept.nurse.email)) == 1
    [sent] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert sent.email_status is EmailStatus.SENT
    assert sent.email_attempts == 1


def test_no_mail_server_at_all_leaves_the_page_working_and_the_email_pending(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dept = department
    point_mail_at(app, monkeypatch, free_port())  # nothing listens there
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    assert run_task(app, "send_notice_emails")["retrying"] == 1
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.email_status is EmailStatus.PENDING
    assert notice.email_detail is not None
    assert "ConnectionRefusedError" in notice.email_detail


def test_a_recipient_refused_for_good_is_not_retried(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    mail.refuse = None
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302

    async def refuse_recipient(server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        return "550 5.1.1 No such mailbox"

    mail.handle_RCPT = refuse_recipient  # type: ignore[attr-defined]
    assert run_task(app, "send_notice_emails")["failed"] == 1
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.email_status is EmailStatus.FAILED
    assert notice.email_detail == "550 5.1.1 No such mailbox"


def test_without_an_smtp_host_notices_appear_and_emails_are_skipped_with_one_warning(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dept = department
    monkeypatch.setattr(mail_module, "_reported", set())
    assert get_settings(app).smtp_host == ""  # the testing configuration sends no mail
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    with caplog.at_level(logging.WARNING, logger="portfolio.notices.mail"):
        assert run_task(app, "send_notice_emails")["skipped"] == 1
        assert run_task(app, "send_notice_emails")["skipped"] == 0
    assert [record.getMessage() for record in caplog.records] == [
        "PORTFOLIO_SMTP_HOST is not set: emails are not sent (notices still appear in the app)"
    ]
    [notice] = _notices(session, NoticeKind.REQUEST_WAITING)
    assert notice.email_status is EmailStatus.SKIPPED
    assert notice.read_at is None


def test_a_request_withdrawn_before_the_email_goes_is_not_emailed(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    request_id = session.scalars(select(SignOffRequest.id)).one()
    token = factories.csrf_token(client, f"/people/{dept.worker.id}/competencies/CANN")
    withdrawn = client.post(f"/sign-off-requests/{request_id}/withdraw", data={"csrf_token": token})
    assert withdrawn.status_code == 302
    assert run_task(app, "send_notice_emails")["skipped"] == 1
    assert mail.messages == []
    nurse = app.test_client()
    factories.sign_in(nurse, dept.nurse)
    page = nurse.get("/notices").get_data(as_text=True)
    assert "Dealt with" in page
    assert f'href="/sign-off-requests/{request_id}"' not in page


def test_a_returned_request_emails_the_worker_a_link_to_the_feedback(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    assert _ask(client, dept) == 302
    request_id = session.scalars(select(SignOffRequest.id)).one()
    nurse = app.test_client()
    factories.sign_in(nurse, dept.nurse)
    token = factories.csrf_token(nurse, f"/sign-off-requests/{request_id}")
    decided = nurse.post(
        f"/sign-off-requests/{request_id}",
        data={
            "csrf_token": token,
            "outcome": "not_yet_competent",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "went_well": "Calm explanation to the patient.",
            "to_develop": "Vein selection on the dorsum of the hand.",
            "action_plan": "Three more supervised attempts this month.",
            "password": PASSWORD,
        },
    )
    assert decided.status_code == 302, factories.page_text(decided)
    [returned] = _notices(session, NoticeKind.REQUEST_RETURNED)
    assert returned.recipient_id == dept.worker.id

    run_task(app, "send_notice_emails")
    [message] = mail.to(dept.worker.email)
    text = body(message)
    assert message["Subject"] == "Feedback on your sign-off request"
    assert f"{BASE_URL}/people/{dept.worker.id}/competencies/CANN" in text
    for private in ("Vein", "Calm", "attempts", "Grace", "Cannulation"):
        assert private not in text
    # The assessor decided before the task ran: no email about a request no longer waiting.
    assert mail.to(dept.nurse.email) == []
    page = factories.page_text(client.get("/notices"))
    assert "Not yet competent in Cannulation (CANN): read the feedback" in page
    feedback = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Vein selection on the dorsum of the hand." in feedback


def test_a_logged_procedure_tells_its_witness_until_confirmed(
    session: Session,
    client: FlaskClient,
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    factories.sign_in(client, dept.worker)

    def log() -> int:
        token = factories.csrf_token(client, "/procedures/new")
        return client.post(
            "/procedures/new",
            data={
                "csrf_token": token,
                "competency_code": "CANN",
                "performed_on": today().isoformat(),
                "setting": "CT",
                "outcome": "successful",
                "witness_id": dept.radiographer.id,
            },
        ).status_code

    assert log() == 302
    run_task(app, "send_notice_emails")
    [message] = mail.to(dept.radiographer.email)
    assert message["Subject"] == "A supervised procedure is waiting for your confirmation"
    assert "Morgan logged a supervised procedure" in body(message)
    assert f"{BASE_URL}/notices" in body(message)

    # A second one confirmed before the task runs: the notice stays, the email is not sent.
    assert log() == 302
    for line in session.scalars(select(ProcedureLine)):
        line.confirmed_at = utcnow()
    session.flush()
    assert run_task(app, "send_notice_emails")["skipped"] == 1
    assert len(mail.to(dept.radiographer.email)) == 1
    assert len(_notices(session, NoticeKind.PROCEDURE_AWAITING)) == 2


def test_links_in_emails_follow_base_url_and_its_path(app: Flask) -> None:
    assert (
        absolute(app, "https://trust.example/portfolio/", "signoff.to_do", {})
        == "https://trust.example/portfolio/to-do"
    )
    assert (
        absolute(app, "http://127.0.0.1:5000", "signoff.decide_request", {"request_id": 4})
        == "http://127.0.0.1:5000/sign-off-requests/4"
    )


def test_a_message_is_plain_text_and_the_password_stays_out_of_sight() -> None:
    settings = MailSettings(
        host="smtp.trust.example",
        port=587,
        username="portfolio",
        password="s3cret-relay-password",
        starttls=True,
        sender="Imaging portfolio <no-reply@trust.nhs.uk>",
        base_url=BASE_URL,
    )
    assert "s3cret" not in repr(settings)
    assert settings.problem() is None
    message = build_message(
        settings, "grace@trust.example", "A subject", "Hello Grace,\n", utcnow()
    )
    assert message.get_content_type() == "text/plain"
    assert message["Message-ID"].endswith("@trust.nhs.uk>")
    assert message["From"] == "Imaging portfolio <no-reply@trust.nhs.uk>"
