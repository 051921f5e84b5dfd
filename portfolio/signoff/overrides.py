"""An educator's override of the supervised procedure minimum ("7 of 10 confirmed").

Who may override is the policy's (`Permission.OVERRIDE_MINIMUM`: educators in reach and
administrators); whether there is anything to override is `rules.override_refusal`. The
override waits for the next sign-off, which keeps it on its record (`services.decide`); the
database keeps one waiting per worker and competency, however many educators override at
once. Flushes, never commits; audited without copying the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy.exc import IntegrityError

from portfolio.audit.services import Auditor
from portfolio.core.identifiers import guard
from portfolio.people.models import User
from portfolio.signoff import rules
from portfolio.signoff.models import MinimumOverride
from portfolio.signoff.queries import SignOffContext
from portfolio.signoff.services import SignOffError, moment


def override_minimum(
    auditor: Auditor,
    by: User,
    context: SignOffContext,
    *,
    reason: str,
    on: dt.date,
    confirmed: Collection[str] = (),
) -> MinimumOverride:
    if by.id == context.worker_id:
        raise SignOffError("reason", "Nobody can override a minimum for themselves")
    required, done = context.rule.supervised_procedures, len(context.procedures)
    refusal = rules.override_refusal(
        procedures_required=required,
        procedures_confirmed=done,
        already_overridden=context.override is not None,
    )
    if refusal:
        raise SignOffError("reason", refusal)
    text = reason.strip()
    if not text:
        raise SignOffError("reason", "Enter the reason the minimum can be overridden")
    guard({"reason": text}, confirmed)
    override = MinimumOverride(
        worker_id=context.worker_id,
        competency_code=context.competency.code,
        procedures_required=required,
        procedures_confirmed=done,
        reason=text,
        overridden_by_id=by.id,
        overridden_by_name=by.name,
        recorded_at=moment(on),
        recorded_on=on,
    )
    try:
        with auditor.session.begin_nested():
            auditor.session.add(override)
            auditor.session.flush()
    except IntegrityError:  # overridden by someone else a moment ago
        raise SignOffError("reason", rules.ALREADY_OVERRIDDEN) from None
    auditor.record(
        "sign_off.minimum_overridden",
        subject_type="minimum_override",
        subject_id=override.id,
        organisation_id=by.organisation_id,
        changes={
            "worker_id": context.worker_id,
            "competency": context.competency.code,
            "procedures_required": required,
            "procedures_confirmed": done,
            "reason": "(recorded)",
        },
    )
    return override
