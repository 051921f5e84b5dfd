"""Progress on the worker's home, on their progress page, and on their supervisor's home."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.roles import AccountRole
from portfolio.people.services import assign_supervisor
from tests import factories
from tests.signoff.conftest import SignOffWorld, confirmed_procedures, transcribed
from tests.signoff.test_sign_off_query_counts import _grow
from tests.test_query_counts import _queries_for


def _count_on_competency_page(client: FlaskClient, worker_id: int) -> int:
    page = factories.page_text(client.get(f"/people/{worker_id}/competencies"))
    # Rows read "CODE: title Core <status>": count the counted rows that may practise.
    return len(re.findall(r"(?:Core|Core in this post|In their plan) (?:Competent|Due for)", page))


def test_the_worker_sees_their_progress_next_steps_and_the_next_job_role(
    session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    world = department
    confirmed_procedures(session, world.worker, world.nurse, 2)
    factories.sign_in(client, world.worker)
    page = factories.page_text(client.get("/home"))
    assert "1 of 1 competencies competent and current (100%)" in page
    assert "Competent and current, by domain" in page
    assert "Next on the career ladder" in page
    # The SCSW's next job role is assistant practitioner in the sample framework's ladder.
    assert "assistant practitioner" in page.lower()


def test_the_numbers_agree_with_the_competency_page(
    session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    world = department
    factories.sign_in(client, world.worker)
    home = factories.page_text(client.get("/home"))
    done = _count_on_competency_page(client, world.worker.id)
    assert f"{done} of 1 competencies competent and current" in home


def test_a_supervisor_sees_each_assigned_workers_progress(
    session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    world = department
    assign_supervisor(
        factories.auditor(session),
        world.worker,
        world.radiographer,
        world.worker.appointments[0].effective_from,
    )
    session.flush()
    factories.sign_in(client, world.radiographer)
    home = factories.page_text(client.get("/home"))
    assert "Support workers you supervise (1)" in home
    assert "Morgan Davies Senior clinical support worker 1 of 1 (100%)" in home
    progress = client.get(f"/people/{world.worker.id}/progress")
    assert progress.status_code == 200
    assert "1 of 1 competencies competent and current" in factories.page_text(progress)


def test_someone_who_may_not_see_the_worker_gets_404(
    session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    stranger = factories.person(session, department.org, AccountRole.SUPERVISOR)
    factories.sign_in(client, stranger)
    assert client.get(f"/people/{department.worker.id}/progress").status_code == 404


def test_the_worker_home_and_progress_page_do_not_grow_with_the_portfolio(
    app: Flask, session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    world = department
    factories.sign_in(client, world.worker)
    _grow(session, world, 1)
    small = [
        _queries_for(app, client, path) for path in ("/home", f"/people/{world.worker.id}/progress")
    ]
    _grow(session, world, 8, start=1)
    transcribed(session, world.worker, "CANN", world.educator)
    large = [
        _queries_for(app, client, path) for path in ("/home", f"/people/{world.worker.id}/progress")
    ]
    assert large == small


def test_the_supervisors_home_does_not_grow_with_their_workers_portfolios(
    app: Flask, session: Session, client: FlaskClient, department: SignOffWorld
) -> None:
    world = department
    on = world.worker.appointments[0].effective_from
    assign_supervisor(factories.auditor(session), world.worker, world.nurse, on)
    factories.sign_in(client, world.nurse)
    small = _queries_for(app, client, "/home")
    for _ in range(5):
        other = factories.person(session, world.org, department=world.ward)
        assign_supervisor(factories.auditor(session), other, world.nurse, on)
        transcribed(session, other, "A-1", world.educator)
    _grow(session, world, 5)
    large = _queries_for(app, client, "/home")
    assert large == small
