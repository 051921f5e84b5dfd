"""Confirming a supervised procedure is easy to find (issue 21, item 11): the action is at the
top of "Your evidence" and on the worker's home while a line waits, and the witness's notice
names that action, so the witness knows where to go on the worker's device."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import factories

ACTION = "Confirm procedures with your witness"


def test_a_waiting_procedure_puts_the_confirm_action_at_the_top_of_your_evidence(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.sign_in(client, world.worker)
    page = factories.page_text(client.get(f"/people/{world.worker.id}/evidence"))
    assert ACTION not in page
    factories.logged_procedure(session, world.worker, world.nurse)
    html = client.get(f"/people/{world.worker.id}/evidence").get_data(as_text=True)
    assert re.search(rf'href="/procedures/confirm"[^>]*>\s*{ACTION}', html)
    assert html.index(ACTION) < html.index("<h2>Evidence</h2>")
    assert "1 supervised procedure is waiting for the witness to confirm" in factories.page_text(
        client.get(f"/people/{world.worker.id}/evidence")
    )


def test_the_witness_notice_names_the_action_the_worker_sees(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    world = department
    factories.logged_procedure(session, world.worker, world.nurse)
    factories.sign_in(client, world.nurse)
    notice = factories.page_text(client.get("/notices"))
    assert f"choose '{ACTION}' on their home page or 'Your evidence'" in notice
    assert "ask Morgan for the device they are signed in on" in notice
    client.post("/sign-out", data={"csrf_token": factories.csrf_token(client, "/home")})
    factories.sign_in(client, world.worker)
    assert ACTION in factories.page_text(client.get("/home"))
    assert ACTION in factories.page_text(client.get(f"/people/{world.worker.id}/evidence"))
