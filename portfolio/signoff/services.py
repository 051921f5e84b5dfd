"""Asking for sign-off, deciding, countersigning, suspending, reinstating and revoking.

Services flush and never commit; every change is audited in the same transaction (without
copying free text). The assessor has proved who they are before a service is called: the
view checks their password; here the rules decide whether that person may decide at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.clock import LOCAL_ZONE, local, utcnow
from portfolio.core.identifiers import IdentifierFoundError, guard
from portfolio.core.roles import AccountRole
from portfolio.evidence.models import Evidence
from portfolio.frameworks.rules import Rule, rule_in_force
from portfolio.people.models import User
from portfolio.people.registers import RegisterType
from portfolio.signoff import events, links, rules
from portfolio.signoff.checks import SignOffError as SignOffError  # raised to the pages
from portfolio.signoff.checks import (
    SignOffProblemsError,
    ceiling_problem,
    check_eligible,
    chosen_evidence,
    decision_problems,
)
from portfolio.signoff.models import (
    Authentication,
    MinimumOverride,
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffEvidence,
    SignOffProcedure,
    SignOffRequest,
    SignOffRequestEvidence,
    Suspension,
)
from portfolio.signoff.queries import SignOffContext
from portfolio.standing.status import Outcome, SupervisionLevel, long_date


def moment(on: dt.date) -> dt.datetime:
    """The instant to stamp on a record of day `on`: now, when `on` is today (always, in the
    app); otherwise this time of day on that day, so a record of an earlier day (demo history,
    an import) never shows a time from after it."""
    now = utcnow()
    if local(now).date() == on:
        return now
    return dt.datetime.combine(on, local(now).time(), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


WAITING_ALREADY = "You already have a request waiting for this competency: withdraw it"
ALREADY_SUSPENDED = "This sign-off is already suspended"


class AlreadyRecordedError(SignOffError):
    """The same form was submitted twice: the first submission's decision stands."""

    def __init__(self, decision: SignOffDecision) -> None:
        super().__init__("outcome", "This decision was already recorded")
        self.decision = decision
        self.decision_id = decision.id


class AlreadyDecidedError(SignOffError):
    def __init__(self) -> None:
        super().__init__(
            "request",
            "Another assessor decided this request a moment ago: nothing you entered was saved",
        )


@dataclass(frozen=True)
class PendingRequest:
    """A request as read before deciding; the decision re-checks it when it writes."""

    id: int
    worker_id: int
    competency_code: str
    assessor_id: int
    state: RequestState
    evidence_ids: frozenset[int]
    declared_at: dt.datetime


def pending_request(request: SignOffRequest) -> PendingRequest:
    return PendingRequest(
        request.id,
        request.worker_id,
        request.competency_code,
        request.assessor_id,
        request.state,
        frozenset(item.evidence_id for item in request.evidence),
        request.declared_at,
    )


def request_sign_off(
    auditor: Auditor,
    worker: User,
    context: SignOffContext,
    *,
    assessor: rules.AssessorFacts,
    evidence_ids: Collection[int],
    declared: bool,
    on: dt.date,
    register_check_valid_days: int,
) -> SignOffRequest:
    """Put a request on an eligible assessor's to-do list, once nothing is missing."""
    chosen = chosen_evidence(context, evidence_ids)
    missing = context.missing(len(chosen))
    if missing:
        raise SignOffError("evidence_ids", f"Not ready to send: {missing[0]}")
    check_eligible(context, assessor, on, register_check_valid_days, "assessor_id")
    if not declared:
        raise SignOffError(
            "declaration", "Confirm you have read the policy and accept accountability"
        )
    session = auditor.session
    already = session.scalar(
        select(SignOffRequest.id).where(
            SignOffRequest.worker_id == worker.id,
            SignOffRequest.competency_code == context.competency.code,
            SignOffRequest.state == RequestState.WAITING,
        )
    )
    if already is not None:
        raise SignOffError("assessor_id", WAITING_ALREADY)
    request = SignOffRequest(
        worker_id=worker.id,
        competency_code=context.competency.code,
        assessor_id=assessor.id,
        requested_on=on,
        requested_at=moment(on),
        declared_at=moment(on),
        evidence=[SignOffRequestEvidence(evidence_id=item) for item in sorted(chosen)],
    )
    try:
        with session.begin_nested():
            session.add(request)
            # What the assessor is asked to consider stays as it was: a change becomes a new
            # version.
            _freeze(session, chosen)
            session.flush()
    except IntegrityError:  # sent at the same instant from another tab: that one stands
        raise SignOffError("assessor_id", WAITING_ALREADY) from None
    events.request_made.send(request, session=session)
    auditor.record(
        "sign_off.requested",
        subject_type="sign_off_request",
        subject_id=request.id,
        organisation_id=worker.organisation_id,
        changes={
            "worker_id": worker.id,
            "competency": context.competency.code,
            "assessor_id": assessor.id,
            "evidence": sorted(chosen),
            "declared": True,
        },
    )
    return request


