"""Sign-off histories for a whole matrix, in six aggregate statements.

`signoff.queries.histories` reads every record a portfolio holds, which the competency pages
need (the day a status began, the evidence to choose from). A matrix needs less: the status
on one date without its "since", for which the evidence counts only through *whether any was
dated on or before that day* (`status._Facts.evidence`). So evidence and confirmed procedures
come in as the earliest date for each worker and competency (`MIN … GROUP BY`), decisions as
the columns `status_on` reads (no ORM objects), and suspensions and revocations through a
subquery rather than a list of decision ids. For a trust of 1,000 workers with 100 pieces of
evidence each, that is one earliest date for each worker and competency touched (about
22,000) instead of 100,000 rows of evidence.

What a history holds is otherwise exactly what `histories` builds (the latest version of each
piece of evidence, procedures once their witness confirmed them, requests, decisions, their
suspensions and revocations): `tests/oversight/test_records.py` checks that every status
agrees with `histories` on a varied trust.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Executable, func, select
from sqlalchemy.orm import Session, aliased

from portfolio.evidence.models import Evidence, EvidenceLink, EvidenceVersion, ProcedureLine
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.signoff.status import CompetencyHistory, Decision, Request
from portfolio.signoff.status import Revocation as RevocationFact
from portfolio.signoff.status import Suspension as SuspensionFact

Key = tuple[int, str]


def matrix_histories(
    session: Session, person_ids: Collection[int], codes: Collection[str]
) -> dict[Key, CompetencyHistory]:
    """For `status_on(..., with_since=False)` only: evidence is reduced to its earliest date.
    Always six statements, whatever the records (none are skipped when some are empty)."""
    earliest: dict[Key, dt.date] = {}
    requests: dict[Key, list[Request]] = defaultdict(list)
    decisions: dict[Key, list[Decision]] = defaultdict(list)
    suspensions: dict[Key, list[SuspensionFact]] = defaultdict(list)
    revocations: dict[Key, list[RevocationFact]] = defaultdict(list)

    # Core rows, not the ORM's (nothing becomes an object the session tracks), fetched whole.
    connection = session.connection()

    def run(statement: Executable) -> Sequence[Any]:
        return connection.execute(statement).all()

    people, wanted = list(person_ids) or [-1], list(codes) or [""]
    wanted_codes = set(codes)
    later = aliased(EvidenceVersion)
    for worker_id, code, first in run(
        select(
            Evidence.worker_id, EvidenceLink.competency_code, func.min(EvidenceVersion.activity_on)
        )
        .join(EvidenceVersion, EvidenceVersion.evidence_id == Evidence.id)
        .join(EvidenceLink, EvidenceLink.version_id == EvidenceVersion.id)
        .where(
            Evidence.worker_id.in_(people),
            # The latest version only (no later one exists): faster here on both engines
            # than joining each piece of evidence to its highest version number.
            ~select(later.id)
            .where(
                later.evidence_id == EvidenceVersion.evidence_id,
                later.number > EvidenceVersion.number,
            )
            .exists(),
        )
        .group_by(Evidence.worker_id, EvidenceLink.competency_code)
    ):
        # Chosen here, not in SQL: SQLite would seek the link index once per wanted code for
        # every version (40 times the work for a matrix of 40 competencies).
        if code in wanted_codes:
            earliest[(worker_id, code)] = first
    for worker_id, code, first in run(
        select(
            ProcedureLine.worker_id,
            ProcedureLine.competency_code,
            func.min(ProcedureLine.performed_on),
        )
        .where(
            ProcedureLine.worker_id.in_(people),
            ProcedureLine.confirmed_at.is_not(None),
            ProcedureLine.competency_code.in_(wanted),
        )
        .group_by(ProcedureLine.worker_id, ProcedureLine.competency_code)
    ):
        key = (worker_id, code)
        if key not in earliest or first < earliest[key]:
            earliest[key] = first
    for worker_id, code, requested_on, state, ended_on in run(
        select(
            SignOffRequest.worker_id,
            SignOffRequest.competency_code,
            SignOffRequest.requested_on,
            SignOffRequest.state,
            SignOffRequest.ended_on,
        ).where(SignOffRequest.worker_id.in_(people), SignOffRequest.competency_code.in_(wanted))
    ):
        requests[(worker_id, code)].append(
            Request(
                requested_on=requested_on,
                decided_on=ended_on if state is RequestState.DECIDED else None,
                withdrawn_on=ended_on if state is RequestState.WITHDRAWN else None,
            )
        )
    chosen = (
        select(SignOffDecision.id)
        .where(SignOffDecision.worker_id.in_(people), SignOffDecision.competency_code.in_(wanted))
        .scalar_subquery()
    )
    keys: dict[int, Key] = {}
    for (
        decision_id,
        worker_id,
        code,
        outcome,
        observed_on,
        recorded_on,
        supervision,
        conditions,
        expires_on,
        countersignature_required,
        countersigned_on,
        authentication,
        local_observed_on,
        minimum_override_id,
    ) in run(
        select(
            SignOffDecision.id,
            SignOffDecision.worker_id,
            SignOffDecision.competency_code,
            SignOffDecision.outcome,
            SignOffDecision.observed_on,
            SignOffDecision.recorded_on,
            SignOffDecision.supervision,
            SignOffDecision.conditions,
            SignOffDecision.expires_on,
            SignOffDecision.countersignature_required,
            SignOffDecision.countersigned_on,
            SignOffDecision.authentication,
            SignOffDecision.local_observed_on,
            SignOffDecision.minimum_override_id,
        ).where(SignOffDecision.id.in_(chosen))
    ):
        keys[decision_id] = (worker_id, code)
        decisions[(worker_id, code)].append(
            Decision(
                id=decision_id,
                outcome=outcome,
                observed_on=observed_on,
                recorded_on=recorded_on,
                supervision=supervision,
                conditions=tuple(filter(None, conditions.splitlines())),
                expires_on=expires_on,
                countersignature_required=countersignature_required,
                countersigned_on=countersigned_on,
                transcribed=authentication is Authentication.TRANSCRIBED,
                accepted_locally_on=local_observed_on,
                minimum_overridden=minimum_override_id is not None,
            )
        )
    for decision_id, starts_on, reinstated_on, reason in run(
        select(
            Suspension.decision_id,
            Suspension.starts_on,
            Suspension.reinstated_on,
            Suspension.reason,
        ).where(Suspension.decision_id.in_(chosen))
    ):
        if decision_id not in keys:  # recorded since the decisions were read
            continue
        suspensions[keys[decision_id]].append(
            SuspensionFact(
                decision_id=decision_id,
                starts_on=starts_on,
                reinstated_on=reinstated_on,
                reason=reason,
            )
        )
    for decision_id, revoked_on, reason in run(
        select(Revocation.decision_id, Revocation.revoked_on, Revocation.reason).where(
            Revocation.decision_id.in_(chosen)
        )
    ):
        if decision_id not in keys:
            continue
        revocations[keys[decision_id]].append(
            RevocationFact(decision_id=decision_id, revoked_on=revoked_on, reason=reason)
        )
    return {
        key: CompetencyHistory(
            evidence_dates=(earliest[key],) if key in earliest else (),
            requests=tuple(requests.get(key, ())),
            decisions=tuple(decisions.get(key, ())),
            suspensions=tuple(suspensions.get(key, ())),
            revocations=tuple(revocations.get(key, ())),
        )
        for key in {*earliest, *requests, *decisions}
    }
