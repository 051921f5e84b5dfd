"""Remote sign-off (issue 20, item 1): the email with a sign-off request carries a link that
opens the request on the assessor's own device, after their password once; the decision page
then records the decision without it again. A used, expired, withdrawn, replaced, decided or
forwarded link gets a page saying so, never the decision form. Mail goes through a real SMTP
server on 127.0.0.1."""

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

from portfolio.accounts.models import SignInAttempt
from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today, utcnow
from portfolio.signoff import links
from portfolio.signoff.links import LinkState
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    SignOffDecision,
    SignOffLink,
    SignOffRequest,
)
from tests import factories
from tests.support.mail import BASE_URL, Inbox, body, run_task

PASSWORD = factories.PASSWORD
DECIDE = "Sign and record the decision"


def _ask_and_email(
    session: Session, client: FlaskClient, app: Flask, dept: factories.SignOffWorld, mail: Inbox
) -> tuple[SignOffRequest, str]:
    """The worker asks the nurse; the email goes; returns the request and the link's path."""
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    token = factories.csrf_token(client, "/competencies/CANN/request")
    asked = client.post(
        "/competencies/CANN/request",
        data={
            "csrf_token": token,
            "assessor_id": str(dept.nurse.id),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
        },
    )
    assert asked.status_code == 302, factories.page_text(asked)
    assert run_task(app, "send_notice_emails")["sent"] == 1
    [message] = mail.to(dept.nurse.email)
    found = re.search(rf"{re.escape(BASE_URL)}(/sign-off-links/[A-Za-z0-9_-]+)", body(message))
    assert found, body(message)
    return session.scalars(select(SignOffRequest)).one(), found.group(1)


def _decide(device: FlaskClient, path: str, evidence_id: int, **extra: str) -> FlaskClient:
    page = device.get(path)
    submission = re.search(r'name="submission" type="hidden" value="([^"]+)"', page.text)
    assert submission, page.text
    return device.post(  # type: ignore[return-value]
        path.split("?")[0],
        data={
            "csrf_token": factories.csrf_from(page.text),
            "submission": submission.group(1),
            "outcome": "competent",
            "supervision": "direct",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(evidence_id)],
            **extra,
        },
    )


def test_the_emailed_link_opens_the_request_on_the_assessors_own_device_with_one_password(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    sign_off_request, link_path = _ask_and_email(session, client, app, dept, mail)
    [message] = mail.to(dept.nurse.email)
    assert "works once, for 3 days" in body(message)
    assert "Peripheral" not in body(message)  # no competency named in an email

    phone = new_client()  # the assessor's own phone: nobody signed in on it
    first = phone.get(link_path)
    assert first.status_code == 200
    text = factories.page_text(first)
    assert "Open Morgan Davies's sign-off request" in text
    assert f"This link is for Grace Mensah ({dept.nurse.email}) alone" in text
    assert DECIDE not in text  # the decision form only after the password

    wrong = phone.post(
        link_path, data={"csrf_token": factories.csrf_from(first.text), "password": "wrong"}
    )
    assert wrong.status_code == 200
    assert "Enter the correct password" in factories.page_text(wrong)
    assert DECIDE not in factories.page_text(wrong)
    attempts = session.scalars(
        select(SignInAttempt).where(SignInAttempt.email == dept.nurse.email)
    ).all()
    assert [attempt.succeeded for attempt in attempts][-1] is False  # counted like a sign-in

    opened = phone.post(
        link_path, data={"csrf_token": factories.csrf_from(wrong.text), "password": PASSWORD}
    )
    assert opened.status_code == 302
    decide_path = opened.headers["Location"]
    assert decide_path.startswith(f"/sign-off-requests/{sign_off_request.id}?submission=")
    page = factories.page_text(phone.get(decide_path))
    assert "Your identity is confirmed for this sign-off (Grace Mensah)" in page
    assert "cannulation study day" in page.lower()  # the evidence is on the page

    decided = _decide(phone, decide_path, dept.evidence_id)  # no password: confirmed above
    assert decided.status_code == 302, factories.page_text(decided)
    session.expire_all()
    [decision] = session.scalars(
        select(SignOffDecision).where(SignOffDecision.request_id == sign_off_request.id)
    ).all()
    assert (decision.request_id, decision.assessor_name) == (sign_off_request.id, "Grace Mensah")
    assert decision.authentication is Authentication.OWN_SESSION
    link = session.scalars(select(SignOffLink)).one()
    assert link.opened_at is not None
    assert link.used_at is not None
    opened_entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_off.link_opened")
    ).all()
    assert [entry.actor_id for entry in opened_entries] == [dept.nurse.id]

    again = new_client().get(link_path)
    assert again.status_code == 410
    assert "This link has already been used" in factories.page_text(again)
    assert DECIDE not in factories.page_text(again)


