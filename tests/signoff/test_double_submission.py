"""What two taps, two tabs or two educators at the same moment cannot do: record a decision
twice, leave two requests waiting for one competency, or open two suspensions of one
sign-off. The pages and services refuse with a message; the database refuses as well, so a
race between two transactions (PostgreSQL runs them side by side; SQLite runs write
transactions one at a time) ends the same way."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Result, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from portfolio import migrations
from portfolio.audit.services import Auditor
from portfolio.core.clock import today
from portfolio.db import make_engine
from portfolio.people.models import User
from portfolio.signoff import queries, services
from portfolio.signoff.models import (
    RequestState,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.standing.status import Outcome, SupervisionLevel
from tests import factories, races
from tests.signoff.records import WAIT, Waiting, a_waiting_request, decisions, flush_in_savepoint

PASSWORD = factories.PASSWORD


def _point_of_care_form(client: FlaskClient, dept: factories.SignOffWorld) -> dict[str, object]:
    page = client.get("/competencies/CANN/sign-off").get_data(as_text=True)
    key = page.split('name="submission" type="hidden" value="')[1].split('"')[0]
    return {
        "csrf_token": factories.csrf_token(client, "/competencies/CANN/sign-off"),
        "submission": key,
        "outcome": "not_yet_competent",
        "observed_on": today().isoformat(),
        "evidence_ids": [str(dept.evidence_id)],
        "went_well": "Explained the procedure clearly.",
        "to_develop": "Anchoring the vein.",
        "action_plan": "Two more supervised attempts.",
        "declaration": "y",
        "email": dept.radiographer.email,
        "password": PASSWORD,
    }


def test_pressing_record_twice_at_the_point_of_care_records_one_decision(
    session: Session, client: FlaskClient, department: factories.SignOffWorld
) -> None:
    dept = department
    factories.confirmed_procedures(session, dept.worker, dept.nurse, 5)
    factories.sign_in(client, dept.worker)
    form = _point_of_care_form(client, dept)

    first = client.post("/competencies/CANN/sign-off", data=form)
    second = client.post("/competencies/CANN/sign-off", data=form)

    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    [decision] = decisions(session, dept.worker.id)
    assert decision.outcome is Outcome.NOT_YET_COMPETENT
    # A form shown again is a new form: a later decision is a decision of its own.
    again = client.post("/competencies/CANN/sign-off", data=_point_of_care_form(client, dept))
    assert again.status_code == 302
    assert len(decisions(session, dept.worker.id)) == 2


def test_the_database_keeps_one_waiting_request_per_worker_and_competency(
    session: Session, department: factories.SignOffWorld
) -> None:
    dept = department

    def waiting() -> SignOffRequest:
        return SignOffRequest(
            worker_id=dept.worker.id,
            competency_code="CANN",
            assessor_id=dept.nurse.id,
            requested_on=today(),
        )

    session.add(waiting())
    session.flush()
    with pytest.raises(IntegrityError):
        flush_in_savepoint(session, waiting())
    # Once it has ended, a new request may wait.
    session.execute(
        SignOffRequest.__table__.update().values(state=RequestState.WITHDRAWN, ended_on=today())
    )
    session.add(waiting())
    session.flush()


def test_the_database_keeps_one_open_suspension_per_sign_off(
    session: Session, department: factories.SignOffWorld
) -> None:
    dept = department
    decision_id = session.scalars(
        select(SignOffDecision.id).where(SignOffDecision.worker_id == dept.radiographer.id)
    ).first()
    assert decision_id is not None

    def suspension(**extra: object) -> Suspension:
        return Suspension(
            decision_id=decision_id,
            starts_on=today(),
            reason="Investigation",
            suspended_by_id=dept.educator.id,
            **extra,
        )

    session.add(suspension(reinstated_on=today() + dt.timedelta(days=3)))  # ended: fine
    session.add(suspension())
    session.flush()
    with pytest.raises(IntegrityError):
        flush_in_savepoint(session, suspension())


def _committed_waiting_request(url: str, *, withdrawn: bool = False) -> Waiting:
    """test_concurrency's department, committed; the request withdrawn if asked (the worker
    may then ask again)."""
    if not url.startswith("postgresql"):
        pytest.skip("SQLite runs write transactions one at a time: no two are side by side")
    engine = make_engine(url)
    migrations.upgrade(url)
    try:
        with sessionmaker(bind=engine, expire_on_commit=False)() as session:
            waiting = a_waiting_request(session)
            if withdrawn:
                session.execute(
                    SignOffRequest.__table__.update().values(
                        state=RequestState.WITHDRAWN, ended_on=today()
                    )
                )
                session.commit()
    finally:
        engine.dispose()
    return waiting


@pytest.mark.commits
def test_the_same_decision_submitted_twice_at_the_same_moment_is_recorded_once(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = _committed_waiting_request(fresh_database_url)
    checked = threading.local()
    original = services._raise_if_recorded

    def check_then_wait(session: Session, key: str) -> None:
        original(session, key)
        if not getattr(checked, "once", False):  # both pass the check before either inserts
            checked.once = True
            barrier.wait(timeout=WAIT)

    monkeypatch.setattr(services, "_raise_if_recorded", check_then_wait)

    def decide(session: Session, start: threading.Barrier) -> int:
        on = today()
        worker = session.get_one(User, waiting.worker_id)
        context = queries.sign_off_context(session, worker, "CANN", on, due_window_days=60)
        assert context is not None
        assessor = session.get_one(User, waiting.assessor_ids[0])
        facts = queries.assessor_facts(
            session, [assessor], "CANN", on, due_window_days=60, own_status_needed=True
        )[assessor.id]
        decision = services.decide(
            Auditor(session, key=factories.AUDIT_KEY, actor_id=assessor.id),
            context,
            services.DecisionDetails(
                outcome=Outcome.COMPETENT,
                observed_on=on,
                supervision=SupervisionLevel.DIRECT,
                condition_codes=frozenset(),
                evidence_ids=frozenset({waiting.evidence_id}),
            ),
            assessor=facts,
            authentication=services.Authentication.POINT_OF_CARE,
            declared=True,
            request=None,
            on=on,
            register_check_valid_days=365,
            submission_key="the-same-form",
        )
        return decision.id

    barrier = threading.Barrier(2)
    with (
        races.two_at_once(fresh_database_url, decide) as (results, errors, make_session),
        make_session() as check,
    ):
        assert len(results) == 1
        [error] = errors
        assert isinstance(error, services.AlreadyRecordedError)
        assert error.decision_id == results[0]
        keyed = check.scalar(
            select(func.count())
            .select_from(SignOffDecision)
            .where(SignOffDecision.submission_key == "the-same-form")
        )
        assert keyed == 1


@pytest.mark.commits
def test_two_requests_sent_at_the_same_moment_leave_one_waiting(
    fresh_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = _committed_waiting_request(fresh_database_url, withdrawn=True)

    def ask(session: Session, start: threading.Barrier) -> int:
        on = today()
        worker = session.get_one(User, waiting.worker_id)
        context = queries.sign_off_context(session, worker, "CANN", on, due_window_days=60)
        assert context is not None
        nurse = session.get_one(User, waiting.assessor_ids[1])
        facts = queries.assessor_facts(
            session, [nurse], "CANN", on, due_window_days=60, own_status_needed=True
        )[nurse.id]

        @event.listens_for(session, "do_orm_execute")
        def _after_the_check(state: ORMExecuteState) -> Result[object] | None:
            # Both read "nothing waiting" before either inserts its request.
            described = state.statement.column_descriptions  # type: ignore[attr-defined]
            if state.is_select and described and described[0].get("entity") is SignOffRequest:
                result = state.invoke_statement()
                start.wait(timeout=WAIT)
                return result
            return None

        request = services.request_sign_off(
            Auditor(session, key=factories.AUDIT_KEY, actor_id=worker.id),
            worker,
            context,
            assessor=facts,
            evidence_ids=[waiting.evidence_id],
            declared=True,
            on=on,
            register_check_valid_days=365,
        )
        return request.id

    with (
        races.two_at_once(fresh_database_url, ask) as (results, errors, make_session),
        make_session() as check,
    ):
        assert len(results) == 1, errors
        [error] = errors
        assert isinstance(error, services.SignOffError)
        assert error.message == services.WAITING_ALREADY
        assert (
            check.scalar(
                select(func.count())
                .select_from(SignOffRequest)
                .where(SignOffRequest.state == RequestState.WAITING)
            )
            == 1
        )
