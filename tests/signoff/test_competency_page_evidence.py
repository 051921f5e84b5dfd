"""A competency's page lists the worker's evidence for it and offers to log more, and a
request's "still missing" evidence links to where it is chosen or logged (issue 21, item 10)."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from portfolio.core.roles import JobRole
from tests import factories


def test_the_competency_page_lists_the_evidence_for_it_and_offers_to_log_more(
    client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.sign_in(client, world.worker)
    html = client.get(f"/people/{world.worker.id}/competencies/CANN").get_data(as_text=True)
    assert re.search(rf'<a href="/evidence/{world.evidence_id}">Cannulation study day</a>', html)
    assert 'href="/evidence/new?competency=CANN"' in html
    assert "Log evidence for this competency" in html


def test_logging_from_the_competency_page_has_that_competency_already_chosen(
    client: FlaskClient, department: factories.SignOffWorld
) -> None:
    factories.sign_in(client, department.worker)
    chosen = re.compile(r'<input[^>]*value="CANN"[^>]*checked')
    assert chosen.search(client.get("/evidence/new?competency=CANN").get_data(as_text=True))
    assert not chosen.search(client.get("/evidence/new").get_data(as_text=True))
    # A code outside the worker's scope chooses nothing.
    assert "checked" not in client.get("/evidence/new?competency=NOPE").get_data(as_text=True)


def test_the_procedure_form_from_the_competency_page_has_the_competency_chosen(
    client: FlaskClient, department: factories.SignOffWorld
) -> None:
    factories.sign_in(client, department.worker)
    html = client.get("/procedures/new?competency=CANN").get_data(as_text=True)
    assert re.search(r'<option value="CANN" selected', html)


def test_missing_evidence_links_to_logging_some_for_that_competency(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    newcomer = factories.person(
        session, department.org, department=department.ward, job_role=JobRole.SCSW
    )
    factories.sign_in(client, newcomer)
    html = client.get("/competencies/CANN/request").get_data(as_text=True)
    assert "none is linked to CANN" in factories.page_text(client.get("/competencies/CANN/request"))
    assert re.search(
        r'<a href="/evidence/new\?competency=CANN">Log evidence for this competency</a>', html
    )


def test_unticking_every_piece_of_evidence_links_back_to_the_choice(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.confirmed_procedures(session, world.worker, world.nurse, 5)
    factories.sign_in(client, world.worker)
    token = factories.csrf_token(client, "/competencies/CANN/request")
    answer = client.post(
        "/competencies/CANN/request",
        data={"csrf_token": token, "assessor_id": str(world.nurse.id), "declaration": "y"},
    )
    html = answer.get_data(as_text=True)
    assert re.search(
        r'<a href="/competencies/CANN/request#evidence_ids">Choose at least one piece of evidence',
        html,
    )
