"""Who may assess, through the pages: an educator keeps the approved-assessor lists, records a
review of someone's conditions of practice, and the sign-off pages follow both that day."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.audit.models import AuditEntry
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole
from portfolio.people.models import RegistrationReview, User
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.practice.models import AssessorListEntry
from portfolio.signoff import queries, rules
from tests import factories


@dataclass
class Trust:
    educator: User
    radiographer: User
    worker: User


@pytest.fixture
def trust(session: Session) -> Trust:
    """The shipped frameworks; a senior CSW with cannulation in scope, a diagnostic
    radiographer who is not (yet) on any list, and an educator for the whole trust."""
    org = factories.organisation(session)
    factories.shipped_frameworks(session)
    ward = factories.department(session, org)
    educator = factories.person(
        session, org, AccountRole.EDUCATOR, name="Pat Educator", reach_whole_organisation=True
    )
    radiographer = factories.person(session, org, AccountRole.SUPERVISOR, name="Sam Okafor")
    factories.registrant(radiographer, RegisterType.HCPC, "RA123456", "radiographer")
    radiographer.radiography = Radiography.DIAGNOSTIC
    worker = factories.person(session, org, department=ward, job_role=JobRole.SCSW)
    session.flush()
    return Trust(educator, radiographer, worker)


def text(client: FlaskClient, path: str) -> str:
    return html.unescape(client.get(path).get_data(as_text=True))


def assessors_of_cannulation(session: Session, trust: Trust) -> list[str]:
    """Who the worker's cannulation request page offers today (the same use case)."""
    on = today()
    context = queries.sign_off_context(session, trust.worker, "CANN", on, due_window_days=60)
    assert context is not None
    eligible, _ = queries.eligible_assessors(
        session, context, on, due_window_days=60, register_check_valid_days=365
    )
    return [person.name for person in eligible]


def test_a_registrant_assesses_cannulation_once_an_educator_puts_them_on_the_list(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    assert assessors_of_cannulation(session, trust) == []
    factories.sign_in(client, trust.educator)
    token = factories.csrf_token(client, "/assessor-lists/cannulation_assessor")
    added = client.post(
        "/assessor-lists/cannulation_assessor",
        data={
            "csrf_token": token,
            "person_id": trust.radiographer.id,
            "approved_on": today().isoformat(),
        },
    )
    assert added.status_code == 303
    page = text(client, "/assessor-lists/cannulation_assessor")
    assert "Sam Okafor" in page
    assert "Pat Educator" in page
    assert assessors_of_cannulation(session, trust) == ["Sam Okafor"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.subject_id == str(trust.radiographer.id))
    ).all()
    assert "assessor_list.approved" in actions


