"""The reckoner's pages through the test client: who may cannulate on a shift, one person's
answer and printable scope, as at any date, and who may ask."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people import services as people
from portfolio.standing.status import long_date
from tests import factories
from tests.reckoner.shift import Shift

_ROW = re.compile(r'<tr class="nhsuk-table__row"[^>]*>(.*?)</tr>', re.S)


def body_rows(response: TestResponse) -> list[str]:
    """Each table body row as its reader sees it (header rows have no cells)."""
    page = factories.without_cell_headings(response.get_data(as_text=True))
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        for row in _ROW.findall(page)
        if "<td" in row
    ]


def shift_page(client: FlaskClient, world: Shift, on: dt.date | None = None) -> TestResponse:
    query = f"/shift?department={world.mri.id}&task=CANN"
    response = client.get(query + (f"&on={on.isoformat()}" if on else ""))
    assert response.status_code == 200
    return response


def scope_page(client: FlaskClient, person_id: int, query: str = "task=CANN") -> TestResponse:
    response = client.get(f"/people/{person_id}/scope-of-practice?{query}")
    assert response.status_code == 200
    return response


def answer_text(response: TestResponse) -> str:
    """The answer section alone, as words."""
    page = response.get_data(as_text=True)
    section = page[
        page.index('<section aria-labelledby="answer-heading"') : page.index(
            '<section aria-labelledby="may-heading"'
        )
    ]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())


def test_the_shift_view_names_who_may_cannulate_first_with_their_conditions(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    response = shift_page(client, shift)
    rows = body_rows(response)
    text = factories.page_text(response)

    assert "Cannulation (CANN) in MRI, today" in text
    assert "1 of 6 support workers may do it today." in text
    expiry = long_date(today().replace(year=today().year + 1))
    assert rows[0] == (
        f"Riley Ready Senior clinical support worker May Indirect supervision; Adults only "
        f"{expiry} Signed off on {long_date(today())} by Sam Okafor, countersigned by Pat "
        f"Educator on {long_date(today())}, valid until {expiry}"
    )
    names = [row.split(" Senior")[0].split(" Clinical")[0] for row in rows]
    assert names == [
        "Riley Ready",
        "Alex Awaiting",
        "Eden Expired",
        "Morgan Davies",
        "Olly Outside",
        "Sasha Suspended",
    ]
    assert "Casey Elsewhere" not in text  # signed off, but in CT
    for row in rows[1:]:
        assert " May not – – " in row


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("awaiting", "by Grace Mensah; awaiting countersignature by a practice educator"),
        ("suspended", f"Suspended since {long_date(today())}; signed off on"),
        ("expired", "Expired on "),
        ("out_of_scope", "Not in the scope of practice of a clinical support worker"),
        ("learning", "In progress: evidence logged, not yet signed off"),
    ],
)
def test_each_worker_who_may_not_is_told_why_on_both_pages(
    client: FlaskClient, shift: Shift, who: str, reason: str
) -> None:
    factories.sign_in(client, shift.educator)
    person = getattr(shift, who)
    row = next(row for row in body_rows(shift_page(client, shift)) if row.startswith(person.name))
    assert " May not " in row
    assert reason in row

    answer = answer_text(scope_page(client, person.id))
    assert answer.startswith(f"May {person.name} do Cannulation (CANN)? Answer May not Why")
    assert reason in answer
    assert "What is missing" in answer


def test_the_expired_worker_is_told_the_day_it_expired_and_the_day_it_was_last_valid(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    observed = today() - dt.timedelta(days=400)
    last = observed.replace(year=observed.year + 1)
    answer = answer_text(scope_page(client, shift.expired.id))
    assert (
        f"Expired on {long_date(last + dt.timedelta(days=1))}: valid until {long_date(last)}; "
        f"signed off on {long_date(observed)} by Vascular access team (transcribed record)"
    ) in answer


def test_a_suspension_reason_is_not_shown_to_the_shift_lead(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    assert "investigation" not in shift_page(client, shift).get_data(as_text=True).lower()


def test_one_persons_answer_and_printable_scope(client: FlaskClient, shift: Shift) -> None:
    factories.sign_in(client, shift.radiographer)
    response = scope_page(client, shift.ready.id)
    text = factories.page_text(response)
    page = response.get_data(as_text=True)

    heading = f"Scope of practice of Riley Ready on {long_date(today())}"
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading} – Imaging support portfolio</title>" in page
    answer = answer_text(response)
    assert "Answer May Supervision Indirect supervision Conditions Adults only" in answer
    assert "by Sam Okafor, countersigned by Pat Educator" in answer
    may = body_rows(response)
    assert may == [
        f"Thing one (A-1) Remote supervision Does not expire "
        f"{long_date(today() - dt.timedelta(days=20))} by Vascular access team "
        "(transcribed record)",
        f"Cannulation (CANN) Indirect supervision; Adults only "
        f"{long_date(today().replace(year=today().year + 1))} {long_date(today())} by Sam Okafor",
    ]
    assert "In their scope, but not yet" not in text
    # Printed, only the scope: the header, pickers and footer are left off.
    assert '<div class="nhsuk-u-display-none-print">\n  <form method="get"' in page
    assert re.search(r'<div class="nhsuk-u-display-none-print">\s*<header', page)
    assert re.search(r'<div class="nhsuk-u-display-none-print">\s*<footer', page)


def test_without_a_task_the_page_shows_the_scope_and_what_is_not_yet_possible(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.learning)
    response = client.get(f"/people/{shift.learning.id}/scope-of-practice")
    assert response.status_code == 200
    text = factories.page_text(response)
    assert 'id="answer-heading"' not in response.get_data(as_text=True)
    assert "Nothing yet: no competency in their scope of practice" in text
    assert "In their scope, but not yet" in text
    rows = body_rows(response)
    assert rows == [
        "Thing one (A-1) Core Not started Not started: no evidence or sign-off yet",
        "Cannulation (CANN) Optional In progress In progress: evidence logged, not yet signed off; "
        "Prerequisite not current: Thing one (A-1): not started",
    ]
    # Their own page links each competency to its sign-off record.
    assert f'href="/people/{shift.learning.id}/competencies/CANN?on=' in response.get_data(
        as_text=True
    )


def test_an_unassigned_shift_lead_sees_the_answer_but_no_links_to_the_records(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.nurse)  # supervises nobody
    response = scope_page(client, shift.learning.id)
    assert "/competencies/" not in response.get_data(as_text=True)
    assert "In progress: evidence logged" in answer_text(response)


def test_out_of_scope_the_sign_off_is_not_in_the_printable_scope(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    response = scope_page(client, shift.out_of_scope.id)
    answer = answer_text(response)
    assert "Answer May not" in answer
    assert "Not in the scope of practice of a clinical support worker" in answer
    assert "their sign-off does not count: signed off on" in answer
    assert "A job role whose scope of practice includes it" in answer
    assert not any("(CANN)" in row for row in body_rows(response))


def test_asked_about_a_day_before_the_sign_off_was_recorded_the_answer_is_may_not(
    client: FlaskClient, shift: Shift
) -> None:
    yesterday = today() - dt.timedelta(days=1)
    factories.sign_in(client, shift.radiographer)
    response = scope_page(client, shift.ready.id, f"task=CANN&on={yesterday.isoformat()}")
    assert f"Scope of practice of Riley Ready on {long_date(yesterday)}" in factories.page_text(
        response
    )
    assert "Answer May not Why In progress: evidence logged" in answer_text(response)

    shift_text = factories.page_text(shift_page(client, shift, yesterday))
    assert f"Cannulation (CANN) in MRI, on {long_date(yesterday)}" in shift_text
    assert "0 of 6 support workers may do it" in shift_text


def test_the_shift_follows_the_job_role_held_on_the_date(
    client: FlaskClient, session: Session, shift: Shift
) -> None:
    """Casey moves from CT to MRI tomorrow, and Riley's account is deactivated."""
    tomorrow = today() + dt.timedelta(days=1)
    people.record_appointment(
        factories.auditor(session),
        shift.elsewhere,
        people.AppointmentDetails(
            effective_from=tomorrow,
            job_role=JobRole.SCSW,
            trainee=False,
            afc_band="3",
            department_id=shift.mri.id,
            started_in_post_on=tomorrow,
        ),
    )
    people.deactivate(factories.auditor(session), shift.ready)
    session.flush()
    factories.sign_in(client, shift.radiographer)

    today_names = [row.split(" Senior")[0] for row in body_rows(shift_page(client, shift))]
    tomorrow_rows = body_rows(shift_page(client, shift, tomorrow))
    assert "Casey Elsewhere" not in today_names
    assert "Riley Ready" not in today_names
    assert tomorrow_rows[0].startswith("Casey Elsewhere Senior clinical support worker May ")


