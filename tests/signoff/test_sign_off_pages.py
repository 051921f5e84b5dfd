"""Sign-off through the pages: at the point of care, on request, countersigned, suspended,
reinstated and revoked; and the status as at any date."""

from __future__ import annotations

import datetime as dt

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import Evidence
from portfolio.people.registers import RegisterCheckResult, RegisterType
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    SignOffRequest,
)
from portfolio.signoff.rules import add_months
from portfolio.standing.status import Outcome, SupervisionLevel
from tests import factories
from tests.signoff.records import decisions

PASSWORD = factories.PASSWORD


def _sign_off_now(client: FlaskClient, dept: factories.SignOffWorld, **changes: object):  # type: ignore[no-untyped-def]
    token = factories.csrf_token(client, "/competencies/CANN/sign-off")
    data = {
        "csrf_token": token,
        "outcome": "competent",
        "supervision": "indirect",
        "condition_codes": ["adults-only"],
        "observed_on": today().isoformat(),
        "evidence_ids": [str(dept.evidence_id)],
        "declaration": "y",
        "email": dept.radiographer.email,
        "password": PASSWORD,
        **changes,
    }
    return client.post("/competencies/CANN/sign-off", data=data)


def test_an_assessor_signs_off_at_the_point_of_care_without_signing_the_worker_out(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)

    response = _sign_off_now(client, dept)

    assert response.status_code == 302, factories.page_text(response)
    [decision] = decisions(session, dept.worker.id)
    assert decision.outcome is Outcome.COMPETENT
    assert decision.supervision is SupervisionLevel.INDIRECT
    assert decision.condition_labels == ("Adults only",)
    assert decision.assessor_name == "Sam Okafor"
    assert decision.assessor_register_number == "RA123456"
    assert decision.assessor_register_checked_on == dept.radiographer.register_checked_on
    assert decision.authentication is Authentication.POINT_OF_CARE
    assert decision.declared_at is not None
    assert decision.framework_version == "1"
    assert decision.procedures_required == 5
    assert len(decision.procedures) == 5
    assert decision.expires_on == add_months(today(), 12)
    # The evidence the decision considered is frozen.
    evidence = session.get_one(Evidence, dept.evidence_id)
    session.refresh(evidence)
    assert evidence.latest.frozen
    # The worker is still the one signed in; the sign-off waits for its countersignature.
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Your portfolio" in page
    assert "Awaiting countersignature" in page


