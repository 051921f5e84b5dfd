"""Two assessors deciding one request at the same moment, on committed data (both engines).

Each assessor's page reads the request while it is still waiting, and both press "sign off"
together: exactly one decision is kept, and the other assessor is told that someone decided
it a moment ago and that nothing they entered was saved. The guard is the UPDATE in
`services.decide` that only finds the request while it is still waiting; the second test
takes it away and shows that the first test's expectations then fail (the loser meets the
unique constraint on `sign_off_decisions.request_id`: a database error, not the message).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from portfolio import migrations
from portfolio.audit.chain import Problem
from portfolio.audit.models import AuditEntry
from portfolio.audit.services import Auditor, verify
from portfolio.core.clock import today
from portfolio.db import make_engine, reading_only
from portfolio.evidence.models import EvidenceVersion
from portfolio.people.models import User
from portfolio.signoff import queries, services
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    SignOffDecision,
    SignOffEvidence,
    SignOffRequest,
)
from portfolio.standing.status import Outcome, SupervisionLevel
from tests import factories
from tests.signoff.records import WAIT, Waiting, a_waiting_request

DUE_DAYS = 60
REGISTER_DAYS = 365


@dataclass
class Race:
    """What each assessor was told, and what the database holds afterwards."""

    decided_by: list[int] = field(default_factory=list)
    refused: list[tuple[int, services.AlreadyDecidedError]] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)
    decisions: list[tuple[int, int | None]] = field(default_factory=list)  # (id, assessor)
    request_state: RequestState | None = None
    considered: list[tuple[int, int]] = field(default_factory=list)  # (decision, version)
    frozen_versions: list[int] = field(default_factory=list)
    decided_entries: int = 0
    audit_problem: Problem | None = None


def _decide_together(
    make_session: sessionmaker[Session],
    waiting: Waiting,
    assessor_id: int,
    start: threading.Barrier,
    race: Race,
) -> None:
    """One assessor's request handler: read the waiting request, then decide it."""
    on = today()
    with make_session() as session:
        try:
            with reading_only():  # the page as it was opened: SQLite's write lock is not taken
                request = session.get_one(SignOffRequest, waiting.request_id)
                worker = session.get_one(User, waiting.worker_id)
                assessor = session.get_one(User, assessor_id)
                snapshot = services.pending_request(request)
                context = queries.sign_off_context(
                    session, worker, "CANN", on, due_window_days=DUE_DAYS
                )
                assert context is not None
                facts = queries.assessor_facts(
                    session,
                    [assessor],
                    "CANN",
                    on,
                    due_window_days=DUE_DAYS,
                    own_status_needed=True,
                )[assessor_id]
                session.rollback()  # nothing is read-locked or write-locked across the wait
            assert snapshot.state is RequestState.WAITING
            # Both have read "still waiting" before either decides.
            start.wait(timeout=WAIT)
            services.decide(
                Auditor(session, key=factories.AUDIT_KEY, actor_id=assessor_id),
                context,
                services.DecisionDetails(
                    outcome=Outcome.COMPETENT,
                    observed_on=on,
                    supervision=SupervisionLevel.DIRECT,
                    condition_codes=frozenset(),
                    evidence_ids=frozenset({waiting.evidence_id}),
                ),
                assessor=facts,
                authentication=Authentication.OWN_SESSION,
                declared=True,
                request=snapshot,
                on=on,
                register_check_valid_days=REGISTER_DAYS,
            )
            session.commit()
            race.decided_by.append(assessor_id)
        except services.AlreadyDecidedError as error:
            session.rollback()
            race.refused.append((assessor_id, error))
        except Exception as error:
            session.rollback()
            start.abort()  # the other assessor stops waiting too
            race.errors.append(error)


