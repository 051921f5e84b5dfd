"""The matrix's aggregate histories give every status that the full histories give."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portfolio.clock import today, utcnow
from portfolio.evidence.models import (
    Evidence,
    EvidenceKind,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.oversight.records import matrix_histories
from portfolio.signoff.models import Revocation, SignOffDecision, Suspension
from portfolio.signoff.queries import histories
from portfolio.signoff.status import CompetencyHistory, Outcome, status_on
from tests import synthetic


def _more_of_everything(session: Session, trust: synthetic.Trust) -> None:
    """What the synthetic trust lacks: corrected evidence, confirmed procedures, suspensions
    (ongoing and ended), a revocation, and a 'not yet competent' recorded later."""
    now, on = utcnow(), today()
    first, second, third = trust.worker_ids[:3]
    by = trust.supervisor_ids[0]
    decisions = session.scalars(
        select(SignOffDecision).where(SignOffDecision.worker_id.in_([first, second]))
    ).all()
    session.add_all(
        [
            Suspension(
                decision_id=decisions[0].id,
                starts_on=on - dt.timedelta(days=10),
                reason="Absence",
                suspended_by_id=by,
            ),
            Suspension(
                decision_id=decisions[1].id,
                starts_on=on - dt.timedelta(days=60),
                reinstated_on=on - dt.timedelta(days=20),
                reason="Investigation",
                suspended_by_id=by,
            ),
            Revocation(
                decision_id=decisions[2].id,
                revoked_on=on - dt.timedelta(days=5),
                reason="Unsafe",
                revoked_by_id=by,
            ),
        ]
    )
    late = {
        column.key: getattr(decisions[3], column.key)
        for column in SignOffDecision.__table__.columns
        if column.key != "id"
    }
    late |= {
        "outcome": Outcome.NOT_YET_COMPETENT,
        "supervision": None,
        "observed_on": on - dt.timedelta(days=2),
        "recorded_on": on + dt.timedelta(days=3),  # typed in later than the day asked about
        "expires_on": None,
    }
    session.execute(insert(SignOffDecision), [late])
    # A piece of evidence corrected: the new version moves its date and its competency.
    evidence_id = session.scalar(
        insert(Evidence).returning(Evidence.id), [{"worker_id": third, "created_at": now}]
    )
    for number, days, code in ((1, 900, "CORE-ID"), (2, 3, "CORE-IPC")):
        version_id = session.scalar(
            insert(EvidenceVersion).returning(EvidenceVersion.id),
            [
                {
                    "evidence_id": evidence_id,
                    "number": number,
                    "kind": EvidenceKind.TRAINING_RECORD,
                    "title": "Study day",
                    "activity_on": on - dt.timedelta(days=days),
                    "body": "Notes.",
                    "frozen": number == 1,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
        session.execute(insert(EvidenceLink), [{"version_id": version_id, "competency_code": code}])
    session.add(
        ProcedureLine(
            worker_id=third,
            competency_code="CANN",
            performed_on=on + dt.timedelta(days=1),
            setting="CT",
            outcome=ProcedureOutcome.SUCCESSFUL,
            witness_id=by,
            confirmed_at=now,
            confirmed_by="password",
        )
    )
    session.flush()


@pytest.mark.parametrize("days", [-900, -400, -60, -15, 0, 2, 30, 400])
def test_every_status_agrees_with_the_full_histories(
    app: Flask, session: Session, days: int
) -> None:
    trust = synthetic.seed(
        session, key=b"key", workers=12, evidence_each=6, sign_offs_each=9, supervisors=2
    )
    _more_of_everything(session, trust)
    codes = {code for scope in synthetic.scopes_by_job_role(session).values() for code in scope}
    people = trust.worker_ids
    full, aggregate = histories(session, people, codes), matrix_histories(session, people, codes)
    assert set(aggregate) <= set(full)
    on = today() + dt.timedelta(days=days)
    compared = 0
    for person in people:
        for code in codes:
            expected = status_on(
                full.get((person, code), CompetencyHistory()), on, with_since=False
            )
            found = status_on(
                aggregate.get((person, code), CompetencyHistory()), on, with_since=False
            )
            assert found == expected, (person, code, on)
            compared += 1
    assert compared == len(people) * len(codes)


def test_only_the_latest_version_of_evidence_counts(app: Flask, session: Session) -> None:
    trust = synthetic.seed(
        session, key=b"key", workers=3, evidence_each=0, sign_offs_each=4, supervisors=1
    )
    _more_of_everything(session, trust)
    found = matrix_histories(session, [trust.worker_ids[2]], ["CORE-ID", "CORE-IPC", "CANN"])
    old = found.get((trust.worker_ids[2], "CORE-ID"))  # the old version's competency
    assert old is None or old.evidence_dates == ()
    assert found[(trust.worker_ids[2], "CORE-IPC")].evidence_dates == (
        today() - dt.timedelta(days=3),
    )
    assert found[(trust.worker_ids[2], "CANN")].evidence_dates == (today() + dt.timedelta(days=1),)


def test_nothing_asked_for_reads_nothing(app: Flask, session: Session) -> None:
    assert matrix_histories(session, [], []) == {}
