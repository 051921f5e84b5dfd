"""`histories` (three aggregate statements) gives every status that the records give when
read one by one through the ORM, the plain way a reader of the code would expect."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.evidence import earliest
from portfolio.evidence.models import (
    Evidence,
    EvidenceKind,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.signoff.queries import histories
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Request,
    status_on,
)
from portfolio.standing.status import Revocation as RevocationFact
from portfolio.standing.status import Suspension as SuspensionFact
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
    earliest.refresh(session, [third])  # bulk inserts bypass the flush that keeps it
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


def _one_by_one(
    session: Session, people: list[int], codes: set[str]
) -> dict[tuple[int, str], CompetencyHistory]:
    """The reference: every record loaded as an object and sorted out in Python."""
    found: dict[tuple[int, str], dict[str, list]] = {}  # type: ignore[type-arg]

    def part(key: tuple[int, str]) -> dict[str, list]:  # type: ignore[type-arg]
        return found.setdefault(
            key,
            {"dates": [], "requests": [], "decisions": [], "suspensions": [], "revocations": []},
        )

    for evidence in session.scalars(select(Evidence).where(Evidence.worker_id.in_(people))):
        latest = max(evidence.versions, key=lambda version: version.number)
        for link in latest.links:
            part((evidence.worker_id, link.competency_code))["dates"].append(latest.activity_on)
    awaiting: dict[tuple[int, str], int] = {}
    for line in session.scalars(select(ProcedureLine).where(ProcedureLine.worker_id.in_(people))):
        key = (line.worker_id, line.competency_code)
        if line.confirmed_at is None:
            awaiting[key] = awaiting.get(key, 0) + 1
            part(key)
        else:
            part(key)["dates"].append(line.performed_on)
    for request in session.scalars(
        select(SignOffRequest).where(SignOffRequest.worker_id.in_(people))
    ):
        part((request.worker_id, request.competency_code))["requests"].append(
            Request(
                requested_on=request.requested_on,
                decided_on=request.ended_on if request.state is RequestState.DECIDED else None,
                withdrawn_on=request.ended_on if request.state is RequestState.WITHDRAWN else None,
            )
        )
    for row in session.scalars(
        select(SignOffDecision)
        .where(SignOffDecision.worker_id.in_(people))
        .order_by(SignOffDecision.id)
    ):
        key = (row.worker_id, row.competency_code)
        part(key)["decisions"].append(
            Decision(
                id=row.id,
                outcome=row.outcome,
                observed_on=row.observed_on,
                recorded_on=row.recorded_on,
                supervision=row.supervision,
                conditions=row.condition_labels,
                expires_on=row.expires_on,
                countersignature_required=row.countersignature_required,
                countersigned_on=row.countersigned_on,
                transcribed=row.authentication is Authentication.TRANSCRIBED,
            )
        )
        for suspension in session.scalars(
            select(Suspension).where(Suspension.decision_id == row.id).order_by(Suspension.id)
        ):
            part(key)["suspensions"].append(
                SuspensionFact(
                    decision_id=row.id,
                    starts_on=suspension.starts_on,
                    reinstated_on=suspension.reinstated_on,
                    reason=suspension.reason,
                )
            )
        for revocation in session.scalars(
            select(Revocation).where(Revocation.decision_id == row.id)
        ):
            part(key)["revocations"].append(
                RevocationFact(
                    decision_id=row.id, revoked_on=revocation.revoked_on, reason=revocation.reason
                )
            )
    return {
        key: CompetencyHistory(
            evidence_dates=(min(value["dates"]),) if value["dates"] else (),
            requests=tuple(value["requests"]),
            decisions=tuple(value["decisions"]),
            suspensions=tuple(value["suspensions"]),
            revocations=tuple(value["revocations"]),
            procedures_awaiting=awaiting.get(key, 0),
        )
        for key, value in found.items()
        if key[1] in codes
    }


def _awaiting_line(session: Session, trust: synthetic.Trust) -> None:
    session.add(
        ProcedureLine(
            worker_id=trust.worker_ids[4],
            competency_code="CANN",
            performed_on=today() - dt.timedelta(days=1),
            setting="CT",
            outcome=ProcedureOutcome.SUCCESSFUL,
            witness_id=trust.supervisor_ids[0],
        )
    )
    session.flush()


@pytest.mark.parametrize("days", [-900, -400, -60, -15, 0, 2, 30, 400])
def test_every_status_agrees_with_the_records_read_one_by_one(
    app: Flask, session: Session, days: int
) -> None:
    trust = synthetic.seed(
        session, key=b"key", workers=12, evidence_each=6, sign_offs_each=9, supervisors=2
    )
    _more_of_everything(session, trust)
    _awaiting_line(session, trust)
    codes = {code for scope in synthetic.scopes_by_job_role(session).values() for code in scope}
    people = trust.worker_ids
    expected_histories = _one_by_one(session, people, codes)
    found_histories = histories(session, people, codes)
    assert found_histories == expected_histories
    on = today() + dt.timedelta(days=days)
    compared = 0
    for person in people:
        for code in codes:
            expected = status_on(
                expected_histories.get((person, code), CompetencyHistory()), on, with_since=True
            )
            found = status_on(
                found_histories.get((person, code), CompetencyHistory()), on, with_since=True
            )
            assert found == expected, (person, code, on)
            compared += 1
    assert compared == len(people) * len(codes)


def test_only_the_latest_version_of_evidence_counts(app: Flask, session: Session) -> None:
    trust = synthetic.seed(
        session, key=b"key", workers=3, evidence_each=0, sign_offs_each=4, supervisors=1
    )
    _more_of_everything(session, trust)
    found = histories(session, [trust.worker_ids[2]], ["CORE-ID", "CORE-IPC", "CANN"])
    old = found.get((trust.worker_ids[2], "CORE-ID"))  # the old version's competency
    assert old is None or old.evidence_dates == ()
    assert found[(trust.worker_ids[2], "CORE-IPC")].evidence_dates == (
        today() - dt.timedelta(days=3),
    )
    assert found[(trust.worker_ids[2], "CANN")].evidence_dates == (today() + dt.timedelta(days=1),)


def test_procedures_awaiting_confirmation_are_counted_but_do_not_count(
    app: Flask, session: Session
) -> None:
    trust = synthetic.seed(
        session, key=b"key", workers=5, evidence_each=0, sign_offs_each=0, supervisors=1
    )
    _awaiting_line(session, trust)
    found = histories(session, [trust.worker_ids[4]])
    assert found[(trust.worker_ids[4], "CANN")].procedures_awaiting == 1
    assert found[(trust.worker_ids[4], "CANN")].evidence_dates == ()


def test_nothing_asked_for_reads_nothing(app: Flask, session: Session) -> None:
    assert histories(session, [], []) == {}
