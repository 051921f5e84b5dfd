"""Sign-offs, requests, countersignatures, suspensions and revocations.

Most go through the sign-off services (so the audit trail and the rules are those of real
use); `decision`, `sign_off_request`, `suspension` and `revocation` write the rows directly,
for records the services would refuse to make today (backdated, expired, or for an assessor
the test has not made eligible).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.orm import Session

from portfolio.core.clock import today, utcnow
from portfolio.people.models import User
from portfolio.people.registers import RegisterType
from portfolio.signoff import queries, rules, services
from portfolio.signoff.models import (
    Authentication,
    Revocation,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.standing.status import Outcome, SupervisionLevel
from tests.factories.evidence import confirmed_procedures, evidence
from tests.factories.people import auditor

DUE_WINDOW_DAYS = 60
REGISTER_CHECK_VALID_DAYS = 365


def context(
    session: Session, worker: User, code: str, on: dt.date | None = None
) -> queries.SignOffContext:
    """What the sign-off pages know about the worker and the competency today."""
    found = queries.sign_off_context(
        session, worker, code, on or today(), due_window_days=DUE_WINDOW_DAYS
    )
    assert found is not None, f"{code} is not in {worker.name}'s scope"
    return found


def transcribed(
    session: Session,
    worker: User,
    code: str,
    by: User,
    *,
    days_ago: int = 20,
    observed_on: dt.date | None = None,
    supervision: SupervisionLevel = SupervisionLevel.REMOTE,
    assessor_name: str = "Vascular access team",
    assessor_profession: str | None = None,
    source: str = "Trust cannulation training record, seen by the practice educator",
    on: dt.date | None = None,
) -> SignOffDecision:
    """A current sign-off held on paper, observed `days_ago` days ago (or on `observed_on`)
    and typed in by `by` on `on`, today unless said (how a trust's first assessors come in)."""
    on = on or today()
    decision = services.transcribe(
        auditor(session, by),
        by,
        context(session, worker, code),
        services.TranscribedDetails(
            observed_on=observed_on or on - dt.timedelta(days=days_ago),
            supervision=supervision,
            condition_codes=frozenset(),
            assessor_name=assessor_name,
            assessor_profession=assessor_profession,
            source=source,
        ),
        on=on,
    )
    session.flush()
    return decision


def assessor_facts(session: Session, assessor: User, code: str = "CANN") -> rules.AssessorFacts:
    """What the rules know about an assessor for the competency today."""
    return queries.assessor_facts(
        session,
        [assessor],
        code,
        today(),
        due_window_days=DUE_WINDOW_DAYS,
        own_status_needed=True,
    )[assessor.id]


def requested(
    session: Session, worker: User, assessor: User, evidence_ids: Collection[int]
) -> SignOffRequest:
    """The worker asks the assessor for cannulation sign-off, through the service."""
    request = services.request_sign_off(
        auditor(session, worker),
        worker,
        context(session, worker, "CANN"),
        assessor=assessor_facts(session, assessor),
        evidence_ids=list(evidence_ids),
        declared=True,
        on=today(),
        register_check_valid_days=REGISTER_CHECK_VALID_DAYS,
    )
    session.flush()
    return request


def signed_off(
    session: Session, worker: User, assessor: User, educator: User, *, countersign: bool = True
) -> SignOffDecision:
    """Ready for cannulation (A-1 on paper, evidence, five procedures) and signed off at the
    point of care today with a condition, countersigned unless asked: as it really happens."""
    transcribed(session, worker, "A-1", educator)
    piece = evidence(session, worker)
    confirmed_procedures(session, worker, assessor, 5)
    decision = services.decide(
        auditor(session, assessor),
        context(session, worker, "CANN"),
        services.DecisionDetails(
            outcome=Outcome.COMPETENT,
            observed_on=today(),
            supervision=SupervisionLevel.INDIRECT,
            condition_codes=frozenset({"adults-only"}),
            evidence_ids=frozenset({piece.id}),
        ),
        assessor=assessor_facts(session, assessor),
        authentication=Authentication.POINT_OF_CARE,
        declared=True,
        request=None,
        on=today(),
        register_check_valid_days=REGISTER_CHECK_VALID_DAYS,
    )
    if countersign:
        countersigned(session, decision, educator)
    session.flush()
    return decision


def countersigned(session: Session, decision: SignOffDecision, educator: User) -> None:
    """The practice educator countersigns today, through the service."""
    services.countersign(auditor(session, educator), educator, decision, on=today())
    session.flush()


def decision(
    session: Session,
    worker: User,
    code: str,
    *,
    observed_on: dt.date,
    assessor: User | None = None,
    **values: object,
) -> SignOffDecision:
    """A sign-off row written directly: competent at indirect supervision, observed on
    `observed_on` and recorded that day. With an assessor, made in their own session (an HCPC
    radiographer, five procedures); without, typed in from paper. `values` sets any column."""
    fields: dict[str, object] = {
        "worker_id": worker.id,
        "competency_code": code,
        "outcome": Outcome.COMPETENT,
        "supervision": SupervisionLevel.INDIRECT,
        "conditions": "",
        "observed_on": observed_on,
        "recorded_on": observed_on,
        "framework_code": "sample",
        "framework_version": "1",
        "procedures_required": 0,
        "assessor_name": "Vascular access team",
        "authentication": Authentication.TRANSCRIBED,
        "countersignature_required": False,
    }
    if assessor is not None:
        fields |= {
            "recorded_at": utcnow(),
            "procedures_required": 5,
            "assessor_id": assessor.id,
            "assessor_name": assessor.name,
            "assessor_profession": "radiographer",
            "assessor_register": RegisterType.HCPC,
            "assessor_register_number": "RA123456",
            "assessor_register_checked_on": observed_on - dt.timedelta(days=10),
            "authentication": Authentication.OWN_SESSION,
        }
    fields.update(values)
    row = SignOffDecision(**fields)
    session.add(row)
    session.flush()
    return row


def sign_off_request(
    session: Session,
    worker: User,
    assessor: User,
    code: str = "CANN",
    *,
    requested_on: dt.date | None = None,
) -> SignOffRequest:
    """A request waiting on the assessor, written directly (no eligibility checked)."""
    request = SignOffRequest(
        worker_id=worker.id,
        competency_code=code,
        assessor_id=assessor.id,
        requested_on=requested_on or today(),
    )
    session.add(request)
    session.flush()
    return request


def suspension(
    session: Session,
    decision: SignOffDecision,
    by: User,
    *,
    starts_on: dt.date | None = None,
    reason: str = "Pending an investigation",
    **values: object,
) -> Suspension:
    """The sign-off suspended from `starts_on` (today), written directly."""
    row = Suspension(
        decision_id=decision.id,
        starts_on=starts_on or today(),
        reason=reason,
        suspended_by_id=by.id,
        **values,
    )
    session.add(row)
    session.flush()
    return row


def revocation(
    session: Session,
    decision: SignOffDecision,
    by: User,
    *,
    revoked_on: dt.date | None = None,
    reason: str = "Recorded against the wrong competency",
) -> Revocation:
    """The sign-off revoked from `revoked_on` (today), written directly."""
    row = Revocation(
        decision_id=decision.id,
        revoked_on=revoked_on or today(),
        reason=reason,
        revoked_by_id=by.id,
    )
    session.add(row)
    session.flush()
    return row
