"""An administrator adds, changes and deactivates people; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import html

from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people.models import Appointment, SupervisorAssignment, User
from tests import factories


def _admin_client(session: Session, client: FlaskClient):  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    factories.sign_in(client, admin)
    return org, admin, factories.csrf_token(client, "/people/new")


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_adding_a_person_shows_a_one_off_password_that_must_be_changed(
    session: Session, client: FlaskClient, new_client
) -> None:  # type: ignore[no-untyped-def]
    org, _, token = _admin_client(session, client)
    response = client.post(
        "/people/new",
        data={
            "csrf_token": token,
            "name": "Jordan Lee",
            "email": "Jordan.Lee@Trust.example",
            "roles": ["support_worker"],
            "register": "none",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Jordan Lee has been added" in page
    password = page.split('id="temporary-password">')[1].split("<")[0]
    person = session.scalar(select(User).where(User.email == "jordan.lee@trust.example"))
    assert person is not None
    assert person.organisation_id == org.id
    assert person.must_change_password
    assert (
        factories.sign_in(new_client(), "jordan.lee@trust.example", password).headers["Location"]
        == "/account/password"
    )


def test_a_bad_form_re_renders_with_errors_and_saves_nothing(
    session: Session, client: FlaskClient
) -> None:
    org, _, token = _admin_client(session, client)
    factories.person(session, org, email="taken@trust.example")
    people, entries = _count(session, User), _count(session, AuditEntry)
    cases = [
        (
            {"name": "", "email": "x@trust.example", "roles": ["admin"]},
            "Enter the person's full name",
        ),
        ({"name": "A", "email": "not-an-email", "roles": ["admin"]}, "correct format"),
        (
            {"name": "A", "email": "TAKEN@trust.example", "roles": ["admin"]},
            "already has this email",
        ),
        ({"name": "A", "email": "a@trust.example"}, "Select at least one account role"),
        (
            {
                "name": "A",
                "email": "a@trust.example",
                "roles": ["supervisor"],
                "register": "hcpc",
                "register_number": "RA12345678",
            },
            "up to 6 digits",
        ),
    ]
    for data, message in cases:
        response = client.post(
            "/people/new", data={"csrf_token": token, "register": "none", **data}
        )
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 200
        assert "There is a problem" in page
        assert message in page
        assert 'value="' + data["name"] + '"' in page or not data["name"]  # what was typed is kept
    assert (_count(session, User), _count(session, AuditEntry)) == (people, entries)


def test_editing_a_person_is_saved_and_audited_without_copying_their_name(
    session: Session, client: FlaskClient
) -> None:
    org, admin, token = _admin_client(session, client)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    response = client.post(
        f"/people/{supervisor.id}/edit",
        data={
            "csrf_token": token,
            "name": "Samuel Okafor",
            "email": supervisor.email,
            "roles": ["supervisor", "educator"],
            "profession": "radiographer",
            "register": "hcpc",
            "register_number": "ra 123456",
            "register_checked_on": "2026-11-01",
            "register_check_result": "registered",
            "reach_whole_organisation": "y",
        },
    )
    assert response.status_code == 302
    session.refresh(supervisor)
    assert supervisor.name == "Samuel Okafor"
    assert supervisor.register_number == "RA123456"
    assert supervisor.register_checked_on == dt.date(2026, 11, 1)
    assert supervisor.roles == {AccountRole.SUPERVISOR, AccountRole.EDUCATOR}
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "person.updated")
        .order_by(AuditEntry.seq.desc())
    ).first()
    assert entry is not None
    assert entry.actor_id == admin.id
    assert "Samuel" not in entry.changes
    assert "RA123456" in entry.changes


def test_recording_job_roles_keeps_the_history(session: Session, client: FlaskClient) -> None:
    org, _, token = _admin_client(session, client)
    ward = factories.department(session, org, "General radiography")
    worker = factories.person(session, org, department=ward, job_role=JobRole.SCSW)
    response = client.post(
        f"/people/{worker.id}/job-role",
        data={
            "csrf_token": token,
            "job_role": "ap",
            "trainee": "y",
            "afc_band": "3",
            "department_id": ward.id,
            "started_in_post_on": "2026-09-01",
            "effective_from": "2026-09-01",
        },
    )
    assert response.status_code == 302
    rows = session.scalars(
        select(Appointment)
        .where(Appointment.user_id == worker.id)
        .order_by(Appointment.effective_from)
    ).all()
    assert [(row.job_role, row.trainee) for row in rows] == [
        (JobRole.SCSW, False),
        (JobRole.AP, True),
    ]
    page = client.get(f"/people/{worker.id}").get_data(as_text=True)
    assert "Trainee assistant practitioner" in page
    assert "Senior clinical support worker" in page


def test_deactivating_archives_and_keeps_every_record(
    session: Session, client: FlaskClient, new_client
) -> None:  # type: ignore[no-untyped-def]
    org, _, token = _admin_client(session, client)
    ward = factories.department(session, org)
    worker = factories.person(session, org, department=ward)
    worker_client = new_client()
    factories.sign_in(worker_client, worker)
    confirm = client.get(f"/people/{worker.id}/deactivate")
    assert "Their last working day" in factories.page_text(confirm)
    session.refresh(worker)
    assert worker.active  # the page asks first
    last_day = today() - dt.timedelta(days=2)
    answer = client.post(
        f"/people/{worker.id}/deactivate",
        data={"csrf_token": token, "last_day": last_day.isoformat(), "reason": "retired"},
    )
    assert answer.status_code == 302
    session.refresh(worker)
    assert not worker.active
    assert worker.deactivated_at is not None
    assert worker_client.get("/home").status_code == 302  # signed out at once
    assert session.scalar(select(func.count()).where(Appointment.user_id == worker.id)) == 1
    assert "This account is not active" in factories.sign_in(new_client(), worker).get_data(
        as_text=True
    )
    listing = client.get("/people?status=inactive").get_data(as_text=True)
    assert worker.name in listing
    assert "Deactivated" in listing


def test_deactivating_records_the_last_working_day_and_the_reason(
    session: Session, client: FlaskClient
) -> None:
    org, _, token = _admin_client(session, client)
    worker = factories.person(session, org, department=factories.department(session, org))
    last_day = today() - dt.timedelta(days=3)
    client.post(
        f"/people/{worker.id}/deactivate",
        data={"csrf_token": token, "last_day": last_day.isoformat(), "reason": "moved_trust"},
    )
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "person.deactivated", AuditEntry.subject_id == str(worker.id)
        )
    ).one()
    assert '"last_day":"' + last_day.isoformat() + '"' in entry.changes.replace(" ", "")
    assert '"reason":"moved_trust"' in entry.changes.replace(" ", "")


def test_deactivating_without_a_reason_or_with_a_future_day_shows_both_and_changes_nothing(
    session: Session, client: FlaskClient
) -> None:
    org, _, token = _admin_client(session, client)
    worker = factories.person(session, org, department=factories.department(session, org))
    tomorrow = today() + dt.timedelta(days=1)
    answer = client.post(
        f"/people/{worker.id}/deactivate",
        data={"csrf_token": token, "last_day": tomorrow.isoformat()},
    )
    assert answer.status_code == 200
    page = factories.page_text(answer)
    assert "Select why the account is being deactivated" in page
    assert "Their last working day must be today or earlier" in page
    assert f'value="{tomorrow.isoformat()}"' in answer.get_data(as_text=True)  # kept as typed
    session.refresh(worker)
    assert worker.active


def test_departments_and_organisation_settings_are_audited(
    session: Session, client: FlaskClient
) -> None:
    _, _, token = _admin_client(session, client)
    client.post("/organisation/departments/new", data={"csrf_token": token, "name": "MRI"})
    client.post(
        "/organisation", data={"csrf_token": token, "name": "Renamed Trust", "nation": "wales"}
    )
    actions = set(session.execute(text("SELECT action FROM audit_entries")).scalars())
    assert {"department.created", "organisation.updated"} <= actions
    page = client.get("/organisation").get_data(as_text=True)
    assert "MRI" in page
    assert 'value="Renamed Trust"' in page


def test_removing_the_supervisor_role_ends_their_supervisions(
    session: Session, client: FlaskClient, new_client
) -> None:  # type: ignore[no-untyped-def]
    org, _, token = _admin_client(session, client)
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    theirs = new_client()
    factories.sign_in(theirs, supervisor)
    assert theirs.get(f"/people/{worker.id}").status_code == 200
    response = client.post(
        f"/people/{supervisor.id}/edit",
        data={
            "csrf_token": token,
            "name": supervisor.name,
            "email": supervisor.email,
            "roles": ["support_worker"],
            "register": "none",
        },
    )
    assert response.status_code == 302
    assert theirs.get(f"/people/{worker.id}").status_code == 404
    page = client.get(f"/people/{worker.id}").get_data(as_text=True)
    assert "No supervisor assigned" not in page  # the history is kept, with its end date
    assert " to " in page.split("Supervisors</h2>")[1].split("</ul>")[0]


def test_a_supervision_cannot_overlap_another_by_the_same_supervisor(
    session: Session, client: FlaskClient
) -> None:
    org, _, token = _admin_client(session, client)
    ward = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    worker = factories.person(session, org, department=ward, supervisors=[supervisor])
    assignment = session.scalars(
        select(SupervisorAssignment).where(SupervisorAssignment.worker_id == worker.id)
    ).one()
    client.post(
        f"/people/{worker.id}/supervisors/{assignment.id}/end",
        data={"csrf_token": token, "ends_on": "2030-01-31"},
    )
    page = html.unescape(
        client.post(
            f"/people/{worker.id}/supervisors/new",
            data={"csrf_token": token, "supervisor_id": supervisor.id, "starts_on": "2029-06-01"},
        ).get_data(as_text=True)
    )
    assert "already supervises" in page
    assert (
        client.post(
            f"/people/{worker.id}/supervisors/new",
            data={"csrf_token": token, "supervisor_id": supervisor.id, "starts_on": "2030-02-01"},
        ).status_code
        == 302
    )
