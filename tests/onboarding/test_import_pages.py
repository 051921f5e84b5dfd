"""Onboarding a department through the pages: upload, preview, confirm; invitations arrive
at a real SMTP server on 127.0.0.1; nothing is half-imported."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.audit.models import AuditEntry
from portfolio.core.roles import AccountRole
from portfolio.onboarding.models import StaffUpload
from portfolio.people.models import Appointment, SupervisorAssignment, User
from tests import factories
from tests.onboarding.staff_files import Trust, staff_csv, staff_row
from tests.support.mail import BASE_URL, Inbox, body

LINK = re.compile(re.escape(BASE_URL) + r"(/password/set/[A-Za-z0-9_-]+)")


def _counts(session: Session) -> dict[str, int]:
    session.expire_all()
    return {
        model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (User, Appointment, SupervisorAssignment, AuditEntry)
    }


def _upload(client: FlaskClient, content: bytes, filename: str = "staff.csv") -> TestResponse:
    token = factories.csrf_token(client, "/people/import")
    return client.post(
        "/people/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def _confirm(client: FlaskClient, preview: str) -> TestResponse:
    page = client.get(preview).get_data(as_text=True)
    fields = dict(
        re.findall(r'name="(csrf_token|sha256|plan)" type="hidden" value="([^"]+)"', page)
    )
    assert set(fields) == {"csrf_token", "sha256", "plan"}, "no confirm button on the preview"
    return client.post(preview, data=fields)


def _admin(client: FlaskClient, trust: Trust) -> None:
    factories.sign_in(client, trust.admin)


FIFTY = [staff_row(number) for number in range(1, 51)]


def test_a_file_with_three_mistakes_shows_all_three_and_writes_nothing_then_fifty_arrive(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    trust: Trust,
    mail: Inbox,
) -> None:
    _admin(client, trust)
    bad = list(FIFTY)
    bad[4] = staff_row(5, Email="staff5.trust.example")
    bad[11] = staff_row(12, **{"Job role": "Porter"})
    bad[29] = staff_row(30, **{"Start date": "30/06/2024"})
    before = _counts(session)
    response = _upload(client, staff_csv(bad))
    assert response.status_code == 302
    preview = response.headers["Location"]
    page = client.get(preview)
    text = factories.page_text(page)
    assert "There are 3 problems in the file" in text
    assert "Nothing has been saved" in text
    for expected in (
        "Line 6, Email: Enter an email address in the correct format",
        "Line 13, Job role: Enter a job role",
        "Line 31, Start date: Enter the date as YYYY-MM-DD",
    ):
        assert expected in text
    assert "<title>Error: Check the import" in page.get_data(as_text=True)
    assert "Confirm and import" not in text
    assert "Upload the corrected file" in text
    # A confirmation posted anyway (an old tab) imports nothing.
    client.post(
        preview,
        data={
            "csrf_token": factories.csrf_token(client, preview),
            "sha256": "0" * 64,
            "plan": "0" * 64,
        },
    )
    assert _counts(session) == before
    assert mail.messages == []

    response = _upload(client, staff_csv(FIFTY))
    fixed = response.headers["Location"]
    text = factories.page_text(client.get(fixed))
    assert "People to add 50" in text
    assert "2 Staff Member 1 staff1@trust.example Add and invite" in text
    done = _confirm(client, fixed)
    assert done.status_code == 302
    assert done.headers["Location"] == "/people"
    assert "Imported: 50 added and invited by email, 0 updated, 0 unchanged." in (
        factories.page_text(client.get("/people"))
    )

    after = _counts(session)
    assert after["User"] == before["User"] + 50
    assert after["Appointment"] == before["Appointment"] + 50
    supervised = sum(1 for row in FIFTY if row["Supervisor"])
    assert after["SupervisorAssignment"] == before["SupervisorAssignment"] + supervised
    assert len(mail.messages) == 50
    for row in FIFTY:
        [message] = mail.to(row["Email"])
        assert message["Subject"] == "Set your password for the imaging support portfolio"
        assert LINK.search(body(message))
    imported = session.scalars(select(User).where(User.email == "staff2@trust.example")).one()
    assert imported.roles == frozenset({AccountRole.SUPPORT_WORKER})
    assert imported.employee_number == "10002"
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"person.created", "appointment.recorded", "supervisor.assigned", "staff.imported"} <= (
        actions
    )
    summary = session.scalars(select(AuditEntry).where(AuditEntry.action == "staff.imported")).one()
    assert summary.actor_id == trust.admin.id
    assert '"created":50' in summary.changes.replace(" ", "")
    assert "Staff Member" not in summary.changes
    # The upload is gone once imported: confirming again finds nothing.
    assert session.get(StaffUpload, fixed.rsplit("/", 1)[1]) is None
    assert client.get(fixed).status_code == 404

    # One of them follows their invitation and signs in.
    found = LINK.search(body(mail.to("staff7@trust.example")[0]))
    assert found
    theirs = new_client()
    password = "harbour lantern meadow"
    response = theirs.post(
        found.group(1),
        data={
            "csrf_token": factories.csrf_token(theirs, found.group(1)),
            "new_password": password,
            "confirm_password": password,
        },
    )
    assert response.headers["Location"] == "/sign-in"
    assert factories.sign_in(theirs, "staff7@trust.example", password).status_code == 302


def test_importing_the_same_file_again_changes_nothing_and_a_changed_band_updates(
    session: Session, client: FlaskClient, trust: Trust, mail: Inbox
) -> None:
    _admin(client, trust)
    rows = FIFTY[:6]
    _confirm(client, _upload(client, staff_csv(rows)).headers["Location"])
    assert len(mail.messages) == 6
    before = _counts(session)

    again = _upload(client, staff_csv(rows)).headers["Location"]
    text = factories.page_text(client.get(again))
    assert "People to add 0 People to update 0 Unchanged 6" in text
    _confirm(client, again)
    after = _counts(session)
    assert {key: after[key] for key in ("User", "Appointment", "SupervisorAssignment")} == {
        key: before[key] for key in ("User", "Appointment", "SupervisorAssignment")
    }
    assert after["AuditEntry"] == before["AuditEntry"] + 1  # the import itself, nothing else
    assert len(mail.messages) == 6  # nobody invited twice

    promoted = [*rows[:2], {**rows[2], "Band": "4"}, *rows[3:]]
    changed = _upload(client, staff_csv(promoted)).headers["Location"]
    text = factories.page_text(client.get(changed))
    assert "People to update 1" in text
    assert "Update: band: 3 to 4" in text
    _confirm(client, changed)
    person = session.scalars(select(User).where(User.email == rows[2]["Email"])).one()
    bands = session.scalars(
        select(Appointment.afc_band)
        .where(Appointment.user_id == person.id)
        .order_by(Appointment.effective_from)
    ).all()
    assert bands == ["3", "4"]  # history kept, the change from today
    assert len(mail.messages) == 6


def test_a_change_between_preview_and_confirm_imports_nothing_and_shows_the_new_preview(
    session: Session, client: FlaskClient, trust: Trust, mail: Inbox
) -> None:
    _admin(client, trust)
    preview = _upload(client, staff_csv(FIFTY[:5])).headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    fields = dict(
        re.findall(r'name="(csrf_token|sha256|plan)" type="hidden" value="([^"]+)"', page)
    )
    # Meanwhile someone else gives Sam's supervisor role away: the supervisor lines now fail.
    sam = trust.supervisor
    from portfolio.people import services

    services.update_person(
        factories.auditor(session),
        sam,
        services.PersonDetails(
            name=sam.name, email=sam.email, roles=frozenset({AccountRole.EDUCATOR})
        ),
    )
    session.flush()
    before = _counts(session)
    response = client.post(preview, data=fields)
    assert response.status_code == 200
    text = factories.page_text(response)
    assert "Something changed since your preview" in text
    assert "Sam Okafor cannot supervise" in text
    assert "Confirm and import" not in text
    assert _counts(session) == before
    assert mail.messages == []


def test_only_the_administrator_who_uploaded_may_see_or_confirm_an_upload(
    session: Session, client: FlaskClient, new_client: Callable[[], FlaskClient], trust: Trust
) -> None:
    _admin(client, trust)
    preview = _upload(client, staff_csv(FIFTY[:2])).headers["Location"]
    colleague = factories.person(session, trust.org, AccountRole.ADMIN)
    other = new_client()
    factories.sign_in(other, colleague)
    assert other.get(preview).status_code == 404
    assert (
        other.post(
            preview, data={"csrf_token": factories.csrf_token(other, "/account")}
        ).status_code
        == 404
    )
    worker = new_client()
    factories.sign_in(worker, factories.person(session, trust.org))
    assert worker.get("/people/import").status_code == 403


def test_a_file_that_is_not_csv_is_refused_on_the_upload_page_and_not_kept(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    _admin(client, trust)
    for content, name, message in (
        (b"PK\x03\x04workbook", "staff.xlsx", "is an Excel workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "staff.csv", "not a CSV text file"),
        ("Name,Email\nJosé\n".encode("cp1252"), "staff.csv", "not saved as UTF-8"),
    ):
        response = _upload(client, content, name)
        assert response.status_code == 200
        text = factories.page_text(response)
        assert "There is a problem" in text
        assert message in text
    response = client.post(
        "/people/import", data={"csrf_token": factories.csrf_token(client, "/people/import")}
    )
    assert "Choose a CSV file to upload" in factories.page_text(response)
    assert session.scalar(select(func.count()).select_from(StaffUpload)) == 0


def test_the_upload_page_offers_a_template_and_explains_the_columns(
    app: Flask, client: FlaskClient, trust: Trust
) -> None:
    _admin(client, trust)
    page = factories.page_text(client.get("/people/import"))
    assert "Download the template (CSV file)" in page
    assert "written 2025-09-01 (year, month, day)" in page
    assert "cannot send emails yet" in page  # the testing configuration sends no mail
    response = client.get("/people/import/template.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).startswith("\ufeffName,Email,Employee number")


def test_without_email_set_up_people_are_imported_with_no_password_and_no_invitation(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    _admin(client, trust)
    preview = _upload(client, staff_csv(FIFTY[:2])).headers["Location"]
    assert "Add and invite" not in factories.page_text(client.get(preview))
    _confirm(client, preview)
    assert "Imported: 2 added, 0 updated" in factories.page_text(client.get("/people"))
    person = session.scalars(select(User).where(User.email == "staff1@trust.example")).one()
    profile = factories.page_text(client.get(f"/people/{person.id}"))
    assert "They have not chosen a password yet" in profile


def test_re_importing_an_extract_that_still_lists_a_leaver_imports_everyone_else(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    from portfolio.people.services import deactivate

    _admin(client, trust)
    _confirm(client, _upload(client, staff_csv(FIFTY[:2])).headers["Location"])
    leaver = session.scalars(select(User).where(User.email == "staff2@trust.example")).one()
    deactivate(factories.auditor(session, trust.admin), leaver)
    session.flush()
    preview = _upload(client, staff_csv(FIFTY[:4])).headers["Location"]
    page = factories.page_text(client.get(preview))
    assert "There is 1 problem" not in page
    assert "Left out: people who have left 1" in page
    assert "Left out: Staff Member 2 has left (account deactivated)" in page
    _confirm(client, preview)
    listing = factories.page_text(client.get("/people/set-up-letters"))
    assert "2 added, 0 updated, 1 unchanged, 1 left out because they have left" in listing
    session.expire_all()
    emails = set(session.scalars(select(User.email).where(User.active.is_(True))))
    assert {"staff3@trust.example", "staff4@trust.example"} <= emails
    assert session.get_one(User, leaver.id).active is False


def test_without_email_the_import_says_there_is_no_way_in_and_letters_give_one(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    _admin(client, trust)
    preview = _upload(client, staff_csv(FIFTY[:2])).headers["Location"]
    assert "The people added will have no way in yet" in factories.page_text(client.get(preview))
    answer = _confirm(client, preview)
    assert answer.headers["Location"].endswith("/people/set-up-letters")
    page = factories.page_text(client.get("/people/set-up-letters"))
    assert "no invitations were sent and the people added have no way in yet" in page
    assert "Staff Member 1 (staff1@trust.example)" in page
    token = factories.csrf_token(client, "/people/set-up-letters")
    added = session.scalars(select(User.id).where(User.email.like("staff_@trust.example"))).all()
    printed = client.post(
        "/people/set-up-letters",
        data={"csrf_token": token, "person_ids": [str(item) for item in added]},
    ).get_data(as_text=True)
    links = re.findall(r"http://localhost(/password/set/[A-Za-z0-9_-]+)", printed)
    assert len(links) == 2
    assert "staff1@trust.example" in printed
    # The letter's link is the way in: it sets a password, once.
    other = client.application.test_client()
    set_token = factories.csrf_token(other, links[0])
    chosen = "a-long-new-password-2026"
    other.post(
        links[0],
        data={"csrf_token": set_token, "new_password": chosen, "confirm_password": chosen},
    )
    assert [person.email for person in letters_waiting(session, trust)] == ["staff2@trust.example"]
    assert other.get(links[0]).status_code == 410


def letters_waiting(session: Session, trust: Trust) -> list[User]:
    from portfolio.onboarding.letters import waiting_to_set_up

    return waiting_to_set_up(session, trust.org.id)


def test_a_letter_for_one_person_stops_their_earlier_link(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    _admin(client, trust)
    _confirm(client, _upload(client, staff_csv(FIFTY[:1])).headers["Location"])
    person = session.scalars(select(User).where(User.email == "staff1@trust.example")).one()
    token = factories.csrf_token(client, f"/people/{person.id}")
    first = client.post(f"/people/{person.id}/set-up-letter", data={"csrf_token": token})
    second = client.post(f"/people/{person.id}/set-up-letter", data={"csrf_token": token})
    [old] = re.findall(
        r"http://localhost(/password/set/[A-Za-z0-9_-]+)", first.get_data(as_text=True)
    )
    [new] = re.findall(
        r"http://localhost(/password/set/[A-Za-z0-9_-]+)", second.get_data(as_text=True)
    )
    assert old != new
    other = client.application.test_client()
    assert other.get(new).status_code == 200
    assert other.get(old).status_code == 410  # the earlier letter stops working
    entries = session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "set_up_letters.printed")
    ).all()
    assert len(entries) == 2
