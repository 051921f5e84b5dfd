"""The notices pages: one's own notices only, marking read (a CSRF-protected POST), the
unread count in the header, and email choices saved per person."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import ProcedureLine, ProcedureOutcome
from portfolio.notices import services
from portfolio.notices.models import EmailPreference, Notice
from portfolio.notices.rules import NoticeKind, Topic
from portfolio.people.models import User
from portfolio.signoff.models import RequestState, SignOffRequest
from tests import factories


def _people(session: Session) -> tuple[User, User, User]:
    org = factories.organisation(session)
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    other = factories.person(session, org, AccountRole.SUPERVISOR, name="Grace Mensah")
    worker = factories.person(
        session, org, department=ward, name="Morgan Davies", supervisors=[supervisor]
    )
    return supervisor, other, worker


def _notice(session: Session, recipient: User, worker: User, key: str) -> Notice:
    [notice] = services.notify(
        session,
        [recipient.id],
        NoticeKind.PROCEDURE_AWAITING,
        key,
        services.About(worker_id=worker.id, competency_code="CANN"),
    )
    return notice


def test_the_list_shows_only_ones_own_notices_and_the_header_counts_the_unread(
    session: Session, client: FlaskClient
) -> None:
    supervisor, other, worker = _people(session)
    _notice(session, supervisor, worker, "procedure-1")
    _notice(session, supervisor, worker, "procedure-2")
    theirs = _notice(session, other, worker, "procedure-3")
    factories.sign_in(client, supervisor)

    html = client.get("/notices").get_data(as_text=True)
    page = factories.page_text(client.get("/notices"))
    assert "Morgan Davies logged a supervised procedure in CANN" in page
    assert "2 unread" in page
    assert html.count('name="notice"') == 2
    assert f'name="notice" value="{theirs.id}"' not in html
    assert "Notices (2 unread)" in factories.page_text(client.get("/home"))


def test_marking_read_needs_the_csrf_token_and_ones_own_notice(
    session: Session, client: FlaskClient
) -> None:
    supervisor, other, worker = _people(session)
    mine = _notice(session, supervisor, worker, "procedure-1")
    theirs = _notice(session, other, worker, "procedure-2")
    factories.sign_in(client, supervisor)

    forged = client.post("/notices/read", data={"notice": mine.id})
    assert forged.status_code == 400
    token = factories.csrf_token(client, "/notices")
    elsewhere = client.post("/notices/read", data={"notice": theirs.id, "csrf_token": token})
    assert elsewhere.status_code == 404
    session.expire_all()
    assert session.get_one(Notice, mine.id).read_at is None
    assert session.get_one(Notice, theirs.id).read_at is None

    done = client.post("/notices/read", data={"notice": mine.id, "csrf_token": token})
    assert done.status_code == 302
    session.expire_all()
    assert session.get_one(Notice, mine.id).read_at is not None
    assert session.get_one(Notice, theirs.id).read_at is None
    page = factories.page_text(client.get("/notices"))
    assert "0 unread" in page
    assert "Notices (" not in page  # the header's plain link once nothing is unread


def test_mark_all_read_touches_only_ones_own(session: Session, client: FlaskClient) -> None:
    supervisor, other, worker = _people(session)
    for number in range(3):
        _notice(session, supervisor, worker, f"procedure-{number}")
    theirs = _notice(session, other, worker, "procedure-9")
    factories.sign_in(client, supervisor)
    assert client.post("/notices/read-all").status_code == 400
    token = factories.csrf_token(client, "/notices")
    response = client.post("/notices/read-all", data={"csrf_token": token})
    assert response.status_code == 302
    assert "3 notices marked as read" in factories.page_text(client.get("/notices"))
    session.expire_all()
    assert session.get_one(Notice, theirs.id).read_at is None


def test_email_choices_are_saved_per_person_and_audited(
    session: Session, client: FlaskClient
) -> None:
    supervisor, other, _ = _people(session)
    factories.sign_in(client, supervisor)
    page = client.get("/notices/emails").get_data(as_text=True)
    assert page.count('name="topics"') == 3  # a supervisor's three kinds of email
    assert page.count("checked") == 3  # every email until switched off
    assert "weekly summary" not in page

    token = factories.csrf_token(client, "/notices/emails")
    saved = client.post(
        "/notices/emails", data={"csrf_token": token, "topics": [Topic.REQUEST_WAITING.value]}
    )
    assert saved.status_code == 302
    choices = services.email_choices(session, [supervisor.id, other.id])
    assert choices[supervisor.id] == {Topic.PROCEDURE_AWAITING: False, Topic.EXPIRY: False}
    assert choices[other.id] == {}
    page = client.get("/notices/emails").get_data(as_text=True)
    assert page.count("checked") == 1
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "notices.email_choices_changed")
    ).one()
    assert entry.actor_id == supervisor.id

    # Switched back on: the row stays, saying yes.
    client.post(
        "/notices/emails",
        data={
            "csrf_token": token,
            "topics": [Topic.REQUEST_WAITING.value, Topic.EXPIRY.value],
        },
    )
    session.expire_all()
    assert services.email_choices(session, [supervisor.id])[supervisor.id] == {
        Topic.PROCEDURE_AWAITING: False,
        Topic.EXPIRY: True,
    }


def test_an_email_not_offered_to_the_person_cannot_be_chosen(
    session: Session, client: FlaskClient
) -> None:
    supervisor, _, _ = _people(session)
    factories.sign_in(client, supervisor)
    token = factories.csrf_token(client, "/notices/emails")
    response = client.post(
        "/notices/emails", data={"csrf_token": token, "topics": [Topic.WEEKLY_SUMMARY.value]}
    )
    assert response.status_code == 200
    assert "There is a problem" in factories.page_text(response)
    assert session.scalars(select(EmailPreference)).all() == []


def test_someone_with_no_emails_is_told_so(session: Session, client: FlaskClient) -> None:
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    factories.sign_in(client, admin)
    assert "There are no emails for your account roles" in factories.page_text(
        client.get("/notices/emails")
    )
    assert "You have no notices yet" in factories.page_text(client.get("/notices"))


def test_the_unread_count_leaves_out_notices_already_dealt_with(
    session: Session, client: FlaskClient
) -> None:
    supervisor, _, worker = _people(session)
    line = ProcedureLine(
        worker_id=worker.id,
        competency_code="CANN",
        performed_on=today(),
        setting="CT",
        outcome=ProcedureOutcome.SUCCESSFUL,
        witness_id=supervisor.id,
    )
    request = SignOffRequest(
        worker_id=worker.id, competency_code="CANN", assessor_id=supervisor.id, requested_on=today()
    )
    session.add_all([line, request])
    session.flush()
    services.notify(
        session,
        [supervisor.id],
        NoticeKind.PROCEDURE_AWAITING,
        f"procedure-{line.id}",
        services.About(worker_id=worker.id, competency_code="CANN", procedure_line_id=line.id),
    )
    services.notify(
        session,
        [supervisor.id],
        NoticeKind.REQUEST_WAITING,
        f"request-{request.id}",
        services.About(worker_id=worker.id, competency_code="CANN", request_id=request.id),
    )
    factories.sign_in(client, supervisor)
    assert "Notices (2 unread)" in factories.page_text(client.get("/home"))

    # The witness confirms the procedure: one still needs them.
    line.confirmed_at, line.confirmed_by = utcnow(), "password"
    session.flush()
    assert "Notices (1 unread)" in factories.page_text(client.get("/home"))
    # The request is decided: nothing is left to do, though neither notice was opened.
    request.state, request.ended_on = RequestState.DECIDED, today()
    session.flush()
    assert "Notices (" not in factories.page_text(client.get("/home"))
    page = factories.page_text(client.get("/notices"))
    assert "0 unread" in page
    assert page.count("Dealt with") == 2