def test_the_department_list_is_the_organisations_own(
    client: FlaskClient, session: Session, shift: Shift
) -> None:
    elsewhere = factories.organisation(session)
    theirs = factories.department(session, elsewhere, "Their MRI")
    factories.sign_in(client, shift.radiographer)
    page = client.get("/shift").get_data(as_text=True)
    assert ">MRI</option>" in page
    assert ">CT</option>" in page
    assert "Their MRI" not in page
    assert client.get(f"/shift?department={theirs.id}&task=CANN").status_code == 404


def test_a_support_worker_cannot_use_the_shift_view_or_look_up_a_colleague(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.learning)
    assert client.get("/shift").status_code == 403
    assert client.get(f"/shift?department={shift.mri.id}&task=CANN").status_code == 403
    assert client.get(f"/people/{shift.ready.id}/scope-of-practice").status_code == 404
    assert client.get(f"/people/{shift.learning.id}/scope-of-practice").status_code == 200
    assert "Who in a department may do a task" not in factories.page_text(
        client.get(f"/people/{shift.learning.id}/scope-of-practice")
    )


def test_another_organisations_shift_lead_cannot_look_anyone_up(
    client: FlaskClient, session: Session, shift: Shift
) -> None:
    other = factories.person(session, factories.organisation(session), AccountRole.SUPERVISOR)
    factories.sign_in(client, other)
    assert client.get(f"/people/{shift.ready.id}/scope-of-practice").status_code == 404
    assert client.get(f"/shift?department={shift.mri.id}&task=CANN").status_code == 404
    assert client.get("/people/999999/scope-of-practice").status_code == 404