def test_the_sign_off_counts_once_a_practice_educator_countersigns(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    _sign_off_now(client, dept)
    [decision] = decisions(session, dept.worker.id)

    educator = new_client()
    factories.sign_in(educator, dept.educator)
    # The educator's home counts the countersignature as work waiting, not "0 waiting".
    home = factories.page_text(educator.get("/home"))
    assert "1 item waiting for you" in home
    assert "1 sign-off to countersign" in home
    to_do = factories.page_text(educator.get("/to-do"))
    assert "Sign-offs to countersign" in to_do
    assert "Morgan Davies" in to_do
    # The assessor's own to-do list has no countersigning: that is an educator's.
    assessor = new_client()
    factories.sign_in(assessor, dept.nurse)
    assert "Sign-offs to countersign" not in factories.page_text(assessor.get("/to-do"))
    token = factories.csrf_token(educator, f"/sign-offs/{decision.id}/countersign")
    wrong = educator.post(
        f"/sign-offs/{decision.id}/countersign", data={"csrf_token": token, "password": "nope"}
    )
    assert "Enter the correct password" in factories.page_text(wrong)
    done = educator.post(
        f"/sign-offs/{decision.id}/countersign", data={"csrf_token": token, "password": PASSWORD}
    )
    assert done.status_code == 302

    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies"))
    assert "Competent" in page
    assert "Indirect supervision; Adults only" in page


def test_a_wrong_password_the_workers_own_and_an_ineligible_assessor_are_refused(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)

    wrong = _sign_off_now(client, dept, password="not-their-password")
    assert "Enter the correct email address and password" in factories.page_text(wrong)

    own = _sign_off_now(client, dept, email=dept.worker.email)
    assert "not yours" in factories.page_text(own)

    dept.radiographer.register_checked_on = today() - dt.timedelta(days=400)
    session.flush()
    lapsed = factories.page_text(_sign_off_now(client, dept))
    assert "Sam Okafor cannot sign this off" in lapsed
    assert "register check has lapsed" in lapsed

    dept.radiographer.register_checked_on = today()
    dept.radiographer.register_check_result = RegisterCheckResult.SUSPENDED
    session.flush()
    suspended = factories.page_text(_sign_off_now(client, dept))
    assert "found the assessor suspended" in suspended

    assert decisions(session, dept.worker.id) == []


def test_an_assessor_must_hold_a_current_sign_off_where_the_framework_says_so(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    other = factories.person(session, dept.org, AccountRole.SUPERVISOR)
    factories.registrant(other, RegisterType.HCPC, "RA654321", "radiographer")
    session.flush()
    factories.sign_in(client, dept.worker)
    page = factories.page_text(_sign_off_now(client, dept, email=other.email))
    assert "must be signed off and current in this competency themselves" in page
    assert decisions(session, dept.worker.id) == []


def test_a_competent_decision_needs_the_confirmed_procedures_and_prerequisites(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 3)
    factories.sign_in(client, dept.worker)
    page = factories.page_text(_sign_off_now(client, dept))
    assert "3 of 5 confirmed successful supervised procedures" in page
    assert decisions(session, dept.worker.id) == []


def test_not_yet_competent_needs_structured_feedback(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.worker)
    bare = _sign_off_now(client, dept, outcome="not_yet_competent", supervision="")
    assert "Enter what went well" in factories.page_text(bare)
    assert decisions(session, dept.worker.id) == []

    response = _sign_off_now(
        client,
        dept,
        outcome="not_yet_competent",
        supervision="",
        went_well="Good explanation to the patient.",
        to_develop="Vein selection.",
        action_plan="Three more supervised attempts with Grace this month.",
    )
    assert response.status_code == 302
    [decision] = decisions(session, dept.worker.id)
    assert decision.outcome is Outcome.NOT_YET_COMPETENT
    assert decision.to_develop == "Vein selection."
    assert decision.supervision is None
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Not yet competent" in page
    assert "Vein selection." in page


def test_feedback_with_an_nhs_number_is_refused_and_kept_on_the_page(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.worker)
    response = _sign_off_now(
        client,
        dept,
        outcome="not_yet_competent",
        supervision="",
        went_well="Patient NHS 943 476 5919 was calm.",
        to_develop="Vein selection.",
        action_plan="Practise.",
    )
    assert response.status_code == 200
    assert "943 476 5919" in response.get_data(as_text=True)
    assert decisions(session, dept.worker.id) == []


def test_a_request_cannot_be_sent_while_something_is_missing(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 2)
    factories.sign_in(client, dept.worker)
    page = factories.page_text(client.get("/competencies/CANN/request"))
    assert "2 of 5 confirmed successful supervised procedures" in page
    assert "Send the request" not in page
    token = factories.csrf_token(client, "/competencies/CANN/sign-off")
    client.post(
        "/competencies/CANN/request",
        data={
            "csrf_token": token,
            "assessor_id": str(dept.radiographer.id),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
        },
    )
    assert session.scalar(select(func.count()).select_from(SignOffRequest)) == 0


def test_a_request_waits_on_the_assessors_list_until_they_decide_it(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    form = factories.page_text(client.get("/competencies/CANN/request"))
    assert "Grace Mensah" in form
    assert "Sam Okafor" in form
    token = factories.csrf_token(client, "/competencies/CANN/request")
    sent = client.post(
        "/competencies/CANN/request",
        data={
            "csrf_token": token,
            "assessor_id": str(dept.nurse.id),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
        },
    )
    assert sent.status_code == 302, factories.page_text(sent)
    request = session.scalars(select(SignOffRequest)).one()

    nurse = new_client()
    factories.sign_in(nurse, dept.nurse)
    to_do = factories.page_text(nurse.get("/to-do"))
    assert "Morgan Davies" in to_do
    assert "Today" in to_do
    # The request lets the assessor see the worker's evidence while it waits.
    assert nurse.get(f"/people/{dept.worker.id}/evidence").status_code == 200
    token = factories.csrf_token(nurse, f"/sign-off-requests/{request.id}")
    decided = nurse.post(
        f"/sign-off-requests/{request.id}",
        data={
            "csrf_token": token,
            "outcome": "competent",
            "supervision": "direct",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "password": PASSWORD,
        },
    )
    assert decided.status_code == 302, factories.page_text(decided)
    session.refresh(request)
    assert request.state is RequestState.DECIDED
    [decision] = decisions(session, dept.worker.id)
    assert decision.request_id == request.id
    assert decision.authentication is Authentication.OWN_SESSION
    assert decision.assessor_name == "Grace Mensah"
    assert "No requests are waiting for you" in factories.page_text(nurse.get("/to-do"))


def test_suspend_reinstate_and_revoke_change_the_status_and_need_a_reason(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    _sign_off_now(client, dept)
    [decision] = decisions(session, dept.worker.id)
    assert client.get(f"/sign-offs/{decision.id}/suspend").status_code == 403

    educator = new_client()
    factories.sign_in(educator, dept.educator)
    token = factories.csrf_token(educator, f"/sign-offs/{decision.id}/suspend")
    no_reason = educator.post(
        f"/sign-offs/{decision.id}/suspend",
        data={"csrf_token": token, "starts_on": today().isoformat(), "reason": ""},
    )
    assert "Enter the reason" in factories.page_text(no_reason)
    educator.post(
        f"/sign-offs/{decision.id}/suspend",
        data={
            "csrf_token": token,
            "starts_on": today().isoformat(),
            "reason": "Pending an investigation",
        },
    )
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Suspended since" in page
    assert "Pending an investigation" in page

    educator.post(
        f"/sign-offs/{decision.id}/reinstate",
        data={
            "csrf_token": token,
            "reinstated_on": (today() + dt.timedelta(days=1)).isoformat(),
            "reason": "Investigation closed",
        },
    )
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    page = factories.page_text(
        client.get(f"/people/{dept.worker.id}/competencies/CANN?on={tomorrow}")
    )
    assert "Suspended since" not in page

    educator.post(
        f"/sign-offs/{decision.id}/revoke",
        data={"csrf_token": token, "reason": "Practice outside policy"},
    )
    page = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Revoked on" in page
    assert "Practice outside policy" in page


def test_the_status_as_at_an_earlier_date_shows_what_was_known_then(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.sign_in(client, dept.worker)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    # A-1 was transcribed today: yesterday the portfolio did not hold it yet.
    before = factories.page_text(
        client.get(f"/people/{dept.worker.id}/competencies?on={yesterday}")
    )
    now = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies"))
    assert "A-1: Thing one Core Not started" in before
    assert "A-1: Thing one Core Competent" in now
    bad = client.get(f"/people/{dept.worker.id}/competencies?on=2026-02-30")
    assert bad.status_code == 200
    assert "Enter a real date" in factories.page_text(bad)


def test_another_workers_sign_off_pages_answer_404(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    stranger = factories.person(session, dept.org, department=dept.ward)
    factories.sign_in(client, stranger)
    assert client.get(f"/people/{dept.worker.id}/competencies").status_code == 404
    assert client.get(f"/people/{dept.worker.id}/competencies/CANN").status_code == 404


def test_a_record_of_an_earlier_day_is_stamped_on_that_day_and_todays_now() -> None:
    from portfolio.core.clock import local, utcnow
    from portfolio.signoff.services import moment

    assert abs((moment(today()) - utcnow()).total_seconds()) < 5
    for day in (dt.date(2025, 3, 30), dt.date(2025, 10, 26), dt.date(2024, 2, 29)):
        assert local(moment(day)).date() == day


def _ask(client: FlaskClient, dept: factories.SignOffWorld, assessor_id: int) -> SignOffRequest:
    token = factories.csrf_token(client, "/competencies/CANN/request")
    sent = client.post(
        "/competencies/CANN/request",
        data={
            "csrf_token": token,
            "assessor_id": str(assessor_id),
            "evidence_ids": [str(dept.evidence_id)],
            "declaration": "y",
        },
    )
    assert sent.status_code == 302, factories.page_text(sent)
    return factories_session_request(client)


def factories_session_request(client: FlaskClient) -> SignOffRequest:
    from portfolio.db import get_session

    with client.application.app_context():
        return get_session().scalars(select(SignOffRequest)).one()


def test_only_the_assessor_a_request_waits_on_decides_it_and_reads_only_the_evidence(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    request = _ask(client, dept, dept.nurse.id)

    other = new_client()
    factories.sign_in(other, dept.educator)  # an educator in reach, but not the one asked
    assert other.get(f"/sign-off-requests/{request.id}").status_code == 404

    nurse = new_client()
    factories.sign_in(nurse, dept.nurse)
    assert nurse.get(f"/sign-off-requests/{request.id}").status_code == 200
    assert nurse.get(f"/evidence/{dept.evidence_id}").status_code == 200
    # Asking someone to assess shows them the evidence, not the rest of the portfolio.
    assert nurse.get(f"/people/{dept.worker.id}").status_code == 404
    assert nurse.get(f"/people/{dept.worker.id}/progress").status_code == 404


def test_asking_freezes_the_evidence_and_the_decision_keeps_the_declaration_time(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    request = _ask(client, dept, dept.nurse.id)
    session.expire_all()
    evidence = session.get_one(Evidence, dept.evidence_id)
    assert evidence.latest.frozen  # a change now makes version 2; version 1 stays as asked

    nurse = new_client()
    factories.sign_in(nurse, dept.nurse)
    token = factories.csrf_token(nurse, f"/sign-off-requests/{request.id}")
    nurse.post(
        f"/sign-off-requests/{request.id}",
        data={
            "csrf_token": token,
            "outcome": "competent",
            "supervision": "direct",
            "observed_on": today().isoformat(),
            "evidence_ids": [str(dept.evidence_id)],
            "password": PASSWORD,
        },
    )
    [decision] = decisions(session, dept.worker.id)
    asked = session.get_one(SignOffRequest, request.id)
    assert decision.declared_at == asked.declared_at


def test_an_observation_long_ago_is_refused_and_later_procedures_never_count(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)  # 1 to 5 days ago
    factories.sign_in(client, dept.worker)
    old = _sign_off_now(client, dept, observed_on=(today() - dt.timedelta(days=31)).isoformat())
    assert "within the last 30 days" in factories.page_text(old)
    # Observed 3 days ago: only the procedures done by then (3, 4 and 5 days ago) count.
    early = _sign_off_now(client, dept, observed_on=(today() - dt.timedelta(days=3)).isoformat())
    assert "3 of 5 confirmed successful supervised procedures" in factories.page_text(early)
    assert decisions(session, dept.worker.id) == []


def test_a_local_policy_cannot_remove_the_countersignature_the_framework_requires(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.local_policy(
        session,
        dept.educator,
        "CANN",
        procedures=5,
        countersignature=False,
        title="Cannulation policy",
        reassessment_months=24,
    )
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    _sign_off_now(client, dept)
    [decision] = decisions(session, dept.worker.id)
    assert decision.countersignature_required
    assert decision.policy_title == "Cannulation policy"
    assert decision.expires_on == add_months(today(), 24)


def test_a_temporary_password_set_by_an_administrator_cannot_sign(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    dept.radiographer.must_change_password = True
    session.flush()
    factories.sign_in(client, dept.worker)
    page = factories.page_text(_sign_off_now(client, dept))
    assert "Enter the correct email address and password" in page
    assert decisions(session, dept.worker.id) == []


def test_the_competency_page_for_an_earlier_day_hides_what_came_after_it(
    session: Session,
    client: FlaskClient,
    new_client,
    department: factories.SignOffWorld,  # type: ignore[no-untyped-def]
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    _sign_off_now(client, dept)
    [decision] = decisions(session, dept.worker.id)
    # As if observed and recorded two days ago.
    decision.observed_on = decision.recorded_on = today() - dt.timedelta(days=2)
    session.flush()
    educator = new_client()
    factories.sign_in(educator, dept.educator)
    token = factories.csrf_token(educator, f"/sign-offs/{decision.id}/countersign")
    educator.post(
        f"/sign-offs/{decision.id}/countersign", data={"csrf_token": token, "password": PASSWORD}
    )
    educator.post(
        f"/sign-offs/{decision.id}/revoke",
        data={"csrf_token": token, "reason": "Practice outside policy"},
    )
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    then = factories.page_text(
        client.get(f"/people/{dept.worker.id}/competencies/CANN?on={yesterday}")
    )
    assert "Awaiting a practice educator" in then
    assert "Practice outside policy" not in then
    now = factories.page_text(client.get(f"/people/{dept.worker.id}/competencies/CANN"))
    assert "Practice outside policy" in now
    # A revoked sign-off is never countersigned afterwards.
    assert "Revoked on" in now


def test_the_evidence_to_choose_shows_its_date_as_every_other_page_does(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    evidence = session.get(Evidence, dept.evidence_id)
    assert evidence is not None
    day = evidence.latest.activity_on
    for path in ("/competencies/CANN/sign-off", "/competencies/CANN/request"):
        page = factories.page_text(client.get(path))
        assert f"{day.day} {day:%B %Y}" in page, path  # 5 December 2026, as the date filter
        assert f"{day:%d/%m/%Y}" not in page, path
