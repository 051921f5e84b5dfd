"""The witness's confirmation of supervised procedures shows every mistake at once, and a witness
whose password was right need not type it again to correct the rest (issue 21, item 6)."""

from __future__ import annotations

import datetime as dt
import json
import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import utcnow
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import ProcedureLine
from portfolio.people.models import User
from tests import factories


def _world(
    session: Session,
) -> tuple[User, User, User, ProcedureLine]:
    org = factories.organisation(session)
    factories.frameworks(session, "minimal")
    ward = factories.department(session, org)
    watched = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    other = factories.person(session, org, AccountRole.SUPERVISOR, name="Tom Reid")
    worker = factories.person(session, org, department=ward, supervisors=[watched])
    line = factories.procedure(
        session, worker, watched, performed_on=dt.date(2026, 6, 1), confirmed=False
    )
    return worker, watched, other, line


def _confirmed(session: Session, line: ProcedureLine) -> bool:
    session.refresh(line)
    return line.confirmed_at is not None


def _form(client: FlaskClient) -> dict[str, str]:
    page = client.get("/procedures/confirm").get_data(as_text=True)
    submission = re.search(r'name="submission"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="submission"', page
    )
    assert submission is not None
    return {
        "csrf_token": factories.csrf_token(client, "/procedures/confirm"),
        "submission": submission.group(1),
    }


def test_every_mistake_is_shown_at_once(session: Session, client: FlaskClient) -> None:
    worker, watched, _, line = _world(session)
    factories.sign_in(client, worker)
    form = _form(client)
    page = factories.page_text(client.post("/procedures/confirm", data=form))
    assert "Select the procedures you watched" in page
    assert "Enter your email address" in page
    assert "Enter your password" in page

    wrong = {**form, "email": watched.email, "password": "not-their-password"}
    page = factories.page_text(client.post("/procedures/confirm", data=wrong))
    assert "Select the procedures you watched" in page
    assert "correct email address and password of the person who watched" in page
    assert not _confirmed(session, line)


def test_a_right_password_is_not_asked_for_twice(session: Session, client: FlaskClient) -> None:
    worker, watched, _, line = _world(session)
    factories.sign_in(client, worker)
    form = _form(client)
    right = {**form, "email": watched.email, "password": factories.PASSWORD}
    page = factories.page_text(client.post("/procedures/confirm", data=right))
    assert "Select the procedures you watched" in page
    assert "Your identity is confirmed for these procedures (Grace Mensah)" in page
    assert "Your password" not in page
    assert not _confirmed(session, line)

    checked = utcnow()
    # The corrected form, with no password: confirmed, as Grace Mensah.
    response = client.post("/procedures/confirm", data={**form, "line_ids": [line.id]})
    assert response.status_code == 302
    assert _confirmed(session, line)
    # The audit trail says when her password was checked: on the first submission.
    [entry] = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "procedure.confirmed")
    ).all()
    at = dt.datetime.fromisoformat(json.loads(entry.changes)["identity_checked_at"])
    assert at <= checked
    assert entry.actor_id == watched.id
    assert "Grace Mensah confirmed 1 procedure" in factories.page_text(
        client.get(response.headers["Location"])
    )


def test_the_kept_identity_is_for_that_form_only(session: Session, client: FlaskClient) -> None:
    worker, watched, _, line = _world(session)
    factories.sign_in(client, worker)
    first = _form(client)
    client.post(
        "/procedures/confirm",
        data={**first, "email": watched.email, "password": factories.PASSWORD},
    )
    another = _form(client)  # a new form: a new key
    page = factories.page_text(
        client.post("/procedures/confirm", data={**another, "line_ids": [line.id]})
    )
    assert "Enter your password" in page
    assert not _confirmed(session, line)


def test_a_procedure_naming_another_witness_is_refused_beside_the_rest(
    session: Session, client: FlaskClient
) -> None:
    worker, _, other, line = _world(session)
    factories.sign_in(client, worker)
    form = _form(client)
    page = factories.page_text(
        client.post(
            "/procedures/confirm",
            data={
                **form,
                "line_ids": [line.id],
                "email": other.email,
                "password": factories.PASSWORD,
            },
        )
    )
    assert "Only procedures that name Tom Reid as the witness can be confirmed by them" in page
    assert not _confirmed(session, line)


def test_the_procedures_are_listed_with_their_dates_in_words(
    session: Session, client: FlaskClient
) -> None:
    worker, _, _, _ = _world(session)
    factories.sign_in(client, worker)
    page = factories.page_text(client.get("/procedures/confirm"))
    assert "1 June 2026 CANN" in page
    assert "01/06/2026" not in page


def test_a_witness_who_watched_nothing_ticked_is_not_kept(
    session: Session, client: FlaskClient
) -> None:
    """Tom Reid's password was right but the procedure names Grace Mensah: the form asks for a
    password again, so that Grace can confirm on it."""
    worker, watched, other, line = _world(session)
    factories.sign_in(client, worker)
    form = {**_form(client), "line_ids": [line.id]}
    tom = {**form, "email": other.email, "password": factories.PASSWORD}
    page = factories.page_text(client.post("/procedures/confirm", data=tom))
    assert "Your identity is confirmed" not in page
    assert "Your password" in page
    grace = {**form, "email": watched.email, "password": factories.PASSWORD}
    assert client.post("/procedures/confirm", data=grace).status_code == 302
    assert _confirmed(session, line)


def test_a_kept_witness_who_is_no_longer_a_supervisor_cannot_confirm(
    session: Session, client: FlaskClient
) -> None:
    worker, watched, _, line = _world(session)
    factories.sign_in(client, worker)
    form = _form(client)
    client.post(
        "/procedures/confirm",
        data={**form, "email": watched.email, "password": factories.PASSWORD},
    )
    watched.account_roles = [
        role for role in watched.account_roles if role.role is not AccountRole.SUPERVISOR
    ]
    session.flush()
    page = factories.page_text(
        client.post("/procedures/confirm", data={**form, "line_ids": [line.id]})
    )
    assert "Enter your password" in page
    assert not _confirmed(session, line)
