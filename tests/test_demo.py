"""The demo trust tells the sign-off story, whatever day it is loaded on: who may assess
cannulation and mammography, who is nearly ready, whose basic life support has expired, what
waits on a to-do list, and a status that was different last month.

Every test runs twice: on a demo loaded today, and on one loaded as if it were two and a half
years from now (the demo's clock moved on), so the story never goes stale."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import create_app, demo, migrations
from portfolio.core import clock
from portfolio.core.clock import today
from portfolio.people.models import User
from portfolio.signoff import queries, rules
from portfolio.signoff.models import Authentication, SignOffDecision
from portfolio.standing.status import Outcome, Status, SupervisionLevel
from tests.support.databases import ThrowawayDatabases

pytestmark = pytest.mark.commits

DUE_DAYS, REGISTER_DAYS = 60, 365


@dataclass(frozen=True)
class Demo:
    app: Flask
    day: dt.date


@pytest.fixture(scope="module", params=[0, 900], ids=["loaded-today", "loaded-in-900-days"])
def loaded(request: pytest.FixtureRequest, databases: ThrowawayDatabases) -> Iterator[Demo]:
    """One demo trust per load day, loaded once through the command line.

    Read-only, so the tests sharing it pass in any order: they query it, or load the demo a
    second time and assert that nothing changed ("already loaded")."""
    day = today() + dt.timedelta(days=request.param)
    url = databases.new()
    migrations.upgrade(url)
    app = create_app("testing", database_url=url)
    real_today, real_now = clock.today, clock.utcnow
    moved = {"today": lambda: day, "utcnow": lambda: real_now() + (day - real_today())}
    with pytest.MonkeyPatch.context() as patch:
        # The clock moved on, for every module that asks `portfolio.core.clock` the time.
        for module in list(sys.modules.values()):
            if not getattr(module, "__name__", "").startswith("portfolio"):
                continue
            for name, real in (("today", real_today), ("utcnow", real_now)):
                if getattr(module, name, None) is real:
                    patch.setattr(module, name, moved[name])
        result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    yield Demo(app, day)
    app.extensions["engine"].dispose()


@pytest.fixture
def db(loaded: Demo) -> Iterator[Session]:
    with loaded.app.app_context():
        from portfolio.db import get_session

        yield get_session()


@pytest.fixture
def day(loaded: Demo) -> dt.date:
    """The day the demo was loaded: "today" for everything it holds."""
    return loaded.day


def person(session: Session, who: str) -> User:
    return session.scalars(select(User).where(User.email == f"{who}@northfield.example")).one()


def context(session: Session, who: str, code: str, on: dt.date) -> queries.SignOffContext:
    found = queries.sign_off_context(session, person(session, who), code, on, due_window_days=60)
    assert found is not None
    return found


def eligibility(
    session: Session, who: str, worker: str, code: str, day: dt.date
) -> rules.Eligibility:
    assessor, holder = person(session, who), person(session, worker)
    definition = context(session, worker, code, day).competency.definition
    facts = queries.assessor_facts(
        session,
        [assessor],
        code,
        day,
        due_window_days=DUE_DAYS,
        own_status_needed=definition.assessors.must_hold_sign_off,
        rule=definition.assessors,
    )[assessor.id]
    return rules.eligibility(
        definition.assessors,
        facts,
        worker_id=holder.id,
        worker_organisation_id=holder.organisation_id,
        on=day,
        register_check_valid_days=REGISTER_DAYS,
    )


def last_month(day: dt.date) -> dt.date:
    return rules.add_months(day, -1)


def test_the_audit_trail_verifies_after_the_demo_and_a_second_load_changes_nothing(
    loaded: Demo,
) -> None:
    runner = loaded.app.test_cli_runner()
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0, again.output
    assert "already loaded" in again.output
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "Audit log intact" in verified.output


def test_morgan_is_three_confirmed_insertions_from_cannulation_sign_off(
    db: Session, day: dt.date
) -> None:
    morgan = context(db, "scsw", "CANN", day)
    assert morgan.status.status is Status.IN_PROGRESS
    assert morgan.rule.policy_title == "Cannulation policy v4"
    assert len(morgan.procedures) == demo.MORGAN_CONFIRMED_PROCEDURES
    assert morgan.rule.supervised_procedures == demo.MORGAN_CONFIRMED_PROCEDURES + 3
    assert {item.witness for item in morgan.procedures} == {"Grace Mensah"}
    assert [item.title for item in morgan.evidence] == ["Cannulation study day"]
    assert {item.code: item.status.status for item in morgan.prerequisites} == {
        "ANTT": Status.COMPETENT,
        "CORE-BLS": Status.COMPETENT,
    }
    assert morgan.missing(evidence_chosen=1) == (
        f"{demo.MORGAN_CONFIRMED_PROCEDURES} of 10 confirmed successful supervised procedures",
    )
    assert context(db, "scsw", "CANN", last_month(day)).status.status is Status.IN_PROGRESS


def test_sam_and_grace_may_assess_cannulation_and_only_helen_mammography(
    db: Session, day: dt.date
) -> None:
    for assessor in ("radiographer", "nurse"):
        own = context(db, assessor, "CANN", day)
        assert own.status.status is Status.COMPETENT
        assert own.job_role is None  # registrants, not support workers
        assert eligibility(db, assessor, "scsw", "CANN", day).eligible
    assert not eligibility(db, "mammographer", "scsw", "CANN", day).eligible  # no CANN of her own
    assert eligibility(db, "mammographer", "ma", "MAMMO-2V", day).eligible
    refused = eligibility(db, "radiographer", "ma", "MAMMO-2V", day)
    assert not refused.eligible
    assert "postgraduate mammography" in refused.reasons[0]

    transcribed = db.scalars(
        select(SignOffDecision).where(
            SignOffDecision.worker_id == person(db, "radiographer").id,
            SignOffDecision.competency_code == "CANN",
        )
    ).one()
    assert transcribed.authentication is Authentication.TRANSCRIBED
    assert transcribed.transcribed_source == demo.VASCULAR_RECORD
    assert transcribed.recorded_on < day - dt.timedelta(days=20)  # typed in weeks ago


def test_aishas_request_waits_on_helens_to_do_list(db: Session, day: dt.date) -> None:
    (waiting,) = queries.to_do(db, person(db, "mammographer").id, day)
    assert (waiting.worker, waiting.competency_code) == ("Aisha Khan", "MAMMO-2V")
    assert context(db, "ma", "MAMMO-2V", day).status.status is Status.AWAITING_SIGN_OFF
    assert queries.to_do(db, person(db, "radiographer").id, day) == []


def test_jordans_basic_life_support_has_expired(db: Session, day: dt.date) -> None:
    bls = context(db, "csw", "CORE-BLS", day).status
    assert bls.status is Status.EXPIRED
    assert bls.expires_on is not None
    assert bls.expires_on < day
    assert "Basic life support (CORE-BLS): expired" in context(db, "csw", "CANN", day).missing(
        evidence_chosen=1
    )


def test_jordan_is_on_the_educators_list_of_people_to_support_into_a_qualification(
    db: Session, day: dt.date
) -> None:
    from portfolio.oversight import queries as oversight
    from portfolio.oversight.matrix import Filters
    from portfolio.oversight.rules import Support

    educator = person(db, "educator")
    reach = oversight.Reach(educator.organisation_id, whole_organisation=True)
    rows = oversight.qualification_support(db, reach, Filters(), day)
    assert [row.worker.name for row in rows] == ["Jordan Lee"]
    (jordan,) = rows
    assert jordan.guidance.support is Support.WAITING_LIST
    assert jordan.guidance.qualification == "Healthcare support worker apprenticeship (level 2)"
    assert jordan.guidance.ends_on < day  # his 6 months have passed


def test_chris_was_in_progress_last_month_and_is_signed_off_and_countersigned_now(
    db: Session,
    day: dt.date,
) -> None:
    now = context(db, "ap", "CANN", day).status
    assert now.status is Status.COMPETENT
    assert now.supervision is SupervisionLevel.INDIRECT
    assert now.conditions == ("Adults only",)
    assert now.decision is not None
    assert now.decision.countersigned_on is not None
    assert context(db, "ap", "CANN", last_month(day)).status.status is Status.IN_PROGRESS
    before = context(db, "ap", "CANN", day - dt.timedelta(days=10)).status
    assert before.status is Status.NOT_YET_COMPETENT

    feedback = db.scalars(
        select(SignOffDecision).where(
            SignOffDecision.worker_id == person(db, "ap").id,
            SignOffDecision.outcome == Outcome.NOT_YET_COMPETENT,
        )
    ).one()
    assert feedback.assessor_name == "Grace Mensah"
    assert all((feedback.went_well, feedback.to_develop, feedback.action_plan))