def _race(url: str, *, without_the_guard: bool = False) -> Race:
    migrations.upgrade(url)
    engine = make_engine(url)
    make_session = sessionmaker(bind=engine, expire_on_commit=False)
    try:
        with make_session() as session:
            waiting = a_waiting_request(session)
        if without_the_guard:
            _remove_the_guard(make_session, waiting.request_id)
        race = Race()
        start = threading.Barrier(2)
        assessors = [
            threading.Thread(
                target=_decide_together,
                args=(make_session, waiting, assessor_id, start, race),
                daemon=True,
            )
            for assessor_id in waiting.assessor_ids
        ]
        for assessor in assessors:
            assessor.start()
        for assessor in assessors:
            assessor.join(timeout=3 * WAIT)
        assert not any(assessor.is_alive() for assessor in assessors), "an assessor is stuck"
        with make_session() as check:
            race.decisions = [
                (row.id, row.assessor_id)
                for row in check.scalars(
                    select(SignOffDecision).where(SignOffDecision.request_id == waiting.request_id)
                )
            ]
            race.request_state = check.scalar(
                select(SignOffRequest.state).where(SignOffRequest.id == waiting.request_id)
            )
            race.considered = [
                (row.decision_id, row.version_id) for row in check.scalars(select(SignOffEvidence))
            ]
            race.frozen_versions = list(
                check.scalars(
                    select(EvidenceVersion.id).where(
                        EvidenceVersion.evidence_id == waiting.evidence_id,
                        EvidenceVersion.frozen.is_(True),
                    )
                )
            )
            race.decided_entries = (
                check.scalar(
                    select(func.count())
                    .select_from(AuditEntry)
                    .where(AuditEntry.action == "sign_off.decided")
                )
                or 0
            )
            race.audit_problem = verify(check, key=factories.AUDIT_KEY)
        return race
    finally:
        engine.dispose()


def _remove_the_guard(make_session: sessionmaker[Session], request_id: int) -> None:
    """Make the database mark the request decided whatever state it is in: what `decide`
    would do without `state == 'waiting'` in its UPDATE (its rowcount check is then always
    satisfied, so that goes too). Done at the session, not by editing the service; deleting
    the condition and the rowcount check from services.py instead makes the first test fail
    in the same way on both engines. If the guard changes shape, this stops removing it and
    the second test fails: move the removal to wherever the guard then lives."""
    on = today()

    def unconditional(state: ORMExecuteState) -> None:
        if state.is_update and state.bind_mapper is inspect(SignOffRequest):
            state.statement = (
                update(SignOffRequest)
                .where(SignOffRequest.id == request_id)
                .values(state=RequestState.DECIDED, ended_on=on)
            )

    event.listen(make_session, "do_orm_execute", unconditional)


def _one_decision_and_a_clear_message(race: Race) -> None:
    assert race.errors == []
    assert len(race.decided_by) == 1
    assert len(race.refused) == 1
    [winner], [(loser, message)] = race.decided_by, race.refused
    assert loser != winner
    assert message.field == "request"
    assert "Another assessor decided this request" in message.message
    assert "nothing you entered was saved" in message.message
    [(decision_id, assessor_id)] = race.decisions
    assert assessor_id == winner
    assert race.request_state is RequestState.DECIDED
    # The evidence was considered, and frozen, once: by the winner's decision alone.
    assert len(race.considered) == 1
    assert race.considered[0][0] == decision_id
    assert race.frozen_versions == [race.considered[0][1]]
    # Nothing of the loser's reached the audit trail, and the chain is whole.
    assert race.decided_entries == 1
    assert race.audit_problem is None


@pytest.mark.commits
def test_two_assessors_deciding_one_request_together_get_one_decision_and_a_clear_message(
    fresh_database_url: str,
) -> None:
    _one_decision_and_a_clear_message(_race(fresh_database_url))


@pytest.mark.commits
def test_without_the_guard_the_other_assessor_meets_a_database_error_not_the_message(
    fresh_database_url: str,
) -> None:
    race = _race(fresh_database_url, without_the_guard=True)
    with pytest.raises(AssertionError):
        _one_decision_and_a_clear_message(race)
    # Both passed the "still waiting" check and both UPDATEs went through: only the unique
    # constraint stopped the second decision, as an error the assessor would see as a 500.
    assert race.refused == []
    assert len(race.decided_by) == 1
    [error] = race.errors
    assert isinstance(error, IntegrityError)
    assert len(race.decisions) == 1
    assert race.audit_problem is None