def test_already_signed_in_as_the_assessor_the_link_goes_straight_to_the_decision_page(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    sign_off_request, link_path = _ask_and_email(session, client, app, dept, mail)
    desk = new_client()
    factories.sign_in(desk, dept.nurse)
    opened = desk.get(link_path)
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/sign-off-requests/{sign_off_request.id}"
    # In their own session the password is asked at signing, as always.
    refused = _decide(desk, opened.headers["Location"], dept.evidence_id)
    assert refused.status_code == 200
    assert "Enter your password" in factories.page_text(refused)


def _refusal(device: FlaskClient, path: str, status: int, heading: str) -> None:
    response = device.get(path)
    text = factories.page_text(response)
    assert response.status_code == status, text
    assert heading in text
    assert DECIDE not in text
    assert 'type="password"' not in response.text


def test_a_forwarded_link_opened_by_someone_else_signed_in_is_refused(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    _, link_path = _ask_and_email(session, client, app, dept, mail)
    colleague = new_client()
    factories.sign_in(colleague, dept.radiographer)
    _refusal(colleague, link_path, 403, "This link was sent to another assessor")
    _refusal(client, link_path, 403, "This link was sent to another assessor")  # the worker


def test_expired_withdrawn_replaced_decided_and_unknown_links_each_get_a_clear_page(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    dept = department
    sign_off_request, link_path = _ask_and_email(session, client, app, dept, mail)
    link = session.scalars(select(SignOffLink)).one()
    _refusal(new_client(), "/sign-off-links/" + "x" * 43, 404, "This link is not valid")

    link.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.commit()
    _refusal(new_client(), link_path, 410, "This link has expired")
    link.expires_at = utcnow() + dt.timedelta(hours=1)

    newer = links.issue(session, sign_off_request, now=utcnow(), valid_for=dt.timedelta(hours=1))
    session.commit()
    _refusal(new_client(), link_path, 410, "This link has been replaced by a newer one")
    assert new_client().get(f"/sign-off-links/{newer}").status_code == 200

    sign_off_request.state = RequestState.WITHDRAWN
    session.commit()
    _refusal(new_client(), f"/sign-off-links/{newer}", 410, "This request was withdrawn")
    sign_off_request.state = RequestState.DECIDED
    session.commit()
    _refusal(new_client(), f"/sign-off-links/{newer}", 410, "already been decided")


@given(
    minutes=st.integers(-60, 60),
    used=st.booleans(),
    superseded=st.booleans(),
    request_state=st.sampled_from(RequestState),
    active=st.booleans(),
)
def test_a_link_is_usable_exactly_when_nothing_stands_in_its_way(
    minutes: int, used: bool, superseded: bool, request_state: RequestState, active: bool
) -> None:
    now = dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC)
    found = links.state(
        now=now,
        expires_at=now + dt.timedelta(minutes=minutes),
        used_at=now if used else None,
        superseded_at=now if superseded else None,
        request_state=request_state,
        assessor_active=active,
    )
    waiting = request_state is RequestState.WAITING
    assert (found is LinkState.USABLE) == (waiting and not superseded and active and minutes > 0)
    if request_state is RequestState.DECIDED:
        assert found is (LinkState.USED if used else LinkState.DECIDED)
    if waiting and not superseded and active and minutes <= 0:
        assert found is LinkState.EXPIRED


def test_a_temporary_password_opens_no_decision_from_the_link(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    app: Flask,
    department: factories.SignOffWorld,
    mail: Inbox,
) -> None:
    """A password an administrator set proves nothing (they know it): the assessor is sent to
    choose their own, and the decision page then asks for it at signing."""
    dept = department
    sign_off_request, link_path = _ask_and_email(session, client, app, dept, mail)
    dept.nurse.must_change_password = True
    session.commit()
    phone = new_client()
    first = phone.get(link_path)
    opened = phone.post(
        link_path, data={"csrf_token": factories.csrf_from(first.text), "password": PASSWORD}
    )
    assert opened.status_code == 302
    assert opened.headers["Location"] == "/account/password"
    page = factories.page_text(phone.get(f"/sign-off-requests/{sign_off_request.id}"))
    assert "Your identity is confirmed" not in page