def test_the_shift_view_opens_with_empty_pickers_and_todays_date(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.educator)
    response = client.get("/shift")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" not in page
    assert 'id="result-heading"' not in page
    assert f'value="{today().isoformat()}"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("department={mri}&task=NOPE", "Select a task"),
        ("department={mri}&task=", "Select a task"),
        ("department=999999&task=CANN", "Select a department"),
        ("department=abc&task=CANN", "Select a department"),
        ("department=&task=CANN", "Select a department"),
        ("department={mri}&task=CANN&on=2026-02-30", "Enter a real date"),
        ("department={mri}&task=CANN&on=yesterday", "Enter a real date"),
    ],
)
def test_bad_input_on_the_shift_view_is_an_error_summary_never_a_500(
    client: FlaskClient, shift: Shift, query: str, message: str
) -> None:
    factories.sign_in(client, shift.radiographer)
    response = client.get("/shift?" + query.format(mri=shift.mri.id))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Who may do a task" in page
    assert "There is a problem" in page
    assert message in page
    assert 'id="result-heading"' not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("task=NOPE", "Select a task from the list"),
        ("task=CANN&on=2026-13-01", "Enter a real date"),
    ],
)
def test_bad_input_on_the_person_page_is_an_error_summary_never_a_500(
    client: FlaskClient, shift: Shift, query: str, message: str
) -> None:
    factories.sign_in(client, shift.ready)
    response = client.get(f"/people/{shift.ready.id}/scope-of-practice?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<title>Error: Scope of practice of Riley Ready" in page
    assert "There is a problem" in page
    assert message in page
    assert 'id="may-heading"' not in page


def test_the_task_picker_groups_tasks_by_domain_and_keeps_the_one_chosen(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    page = shift_page(client, shift).get_data(as_text=True)
    clinical, core = (
        page.index('<optgroup label="Clinical">'),
        page.index('<optgroup label="Core">'),
    )
    cannulation = page.index('<option value="CANN" selected>Cannulation (CANN)</option>')
    assert clinical < cannulation < core  # Clinical before Core, CANN in its group, chosen
    assert 'data-task-filter="task" hidden' in page  # the find box waits for its script
    assert "task-filter.js" in page


def test_the_shift_view_opens_on_the_shift_leads_own_department(
    client: FlaskClient, session: Session, shift: Shift
) -> None:
    lead = factories.person(
        session, shift.org, AccountRole.SUPERVISOR, department=shift.ct, job_role=JobRole.AP
    )
    factories.sign_in(client, lead)
    page = client.get("/shift").get_data(as_text=True)
    assert re.search(rf'<option value="{shift.ct.id}" selected\s*>CT</option>', page)


def test_a_shift_lead_with_no_job_role_recorded_chooses_the_department(
    client: FlaskClient, shift: Shift
) -> None:
    factories.sign_in(client, shift.radiographer)
    page = client.get("/shift").get_data(as_text=True)
    assert not re.search(r'<option value="\d+" selected\s*>', page)