def test_taken_off_the_list_they_no_longer_assess_and_the_list_keeps_who_did_it(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    factories.sign_in(client, trust.educator)
    token = factories.csrf_token(client, "/assessor-lists/cannulation_assessor")
    client.post(
        "/assessor-lists/cannulation_assessor",
        data={"csrf_token": token, "person_id": trust.radiographer.id, "approved_on": "2026-01-05"},
    )
    entry = session.scalars(select(AssessorListEntry)).one()
    removed = client.post(
        f"/assessor-lists/cannulation_assessor/{entry.id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 303
    page = text(client, "/assessor-lists/cannulation_assessor")
    assert "No longer on the list" in page
    assert f"taken off {today().day} " in page
    assert "by Pat Educator" in page
    assert assessors_of_cannulation(session, trust) == []


def test_an_empty_or_future_approval_shows_every_mistake_and_saves_nothing(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    factories.sign_in(client, trust.educator)
    token = factories.csrf_token(client, "/assessor-lists/antt_assessor")
    page = client.post("/assessor-lists/antt_assessor", data={"csrf_token": token})
    body = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Choose who to add to the list" in body
    assert "Enter the date they were approved" in body
    future = (today() + dt.timedelta(days=1)).isoformat()
    page = client.post(
        "/assessor-lists/antt_assessor",
        data={"csrf_token": token, "person_id": trust.radiographer.id, "approved_on": future},
    )
    assert "The date must be today or in the past" in page.get_data(as_text=True)
    assert session.scalars(select(AssessorListEntry)).all() == []


def test_someone_already_on_the_list_cannot_be_added_twice(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    factories.sign_in(client, trust.educator)
    token = factories.csrf_token(client, "/assessor-lists/bls_instructor")
    form = {"csrf_token": token, "person_id": trust.radiographer.id, "approved_on": "2026-01-05"}
    client.post("/assessor-lists/bls_instructor", data=form)
    again = client.post("/assessor-lists/bls_instructor", data=form)
    assert "Sam Okafor is already on this list" in html.unescape(again.get_data(as_text=True))
    assert len(session.scalars(select(AssessorListEntry)).all()) == 1


def test_conditions_of_practice_stop_them_until_the_educator_records_a_review(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    sam = trust.radiographer
    sam.register_check_result = RegisterCheckResult.CONDITIONS_OF_PRACTICE
    session.add(
        AssessorListEntry(
            organisation_id=sam.organisation_id,
            assessor_list="cannulation_assessor",
            user_id=sam.id,
            approved_on=dt.date(2026, 1, 5),
            approved_by_id=trust.educator.id,
        )
    )
    session.flush()
    assert assessors_of_cannulation(session, trust) == []
    factories.sign_in(client, trust.educator)
    person_page = text(client, f"/people/{sam.id}")
    assert (
        "Not eligible to assess: HCPC registration has conditions of practice, not yet reviewed "
        "by a practice educator" in person_page
    )
    token = factories.csrf_token(client, f"/people/{sam.id}/conditions-review")
    recorded = client.post(
        f"/people/{sam.id}/conditions-review",
        data={
            "csrf_token": token,
            "reviewed_on": today().isoformat(),
            "note": "The conditions concern prescribing only",
        },
    )
    assert recorded.status_code == 303
    person_page = text(client, f"/people/{sam.id}")
    assert "reviewed by a practice educator: may assess" in person_page
    assert "by Pat Educator: The conditions concern prescribing only" in person_page
    assert assessors_of_cannulation(session, trust) == ["Sam Okafor"]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "registration.conditions_reviewed")
    ).one()
    assert "prescribing" not in entry.changes  # the note is marked, never copied


def test_an_empty_review_shows_every_mistake_keeps_what_was_typed_and_saves_nothing(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    sam = trust.radiographer
    sam.register_check_result = RegisterCheckResult.CONDITIONS_OF_PRACTICE
    session.flush()
    factories.sign_in(client, trust.educator)
    token = factories.csrf_token(client, f"/people/{sam.id}/conditions-review")
    before_check = (sam.register_checked_on - dt.timedelta(days=1)).isoformat()
    page = client.post(
        f"/people/{sam.id}/conditions-review",
        data={"csrf_token": token, "reviewed_on": before_check, "note": ""},
    )
    body = html.unescape(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "The review must be on or after the register check that found the conditions" in body
    assert "Enter what the conditions allow them to do" in body
    assert before_check.split("-")[0] in body  # the typed date is still there
    assert session.scalars(select(RegistrationReview)).all() == []


def test_nobody_reviews_their_own_conditions_and_a_caution_needs_no_review(
    session: Session, client: FlaskClient, trust: Trust
) -> None:
    educator = trust.educator
    factories.registrant(educator, RegisterType.NMC, "12A3456E", "nurse")
    educator.register_check_result = RegisterCheckResult.CONDITIONS_OF_PRACTICE
    trust.radiographer.register_check_result = RegisterCheckResult.CAUTION
    session.flush()
    factories.sign_in(client, educator)
    assert client.get(f"/people/{educator.id}/conditions-review").status_code == 403
    page = text(client, f"/people/{trust.radiographer.id}")
    assert "A caution does not restrict practice: may assess" in page
    assert "Record your review" not in page


def test_mr_safety_is_assessed_only_by_a_current_mr_authorised_person(
    session: Session, trust: Trust
) -> None:
    from portfolio.frameworks.practice_terms import DesignationKind
    from portfolio.practice import designations
    from portfolio.practice.authorities import appoint_authority
    from portfolio.practice.models import Authority

    worker, sam = trust.worker, trust.radiographer
    ward = worker.appointments[-1].department
    on = today()
    context = queries.sign_off_context(session, worker, "MR-SAFETY", on, due_window_days=60)
    assert context is not None

    def answer() -> str:
        facts = queries.facts_of_assessor(session, sam, context, on, due_window_days=60)
        return rules.eligibility(
            context.competency.definition.assessors,
            facts,
            worker_id=worker.id,
            worker_organisation_id=worker.organisation_id,
            on=on,
            register_check_valid_days=365,
        ).answer

    assert answer() == (
        "Not eligible: the assessor must hold a current MR Authorised Person designation or be "
        "an approved MR safety trainer"
    )
    auditor = factories.auditor(session, trust.educator)
    appoint_authority(auditor, ward, trust.educator, Authority.MR_RESPONSIBLE_PERSON, starts_on=on)
    designations.designate(
        auditor,
        sam,
        ward,
        kind=DesignationKind.MR_AUTHORISED_PERSON,
        granted_by=trust.educator,
        granted_on=on,
        review_on=on + dt.timedelta(days=365),
        today=on,
    )
    assert answer() == "Eligible"
