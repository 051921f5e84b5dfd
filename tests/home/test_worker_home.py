"""The worker's home: the main action and the next steps first, and the competencies whose
counts are reached named as ready to ask for sign-off (issue 21, item 9)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import demo
from portfolio.core.clock import today
from portfolio.people.models import User
from tests import factories

READY = "Ask an assessor to sign off"


def _home(client: FlaskClient) -> str:
    return client.get("/home").get_data(as_text=True)


def test_log_evidence_is_the_first_action_and_next_steps_come_before_progress(
    client: FlaskClient, department: factories.SignOffWorld
) -> None:
    factories.sign_in(client, department.worker)
    page = _home(client)
    first_button = page.index("nhsuk-button")
    assert page.index("Log evidence", first_button) < page.index("Log a supervised procedure")
    # The first button is the primary one: no secondary variant class on it.
    assert "nhsuk-button--secondary" not in page[first_button - 200 : first_button + 30]
    assert page.index("Next steps") < page.index("Progress against your scope of practice")
    assert page.index("Next steps") < page.index("Your post")


def test_a_competency_is_ready_to_ask_for_once_its_procedures_are_confirmed(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.confirmed_procedures(session, world.worker, world.nurse, 4)
    factories.sign_in(client, world.worker)
    assert READY not in _home(client)
    factories.procedure(session, world.worker, world.nurse, performed_on=today())
    page = _home(client)
    assert f"{READY} Cannulation" in factories.page_text(client.get("/home"))
    assert 'href="/competencies/CANN/request"' in page


def test_a_procedure_not_yet_confirmed_by_its_witness_does_not_make_it_ready(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.confirmed_procedures(session, world.worker, world.nurse, 4)
    factories.procedure(session, world.worker, world.nurse, confirmed=False)
    factories.sign_in(client, world.worker)
    page = factories.page_text(client.get("/home"))
    assert READY not in page
    assert "Confirm procedures with your witness" in page


def test_the_trusts_own_minimum_decides_when_it_is_ready(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.local_policy(session, world.educator, "CANN", procedures=7)
    factories.confirmed_procedures(session, world.worker, world.nurse, 5)
    factories.sign_in(client, world.worker)
    assert READY not in factories.page_text(client.get("/home"))
    factories.confirmed_procedures(session, world.worker, world.radiographer, 2)
    assert f"{READY} Cannulation" in factories.page_text(client.get("/home"))


def test_a_request_already_waiting_is_not_offered_again(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.confirmed_procedures(session, world.worker, world.nurse, 5)
    factories.sign_off_request(session, world.worker, world.nurse)
    factories.sign_in(client, world.worker)
    page = factories.page_text(client.get("/home"))
    assert READY not in page
    assert "1 sign-off request waiting for an assessor" in page


def test_the_worker_sees_who_supervises_them_now_and_not_who_did_before(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    from portfolio.people.services import assign_supervisor, end_supervision

    world = department
    start = world.worker.appointments[0].effective_from
    earlier = assign_supervisor(factories.auditor(session), world.worker, world.nurse, start)
    end_supervision(factories.auditor(session), earlier, today())
    assign_supervisor(factories.auditor(session), world.worker, world.radiographer, today())
    session.flush()
    factories.sign_in(client, world.worker)
    page = factories.page_text(client.get("/home"))
    assert "Supervisors Sam Okafor" in page
    assert "Grace Mensah" not in page


def test_a_lapsed_prerequisite_is_a_next_step_in_the_words_of_every_other_view(
    app: Flask, session: Session, client: FlaskClient
) -> None:
    """Sophie Turner's cannulation is signed off but her basic life support has expired: her
    home says so among the next steps, as her competencies page and the matrix say it."""
    with app.app_context():
        demo.load(factories.auditor(session))
    session.flush()
    factories.sign_in(client, "trainee@northfield.example", demo.PASSWORD)
    home = factories.page_text(client.get("/home"))
    lapsed = "Basic life support (CORE-BLS) expired on"
    assert (
        "Prerequisite lapsed, so not counted as competent: Peripheral intravenous cannulation "
        f"({lapsed}"
    ) in home
    sophie = session.scalars(select(User).where(User.email == "trainee@northfield.example")).one()
    competencies = factories.page_text(client.get(f"/people/{sophie.id}/competencies"))
    assert f"Competent, prerequisite lapsed {lapsed}" in competencies


def test_a_competency_without_its_entitlement_is_a_next_step_in_the_words_of_every_other_view(
    app: Flask, session: Session, client: FlaskClient
) -> None:
    """Chris Taylor's appendicular imaging is signed off, but he holds no IR(ME)R operator
    entitlement for it: his home names what is missing, as his competencies page does, and
    still counts the competence towards his progress."""
    with app.app_context():
        demo.load(factories.auditor(session))
    session.flush()
    factories.sign_in(client, "ap@northfield.example", demo.PASSWORD)
    home = factories.page_text(client.get("/home"))
    missing = (
        "No IR(ME)R operator entitlement for exposure (general radiography: appendicular skeleton)"
    )
    assert (
        "Signed off, but not entitled to do it yet: Appendicular skeleton radiography to "
        f"protocol ({missing})" in home
    ), home
    chris = session.scalars(select(User).where(User.email == "ap@northfield.example")).one()
    competencies = factories.page_text(client.get(f"/people/{chris.id}/competencies"))
    assert f"Competent, not entitled {missing}" in competencies