def withdraw_request(auditor: Auditor, worker: User, request: SignOffRequest, on: dt.date) -> None:
    changed = auditor.session.execute(
        update(SignOffRequest)
        .where(SignOffRequest.id == request.id, SignOffRequest.state == RequestState.WAITING)
        .values(state=RequestState.WITHDRAWN, ended_on=on)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise SignOffError("request", "This request has already been decided or withdrawn")
    auditor.session.expire(request)
    auditor.record(
        "sign_off.request_withdrawn",
        subject_type="sign_off_request",
        subject_id=request.id,
        organisation_id=worker.organisation_id,
        changes={"worker_id": worker.id},
    )


@dataclass(frozen=True)
class DecisionDetails:
    outcome: Outcome
    observed_on: dt.date
    supervision: SupervisionLevel | None
    condition_codes: frozenset[str]
    evidence_ids: frozenset[int]
    went_well: str = ""
    to_develop: str = ""
    action_plan: str = ""


def _made_under(
    context: SignOffContext, rule: Rule, observed_on: dt.date, *, expires: bool
) -> dict[str, Any]:
    """What a decision records of the framework and policy it was made under, and the expiry
    that policy fixes (only a sign-off of a competency that expires has one)."""
    lapses = expires and context.competency.definition.expires
    return {
        "expires_on": rules.expiry(observed_on, rule.reassessment_months) if lapses else None,
        "framework_code": context.competency.framework_code,
        "framework_version": context.competency.version,
        "policy_version": rule.policy_version,
        "policy_title": rule.policy_title,
        "procedures_required": rule.supervised_procedures,
        "reassessment_months": rule.reassessment_months
        if context.competency.definition.expires
        else None,
    }


def _freeze(session: Session, evidence_ids: Collection[int]) -> None:
    for evidence in session.scalars(select(Evidence).where(Evidence.id.in_(evidence_ids))):
        evidence.latest.frozen = True


def decide(
    auditor: Auditor,
    context: SignOffContext,
    details: DecisionDetails,
    *,
    assessor: rules.AssessorFacts,
    authentication: Authentication,
    declared: bool,
    request: PendingRequest | None,
    on: dt.date,
    register_check_valid_days: int,
    backdate_days: int = 30,
    confirmed: Collection[str] = (),
    submission_key: str | None = None,
    identity_checked_at: dt.datetime | None = None,
) -> SignOffDecision:
    """Record an assessor's decision. With a request, exactly one decision ever answers it:
    a second assessor deciding at the same moment gets `AlreadyDecidedError`. The same form
    submitted twice (`submission_key`) records one decision: the second gets
    `AlreadyRecordedError` with the first.

    The practice may have been observed up to `backdate_days` ago (a trust's choice); the
    requirement is judged as it stood that day: the policy in force then, and only evidence
    and procedures dated by then."""
    if submission_key:
        _raise_if_recorded(auditor.session, submission_key)
    if request is not None and (
        request.state is not RequestState.WAITING
        or request.worker_id != context.worker_id
        or request.competency_code != context.competency.code
    ):
        raise AlreadyDecidedError()
    texts = {
        "went_well": details.went_well.strip(),
        "to_develop": details.to_develop.strip(),
        "action_plan": details.action_plan.strip(),
    }
    problems = decision_problems(
        auditor.session,
        context,
        outcome=details.outcome,
        observed_on=details.observed_on,
        supervision=details.supervision,
        evidence_ids=details.evidence_ids,
        texts=texts,
        declared=declared,
        assessor=assessor,
        on=on,
        register_check_valid_days=register_check_valid_days,
        backdate_days=backdate_days,
    )
    _raise_all(problems, texts, confirmed)
    eligible = check_eligible(context, assessor, on, register_check_valid_days, "assessor")
    chosen = chosen_evidence(context, details.evidence_ids)
    counted = context.procedures_by(details.observed_on)
    definition = context.competency.definition
    rule = rule_in_force(context.default_rule, context.policy_versions, details.observed_on)
    conditions = (
        rules.conditions_for(definition.conditions, details.condition_codes, context.job_role)
        if details.outcome is Outcome.COMPETENT
        else ()
    )
    session = auditor.session
    if request is not None:
        # The guard against two assessors deciding together: only one UPDATE finds the
        # request still waiting (PostgreSQL re-checks after the row lock is released;
        # SQLite write transactions run one at a time).
        changed = session.execute(
            update(SignOffRequest)
            .where(SignOffRequest.id == request.id, SignOffRequest.state == RequestState.WAITING)
            .values(state=RequestState.DECIDED, ended_on=on)
        )
        if changed.rowcount != 1:  # type: ignore[attr-defined]
            raise AlreadyDecidedError()
        links.use_up(session, request.id, assessor_id=assessor.id, now=utcnow())
    versions = {item.evidence_id: item.version_id for item in context.evidence}
    competent = details.outcome is Outcome.COMPETENT
    override_id = _use_override(session, context, rule, counted, on) if competent else None
    decision = SignOffDecision(
        worker_id=context.worker_id,
        competency_code=context.competency.code,
        request_id=request.id if request else None,
        submission_key=submission_key or None,
        outcome=details.outcome,
        supervision=details.supervision if competent else None,
        conditions="\n".join(condition.label for condition in conditions),
        observed_on=details.observed_on,
        recorded_at=moment(on),
        recorded_on=on,
        **_made_under(context, rule, details.observed_on, expires=competent),
        assessor_id=assessor.id,
        assessor_name=assessor.name,
        assessor_profession=assessor.profession,
        assessor_register=assessor.register,
        assessor_register_number=assessor.register_number,
        assessor_register_checked_on=assessor.register_checked_on,
        assessor_qualification=rules.qualification_summary(definition.assessors, assessor),
        authentication=authentication,
        # On request the worker declared when asking; at the point of care, there and then.
        declared_at=(request.declared_at if request is not None else moment(on))
        if declared
        else None,
        went_well=texts["went_well"] or None,
        to_develop=texts["to_develop"] or None,
        action_plan=texts["action_plan"] or None,
        # A local policy may add a countersignature, never remove one the framework requires.
        countersignature_required=competent
        and (definition.countersignature_required or rule.countersignature_required),
        evidence=[SignOffEvidence(version_id=versions[item]) for item in sorted(chosen)],
        procedures=[SignOffProcedure(procedure_line_id=line.id) for line in counted]
        if competent
        else [],
        minimum_override_id=override_id,
    )
    try:
        with session.begin_nested():
            session.add(decision)
            # What a decision considered is frozen: a correction becomes a new version.
            _freeze(session, chosen)
            session.flush()
    except IntegrityError:
        if submission_key:  # the same form, submitted at the same moment, was recorded
            _raise_if_recorded(session, submission_key)
        raise
    events.decision_recorded.send(decision, session=session)
    auditor.record(
        "sign_off.decided",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=context.organisation_id,
        changes={
            "worker_id": context.worker_id,
            "competency": context.competency.code,
            "outcome": details.outcome.value,
            "supervision": decision.supervision.value if decision.supervision else None,
            "conditions": [condition.code for condition in conditions],
            "observed_on": details.observed_on.isoformat(),
            "expires_on": decision.expires_on.isoformat() if decision.expires_on else None,
            "framework_version": decision.framework_version,
            "policy_version": decision.policy_version,
            "authentication": authentication.value,
            # When the assessor's password was checked (on this submission, or on an
            # earlier one of the same form that had other mistakes).
            "identity_checked_at": identity_checked_at.isoformat() if identity_checked_at else None,
            "request_id": decision.request_id,
            "evidence_versions": sorted(versions[item] for item in chosen),
            "procedures": len(decision.procedures),
            "eligibility": "eligible" if eligible.eligible else "refused",
            "feedback": "(recorded)" if any(texts.values()) else None,
            "minimum_override_id": override_id,
        },
    )
    return decision


def _raise_all(
    problems: list[SignOffError], texts: Mapping[str, str], confirmed: Collection[str]
) -> None:
    """Every problem at once, possible patient identifiers in the text among them."""
    try:
        guard({name: text for name, text in texts.items() if text}, confirmed)
    except IdentifierFoundError as found:
        if not problems:
            raise
        raise SignOffProblemsError(list(problems), found) from None
    if problems:
        raise SignOffProblemsError(list(problems))


def _raise_if_recorded(session: Session, submission_key: str) -> None:
    earlier = session.scalar(
        select(SignOffDecision).where(SignOffDecision.submission_key == submission_key)
    )
    if earlier is not None:
        raise AlreadyRecordedError(earlier)


def _use_override(
    session: Session,
    context: SignOffContext,
    rule: Rule,
    counted: Collection[object],
    on: dt.date,
) -> int | None:
    """A competent decision closes an open override of the procedure minimum, so it never
    carries over to a later reassessment; the decision keeps it only if it needed it."""
    if context.override is None:
        return None
    needed = len(counted) < rule.supervised_procedures
    closed = session.execute(
        update(MinimumOverride)
        .where(MinimumOverride.id == context.override.id, MinimumOverride.closed_on.is_(None))
        .values(closed_on=on)
    )
    if closed.rowcount != 1 and needed:  # type: ignore[attr-defined]
        raise SignOffError("outcome", "The override was used by another sign-off a moment ago")
    return context.override.id if needed else None


def countersign(
    auditor: Auditor, educator: User, decision: SignOffDecision, *, on: dt.date
) -> None:
    """A practice educator countersigns; from that day the sign-off counts."""
    revoked = auditor.session.scalar(
        select(Revocation.id).where(Revocation.decision_id == decision.id)
    )
    if revoked is not None:
        raise SignOffError("password", "This sign-off has been revoked: it cannot be countersigned")
    if decision.countersigned_on is not None:
        raise SignOffError(
            "password", f"{decision.countersigner_name} has already countersigned this sign-off"
        )
    if not decision.countersignature_required:
        raise SignOffError("password", "This sign-off does not need a countersignature")
    if educator.id in (decision.assessor_id, decision.worker_id):
        raise SignOffError(
            "password", "A countersignature must come from someone other than the assessor"
        )
    if not educator.has_role(AccountRole.EDUCATOR):
        raise SignOffError("password", "Only a practice educator can countersign")
    changed = auditor.session.execute(
        update(SignOffDecision)
        .where(SignOffDecision.id == decision.id, SignOffDecision.countersigned_on.is_(None))
        .values(
            countersigned_on=on,
            countersigned_at=moment(on),
            countersigned_by_id=educator.id,
            countersigner_name=educator.name,
        )
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise SignOffError("password", "Someone countersigned this a moment ago")
    auditor.session.expire(decision)
    auditor.record(
        "sign_off.countersigned",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=educator.organisation_id,
        changes={"countersigned_on": on.isoformat()},
    )


def _reason(reason: str, confirmed: Collection[str]) -> str:
    text = reason.strip()
    if not text:
        raise SignOffError("reason", "Enter the reason")
    guard({"reason": text}, confirmed)
    return text


def _must_be_sign_off(decision: SignOffDecision) -> None:
    if decision.outcome is not Outcome.COMPETENT:
        raise SignOffError("decision", "Only a sign-off can be suspended or revoked")


def suspend(
    auditor: Auditor,
    by: User,
    decision: SignOffDecision,
    *,
    starts_on: dt.date,
    reason: str,
    open_suspension: Suspension | None,
    revoked: bool,
    on: dt.date,
    confirmed: Collection[str] = (),
) -> Suspension:
    """From today or a day within the next year (planned long absence). Never backdated: an
    answer about an earlier day must not change after it was given."""
    _must_be_sign_off(decision)
    if revoked:
        raise SignOffError("decision", "A revoked sign-off cannot be suspended")
    if open_suspension is not None:
        raise SignOffError("starts_on", ALREADY_SUSPENDED)
    if starts_on < on:
        raise SignOffError("starts_on", "A suspension starts today or later, never in the past")
    if starts_on > on + dt.timedelta(days=365):
        raise SignOffError("starts_on", "Enter a start date within the next year")
    suspension = Suspension(
        decision_id=decision.id,
        starts_on=starts_on,
        reason=_reason(reason, confirmed),
        suspended_by_id=by.id,
        recorded_at=moment(on),
    )
    try:
        with auditor.session.begin_nested():
            auditor.session.add(suspension)
            auditor.session.flush()
    except IntegrityError:  # suspended by someone else a moment ago
        raise SignOffError("starts_on", ALREADY_SUSPENDED) from None
    auditor.record(
        "sign_off.suspended",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=by.organisation_id,
        changes={"starts_on": starts_on.isoformat(), "reason": "(recorded)"},
    )
    return suspension


def reinstate(
    auditor: Auditor,
    by: User,
    suspension: Suspension,
    *,
    reinstated_on: dt.date,
    reason: str,
    on: dt.date,
    confirmed: Collection[str] = (),
) -> None:
    """`reinstated_on` is the first day back in practice: today or later, never backdated."""
    if suspension.reinstated_on is not None:
        raise SignOffError("reinstated_on", "This suspension has already ended")
    if reinstated_on < on:
        raise SignOffError("reinstated_on", "Reinstatement takes effect today or later")
    if reinstated_on > on + dt.timedelta(days=365):
        raise SignOffError("reinstated_on", "Enter a date within the next year")
    if reinstated_on < suspension.starts_on:
        raise SignOffError(
            "reinstated_on", "Reinstatement cannot come before the suspension started"
        )
    suspension.reinstatement_reason = _reason(reason, confirmed)
    suspension.reinstated_on = reinstated_on
    suspension.reinstated_by_id = by.id
    suspension.reinstated_at = moment(on)
    auditor.session.flush()
    auditor.record(
        "sign_off.reinstated",
        subject_type="sign_off_decision",
        subject_id=suspension.decision_id,
        organisation_id=by.organisation_id,
        changes={"reinstated_on": reinstated_on.isoformat(), "reason": "(recorded)"},
    )


def revoke(
    auditor: Auditor,
    by: User,
    decision: SignOffDecision,
    *,
    reason: str,
    already: bool,
    on: dt.date,
    confirmed: Collection[str] = (),
) -> Revocation:
    """Revoked from today: never backdated, so an earlier day's answer stands."""
    _must_be_sign_off(decision)
    if already:
        raise SignOffError("reason", "This sign-off has already been revoked")
    revoked_on = on
    revocation = Revocation(
        decision_id=decision.id,
        revoked_on=revoked_on,
        reason=_reason(reason, confirmed),
        revoked_by_id=by.id,
        recorded_at=moment(on),
    )
    auditor.session.add(revocation)
    auditor.session.flush()
    auditor.record(
        "sign_off.revoked",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=by.organisation_id,
        changes={"revoked_on": revoked_on.isoformat(), "reason": "(recorded)"},
    )
    return revocation


@dataclass(frozen=True)
class LocalObservation:
    """One practice observed here, on local equipment, by an eligible local assessor: what a
    previous employer's sign-off is accepted on."""

    observer: rules.AssessorFacts
    observed_on: dt.date
    setting: str  # the equipment and room


@dataclass(frozen=True)
class TranscribedDetails:
    """A sign-off held on paper or from a previous employer, as written on the original."""

    observed_on: dt.date
    supervision: SupervisionLevel
    condition_codes: frozenset[str]
    assessor_name: str
    assessor_profession: str | None
    source: str  # where the original is kept (and, in older records, who saw it)
    previous_employer: str | None = None  # None: made at this trust, on paper
    original_seen_by: str | None = None
    original_seen_on: dt.date | None = None
    # The original assessor's registration as written; a number here was never checked.
    assessor_register: RegisterType = RegisterType.NONE
    assessor_register_number: str | None = None
    local_observation: LocalObservation | None = None
    # A previous employer's record nobody here has seen assessed or seen the original of (one
    # brought in by an import): it counts only once accepted here (`accept_brought_in`).
    awaiting_acceptance: bool = False


def _already_transcribed(
    session: Session, context: SignOffContext, details: TranscribedDetails
) -> bool:
    """The same paper sign-off typed in before: same worker, competency, date observed and
    assessor (as written, ignoring case and spacing), and not revoked since."""
    name = " ".join(details.assessor_name.split()).casefold()
    written = session.scalars(
        select(SignOffDecision.assessor_name).where(
            SignOffDecision.worker_id == context.worker_id,
            SignOffDecision.competency_code == context.competency.code,
            SignOffDecision.observed_on == details.observed_on,
            SignOffDecision.authentication == Authentication.TRANSCRIBED,
            ~select(Revocation.id).where(Revocation.decision_id == SignOffDecision.id).exists(),
        )
    )
    return any(" ".join((other or "").split()).casefold() == name for other in written)


def transcribe(
    auditor: Auditor,
    by: User,
    context: SignOffContext,
    details: TranscribedDetails,
    *,
    on: dt.date,
    register_check_valid_days: int = 365,
    backdate_days: int = 30,
    confirmed: Collection[str] = (),
    expires_by: dt.date | None = None,
) -> SignOffDecision:
    """Type in a sign-off made outside this portfolio. It exists from today (the day it was
    transcribed), is marked as transcribed everywhere, and expires by the policy in force when
    it was observed, or on `expires_by` if that is earlier (the expiry the original record
    gave it: typing a record in never makes it last longer).

    With a local observation it is a previous employer's sign-off accepted here: still the
    previous employer's assessment (its date fixes the expiry, as a transcription's does),
    resting on one practice an eligible local assessor observed on local equipment within
    `backdate_days`."""
    problems = _transcription_problems(
        auditor.session, by, context, details, on, register_check_valid_days, backdate_days
    )
    local = details.local_observation
    texts = {
        "source": details.source.strip(),
        "assessor_name": details.assessor_name.strip(),
        "previous_employer": (details.previous_employer or "").strip(),
        "original_seen_by": (details.original_seen_by or "").strip(),
        "local_setting": local.setting.strip() if local else "",
    }
    _raise_all(problems, texts, confirmed)
    definition = context.competency.definition
    rule = rule_in_force(context.default_rule, context.policy_versions, details.observed_on)
    conditions = rules.conditions_for(
        definition.conditions, details.condition_codes, context.job_role
    )
    decision = SignOffDecision(
        worker_id=context.worker_id,
        competency_code=context.competency.code,
        outcome=Outcome.COMPETENT,
        supervision=details.supervision,
        conditions="\n".join(condition.label for condition in conditions),
        observed_on=details.observed_on,
        recorded_at=moment(on),
        recorded_on=on,
        **_made_under(context, rule, details.observed_on, expires=True),
        assessor_id=None,
        assessor_name=texts["assessor_name"],
        assessor_profession=details.assessor_profession,
        assessor_register=details.assessor_register,
        assessor_register_number=details.assessor_register_number,
        authentication=Authentication.TRANSCRIBED,
        transcribed_source=texts["source"],
        previous_employer=texts["previous_employer"] or None,
        original_seen_by=texts["original_seen_by"] or None,
        original_seen_on=details.original_seen_on,
        transcribed_by_id=by.id,
        transcribed_by_name=by.name,
        local_observer_id=local.observer.id if local else None,
        local_observer_name=local.observer.name if local else None,
        local_observed_on=local.observed_on if local else None,
        local_setting=texts["local_setting"] or None,
        acceptance_required=details.awaiting_acceptance and local is None,
        countersignature_required=False,
    )
    if expires_by is not None and (decision.expires_on is None or expires_by < decision.expires_on):
        decision.expires_on = expires_by
    auditor.session.add(decision)
    auditor.session.flush()
    # One waiting for acceptance here does not count yet: the override waits with it.
    closed = [] if decision.acceptance_required else _close_overrides(auditor.session, context, on)
    auditor.record(
        "sign_off.transcribed",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=by.organisation_id,
        changes={
            "worker_id": context.worker_id,
            "competency": context.competency.code,
            "observed_on": details.observed_on.isoformat(),
            "expires_on": decision.expires_on.isoformat() if decision.expires_on else None,
            "source": "(recorded)",
            "previous_employer": "(recorded)" if decision.previous_employer else None,
            "original_seen_on": details.original_seen_on.isoformat()
            if details.original_seen_on
            else None,
            "local_observer_id": decision.local_observer_id,
            "local_observed_on": local.observed_on.isoformat() if local else None,
            "awaiting_acceptance": decision.acceptance_required,
            "minimum_overrides_closed": closed,
        },
    )
    return decision


def accept_brought_in(
    auditor: Auditor,
    by: User,
    context: SignOffContext,
    decision: SignOffDecision,
    local: LocalObservation,
    *,
    on: dt.date,
    register_check_valid_days: int = 365,
    backdate_days: int = 30,
    confirmed: Collection[str] = (),
) -> SignOffDecision:
    """Accept a previous employer's sign-off that an import brought in, on one practice an
    eligible local assessor observed here on local equipment: the same test as accepting one
    typed in (`transcribe` with a local observation). It counts from today, the day accepted;
    its expiry still runs from the previous employer's date."""
    if by.id == context.worker_id:
        raise SignOffError("observer_id", "Nobody can accept their own sign-off")
    if (
        decision.worker_id != context.worker_id
        or decision.competency_code != context.competency.code
        or not decision.awaiting_acceptance
    ):
        raise SignOffError("observer_id", "This sign-off is not waiting to be accepted here")
    if auditor.session.scalar(select(Revocation.id).where(Revocation.decision_id == decision.id)):
        raise SignOffError("observer_id", "This sign-off has been revoked: it cannot be accepted")
    if decision.expires_on is not None and decision.expires_on < on:
        raise SignOffError(
            "observer_id",
            "This sign-off has expired: a new sign-off here is needed instead",
        )
    _check_local_observation(
        context,
        decision.previous_employer,
        decision.observed_on,
        local,
        on,
        register_check_valid_days,
        backdate_days,
    )
    setting = local.setting.strip()
    guard({"local_setting": setting}, confirmed)
    decision.local_observer_id = local.observer.id
    decision.local_observer_name = local.observer.name
    decision.local_observed_on = local.observed_on
    decision.local_setting = setting
    decision.accepted_on = on
    decision.accepted_by_id = by.id
    decision.accepted_by_name = by.name
    auditor.session.flush()
    closed = _close_overrides(auditor.session, context, on)  # it counts from today
    auditor.record(
        "sign_off.accepted",
        subject_type="sign_off_decision",
        subject_id=decision.id,
        organisation_id=by.organisation_id,
        changes={
            "worker_id": context.worker_id,
            "competency": context.competency.code,
            "accepted_on": on.isoformat(),
            "local_observer_id": local.observer.id,
            "local_observed_on": local.observed_on.isoformat(),
            "minimum_overrides_closed": closed,
        },
    )
    return decision


def _transcription_problems(
    session: Session,
    by: User,
    context: SignOffContext,
    details: TranscribedDetails,
    on: dt.date,
    register_check_valid_days: int,
    backdate_days: int,
) -> list[SignOffError]:
    found: list[SignOffError] = []
    if by.id == context.worker_id:
        found.append(SignOffError("source", "Nobody can transcribe their own sign-off"))
    if details.observed_on > on:
        # Named as the form labels it: on these forms "observed" is the practice here.
        found.append(
            SignOffError(
                "observed_on", "The date signed off on the original must be today or before"
            )
        )
    if not details.assessor_name.strip():
        found.append(
            SignOffError("assessor_name", "Enter the name of the assessor on the original")
        )
    if not details.source.strip():
        found.append(SignOffError("source", "Enter where the original record is kept"))
    if details.original_seen_on is not None and not (
        details.observed_on <= details.original_seen_on <= on
    ):
        found.append(
            SignOffError(
                "original_seen_on",
                "The original was seen on or after the date it was signed off, and today or before",
            )
        )
    above = ceiling_problem(session, context, details.supervision, details.observed_on)
    found += [above] if above else []
    if details.local_observation is not None:
        try:
            _check_local_observation(
                context,
                details.previous_employer,
                details.observed_on,
                details.local_observation,
                on,
                register_check_valid_days,
                backdate_days,
            )
        except SignOffError as error:
            found.append(error)
    if not found and _already_transcribed(session, context, details):
        found.append(
            SignOffError(
                "observed_on",
                f"This sign-off is already in the portfolio: {details.assessor_name.strip()}'s "
                f"sign-off of {context.competency.code} observed on "
                f"{long_date(details.observed_on)} was transcribed before. Nothing has been "
                "saved. If the first one is wrong, revoke it from the competency page before "
                "typing it in again",
            )
        )
    return found


def _close_overrides(session: Session, context: SignOffContext, on: dt.date) -> list[int]:
    """A transcribed sign-off is a competent sign-off: an override of the procedure minimum
    waiting for the next one is spent, so that it never waives the minimum for a
    reassessment years later. The sign-off does not keep it: it rests on the original
    record, not on procedures logged here."""
    closed = session.scalars(
        update(MinimumOverride)
        .where(
            MinimumOverride.worker_id == context.worker_id,
            MinimumOverride.competency_code == context.competency.code,
            MinimumOverride.closed_on.is_(None),
        )
        .values(closed_on=on)
        .returning(MinimumOverride.id)
    )
    return sorted(closed)


def _check_local_observation(
    context: SignOffContext,
    previous_employer: str | None,
    observed_on: dt.date,
    local: LocalObservation,
    on: dt.date,
    register_check_valid_days: int,
    backdate_days: int,
) -> None:
    if not (previous_employer or "").strip():
        raise SignOffError(
            "previous_employer", "Enter the previous employer whose sign-off is accepted"
        )
    if local.observed_on > on or local.observed_on < on - dt.timedelta(days=backdate_days):
        raise SignOffError(
            "local_observed_on",
            f"The practice here must have been observed today or in the last {backdate_days} days",
        )
    if local.observed_on < observed_on:
        raise SignOffError(
            "local_observed_on",
            "The practice here is observed after the previous employer's sign-off",
        )
    if not local.setting.strip():
        raise SignOffError("local_setting", "Enter the equipment and room it was observed on")
    check_eligible(context, local.observer, on, register_check_valid_days, "observer_id")


def withdraw_waiting_requests(auditor: Auditor, user: User, on: dt.date) -> None:
    """Someone deactivated: every request still waiting, theirs as worker or as assessor, is
    withdrawn (in `portfolio.wiring`, on `people.events.person_deactivated`)."""
    for request in auditor.session.scalars(
        select(SignOffRequest)
        .where(
            or_(SignOffRequest.worker_id == user.id, SignOffRequest.assessor_id == user.id),
            SignOffRequest.state == RequestState.WAITING,
        )
        .order_by(SignOffRequest.id)
    ).all():
        worker = (
            user
            if request.worker_id == user.id
            else auditor.session.get_one(User, request.worker_id)
        )
        withdraw_request(auditor, worker, request, on)
