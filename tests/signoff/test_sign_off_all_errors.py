"""The sign-off forms report every mistake at once, keep what was typed (never the password),
and once the assessor's password was right ask for it no more for that one sign-off; a level
above the worker's supervision ceiling is refused, naming the ceiling and its source."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.accounts import identity
from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today, utcnow
from portfolio.practice.preceptorships import start_preceptorship
from portfolio.signoff.models import Authentication
from portfolio.standing.status import SupervisionLevel
from tests import factories
from tests.signoff.records import decisions

PATH = "/competencies/CANN/sign-off"
_SUBMISSION = re.compile(r'name="submission" type="hidden" value="([^"]+)"')


def _form(client: FlaskClient, path: str = PATH) -> dict[str, str]:
    page = client.get(path).get_data(as_text=True)
    match = _SUBMISSION.search(page)
    assert match
    return {"csrf_token": factories.csrf_token(client, path), "submission": match.group(1)}


def _post(client: FlaskClient, keys: dict[str, str], dept: factories.SignOffWorld, **changes):  # type: ignore[no-untyped-def]
    data = {
        **keys,
        "outcome": "competent",
        "supervision": "indirect",
        "condition_codes": ["adults-only"],
        "observed_on": today().isoformat(),
        "evidence_ids": [str(dept.evidence_id)],
        "declaration": "y",
        "went_well": "Calm, explained each step to the patient",
        "email": dept.radiographer.email,
        "password": factories.PASSWORD,
    }
    data.update({name: value for name, value in changes.items() if value is not None})
    for name in [name for name, value in changes.items() if value is None]:
        data.pop(name)
    return client.post(PATH, data=data)


def _summary(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The messages in the page's error summary, in order."""
    html = response.get_data(as_text=True)
    block = html.split("nhsuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in block.split("<li>")[1:]]


@pytest.fixture
def ready(session: Session, client: FlaskClient, department: factories.SignOffWorld):  # type: ignore[no-untyped-def]
    factories.confirmed_procedures(session, department.worker, department.nurse, 5)
    factories.sign_in(client, department.worker)
    return department


def test_every_mistake_at_once_then_one_password_entry_is_enough(
    session: Session, client: FlaskClient, ready: factories.SignOffWorld
) -> None:
    keys = _form(client)
    first = _post(client, keys, ready, supervision=None, declaration=None)

    assert first.status_code == 200
    assert _summary(first) == [
        "Choose the level of supervision",
        "The worker must confirm they have read the policy and accept accountability",
    ]
    page = factories.page_text(first)
    assert "Your identity is confirmed for this sign-off (Sam Okafor)" in page
    html = first.get_data(as_text=True)
    assert 'type="password"' not in html
    assert factories.PASSWORD not in html
    assert "Calm, explained each step to the patient" in html  # what was typed is kept
    assert decisions(session, ready.worker.id) == []

    done = _post(client, keys, ready, password=None, email=None)

    assert done.status_code == 302, factories.page_text(done)
    [decision] = decisions(session, ready.worker.id)
    assert decision.assessor_name == "Sam Okafor"
    assert decision.authentication is Authentication.POINT_OF_CARE
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_off.decided")).one()
    assert entry.actor_id == ready.radiographer.id
    assert json.loads(entry.changes)["identity_checked_at"] is not None
    # Used up: the next sign-off form asks for the password again.
    again = client.post(PATH, data={**_form(client), "outcome": "competent"})
    assert "Enter your password" in _summary(again)


def test_a_wrong_password_is_reported_with_the_other_mistakes_and_asked_again(
    session: Session, client: FlaskClient, ready: factories.SignOffWorld
) -> None:
    keys = _form(client)
    wrong = _post(client, keys, ready, supervision=None, password="not-their-password")

    assert _summary(wrong) == [
        "Choose the level of supervision",
        "Enter the correct email address and password",
    ]
    assert 'type="password"' in wrong.get_data(as_text=True)
    assert "Your identity is confirmed" not in factories.page_text(wrong)
    still = _post(client, keys, ready, password=None)
    assert "Enter your password" in _summary(still)
    assert decisions(session, ready.worker.id) == []


def test_the_confirmation_holds_only_for_that_form_and_a_few_minutes(
    session: Session,
    client: FlaskClient,
    ready: factories.SignOffWorld,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = _form(client)
    _post(client, keys, ready, supervision=None)
    other = _form(client)  # another sign-off form shown meanwhile
    assert "Enter your password" in _summary(_post(client, other, ready, password=None))
    later = utcnow() + dt.timedelta(minutes=6)  # the setting is 5 minutes
    monkeypatch.setattr(identity, "utcnow", lambda: later)
    expired = _post(client, keys, ready, password=None)
    assert "Enter your password" in _summary(expired)
    assert decisions(session, ready.worker.id) == []


def test_a_request_is_decided_with_one_password_entry_after_a_mistake(
    session: Session,
    client: FlaskClient,
    new_client,
    ready: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    request = factories.sign_off_request(session, ready.worker, ready.nurse, "CANN")
    assessor = new_client()
    factories.sign_in(assessor, ready.nurse)
    path = f"/sign-off-requests/{request.id}"
    keys = _form(assessor, path)
    data = {
        **keys,
        "outcome": "not_yet_competent",
        "observed_on": today().isoformat(),
        "evidence_ids": [str(ready.evidence_id)],
        "went_well": "Good preparation",
        "password": factories.PASSWORD,
    }
    first = assessor.post(path, data=data)
    assert _summary(first) == [
        "Enter what to develop, so the worker knows what to do next",
        "Enter an action plan, so the worker knows what to do next",
    ]
    assert "Your identity is confirmed for this sign-off" in factories.page_text(first)
    data.pop("password")
    done = assessor.post(path, data={**data, "to_develop": "Anchoring", "action_plan": "Two more"})
    assert done.status_code == 302, factories.page_text(done)
    [decision] = decisions(session, ready.worker.id)
    assert decision.authentication is Authentication.OWN_SESSION


def test_a_level_above_a_preceptees_ceiling_is_refused_naming_it_and_its_source(
    session: Session, client: FlaskClient, ready: factories.SignOffWorld
) -> None:
    worker = ready.worker
    start_preceptorship(
        factories.auditor(session, ready.educator),
        worker.appointments[0],
        preceptor=ready.radiographer,
        starts_on=today() - dt.timedelta(days=10),
        ends_on=today() + dt.timedelta(days=90),
    )
    keys = _form(client)
    refused = _post(client, keys, ready, supervision="indirect")

    assert _summary(refused) == [
        "Indirect supervision is above the ceiling: at most direct supervision for a "
        "preceptee (set by your trust: direct supervision during a preceptorship)"
    ]
    assert decisions(session, worker.id) == []
    done = _post(client, keys, ready, supervision="direct", password=None)
    assert done.status_code == 302
    [decision] = decisions(session, worker.id)
    assert decision.supervision is SupervisionLevel.DIRECT


def test_a_transcription_above_the_ceiling_is_refused_with_its_other_mistakes(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    observed = today() - dt.timedelta(days=20)
    start_preceptorship(
        factories.auditor(session, dept.educator),
        dept.worker.appointments[0],
        preceptor=dept.radiographer,
        starts_on=observed - dt.timedelta(days=10),
        ends_on=today() + dt.timedelta(days=90),
    )
    factories.sign_in(client, dept.educator)
    path = f"/people/{dept.worker.id}/competencies/CANN/transcribe"
    response = client.post(
        path,
        data={
            "csrf_token": factories.csrf_token(client, path),
            "made_at": "this_trust",
            "source": "Education office, cannulation folder",
            "original_seen_by": "Pat Educator",
            "original_seen_on": (observed - dt.timedelta(days=1)).isoformat(),
            "assessor_name": "Jo Vascular",
            "assessor_register": "none",
            "observed_on": observed.isoformat(),
            "supervision": "remote",
        },
    )

    assert _summary(response) == [
        "The original was seen on or after the date it was signed off, and today or before",
        "Remote supervision is above the ceiling: at most direct supervision for a preceptee "
        "(set by your trust: direct supervision during a preceptorship)",
    ]
    assert decisions(session, dept.worker.id) == []
