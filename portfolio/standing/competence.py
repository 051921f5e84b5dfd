"""The reckoner's rules, kept whole: scope of practice on the date, the competency's own
status (`standing.status`), and the currency of its prerequisites (E21).

1. The competency must be in the scope of practice of the job role held that day: a
   sign-off never stretches a job role's scope.
2. Its status must let them practise (competent, or due for reassessment).
3. Each prerequisite must let them practise that day too; one that has lapsed gives the one
   shared status "competent, prerequisite lapsed (basic life support expired on …)".

Free-text reasons for a suspension or revocation are never repeated: the answer is open to
every shift lead, the sign-off record only to those who may see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from portfolio.core.roles import job_role_title
from portfolio.standing.answer import NoticeCode, ReasonCode, Shown, SignOff
from portfolio.standing.facts import Competence, ItemFacts, ItemRef, PersonFacts, Signers
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Status,
    StatusOnDate,
    long_date,
    status_on,
)
from portfolio.standing.verdict import Question, Verdict

_STATUS_CODES = {
    Status.REVOKED: ReasonCode.REVOKED,
    Status.SUSPENDED: ReasonCode.SUSPENDED,
    Status.EXPIRED: ReasonCode.EXPIRED,
    Status.AWAITING_COUNTERSIGNATURE: ReasonCode.AWAITING_COUNTERSIGNATURE,
    Status.AWAITING_ACCEPTANCE: ReasonCode.AWAITING_LOCAL_ACCEPTANCE,
    Status.AWAITING_SIGN_OFF: ReasonCode.AWAITING_SIGN_OFF,
    Status.NOT_YET_COMPETENT: ReasonCode.NOT_YET_COMPETENT,
    Status.IN_PROGRESS: ReasonCode.IN_PROGRESS,
    Status.NOT_STARTED: ReasonCode.NOT_STARTED,
}


def competence_of(person: PersonFacts, code: str, on: dt.date) -> Competence:
    """The person's competence in a competency; not started when nothing was given."""
    found = person.competence.get(code)
    if found is not None:
        return found
    return Competence(status_on(CompetencyHistory(), on, with_since=False))


def pending_countersignature(history: CompetencyHistory, status: StatusOnDate, on: dt.date) -> bool:
    """Whether a sign-off newer than the one in force waits for its countersignature on the
    date (a reassessment recorded but not yet countersigned)."""
    in_force = status.decision
    return any(
        decision.outcome is Outcome.COMPETENT
        and decision.countersignature_required
        and decision.recorded_on <= on
        and not decision.counts_on(on)
        and not decision.awaiting_acceptance_on(on)
        and (in_force is None or decision.id != in_force.id)
        and (in_force is None or decision.observed_on >= in_force.observed_on)
        for decision in history.decisions
    )


def check_scope(question: Question, verdict: Verdict) -> bool:
    """Rule 1. Whether the competency is in their scope of practice on the date."""
    role, on = question.person.role, question.on
    if role is None:
        verdict.refuse(
            ReasonCode.NO_JOB_ROLE,
            f"No job role was recorded for them on {long_date(on)}, so they had no scope of "
            "practice that day" + _though(question),
        )
        return False
    if question.item.code not in role.scope:
        title = job_role_title(role.job_role, role.trainee)
        verdict.refuse(
            ReasonCode.NOT_IN_SCOPE,
            f"Not in the scope of practice of a {_lower(title)}, their job role on "
            f"{long_date(on)}" + _though(question),
        )
        return False
    return True


def _though(question: Question) -> str:
    """Out of scope with a sign-off in force: say the sign-off does not count."""
    status = competence_of(question.person, question.item.code, question.on).status
    if status.decision is None or not status.may_practise:
        return ""
    signed = signed_off_text(_sign_off(status.decision, question.person.signers))
    return f"; their sign-off does not count: {_lower(signed)}"


def check_status(question: Question, verdict: Verdict) -> SignOff | None:
    """Rule 2. The sign-off the answer rests on, or the reason there is none in force."""
    competence = competence_of(question.person, question.item.code, question.on)
    status = competence.status
    decision = status.decision
    sign_off = _sign_off(decision, question.person.signers) if decision else None
    if not status.may_practise or decision is None or sign_off is None:
        request = status.request  # a request waiting (a renewal too) is what will remove it
        verdict.refuse(
            _STATUS_CODES.get(status.status, ReasonCode.NOT_STARTED),
            why_not(status, sign_off),
            remedy=f"An assessor's decision on the request made on "
            f"{long_date(request.requested_on)}"
            if request
            else None,
        )
        return sign_off if status.status is not Status.NOT_YET_COMPETENT else None
    verdict.ends_on(decision.expires_on)
    _status_warnings(question, competence, verdict)
    return sign_off


def _status_warnings(question: Question, competence: Competence, verdict: Verdict) -> None:
    status = competence.status
    decision = status.decision
    if decision is None:
        return
    if status.status is Status.DUE_FOR_REASSESSMENT:
        verdict.warn(NoticeCode.DUE_FOR_REASSESSMENT, "Due for reassessment")
    if question.soon(decision.expires_on) and decision.expires_on is not None:
        verdict.warn(
            NoticeCode.EXPIRING_SOON, f"The sign-off expires after {long_date(decision.expires_on)}"
        )
    if status.renewal_awaiting:
        verdict.warn(NoticeCode.RENEWAL_AWAITING, "A renewal is awaiting an assessor's decision")
    if competence.countersignature_pending:
        verdict.warn(
            NoticeCode.COUNTERSIGNATURE_PENDING,
            "A newer sign-off is awaiting a practice educator's countersignature",
        )
    if decision.acceptance_required and decision.accepted_locally_on is None:
        verdict.warn(
            NoticeCode.AWAITING_LOCAL_OBSERVATION,
            "Accepted from a previous employer; one practice is still to be observed on local "
            "equipment",
        )


def check_prerequisites(question: Question, verdict: Verdict) -> tuple[str, ...]:
    """Rule 3. Each prerequisite current on the date; returns what has lapsed, in words."""
    lapsed: list[str] = []
    for ref in question.item.prerequisites:
        status = competence_of(question.person, ref.code, question.on).status
        if not status.may_practise:
            text = lapse_text(ref, status)
            lapsed.append(text)
            verdict.refuse(
                ReasonCode.PREREQUISITE_LAPSED,
                f"Prerequisite not current: {text}",
                remedy=f"A current sign-off in {ref.name}",
            )
            continue
        verdict.ends_on(status.expires_on)
        if question.soon(status.expires_on) and status.expires_on is not None:
            verdict.warn(
                NoticeCode.PREREQUISITE_EXPIRING_SOON,
                f"Prerequisite {ref.name} expires after {long_date(status.expires_on)}",
            )
    return tuple(lapsed)


def lapsed_prerequisites(
    item: ItemFacts, status_of: Callable[[str], StatusOnDate]
) -> tuple[str, ...]:
    """Each prerequisite not current, in words ('Basic life support (CORE-BLS) expired on …')."""
    lapsed = []
    for ref in item.prerequisites:
        status = status_of(ref.code)
        if not status.may_practise:
            lapsed.append(lapse_text(ref, status))
    return tuple(lapsed)


def lapse_text(ref: ItemRef, status: StatusOnDate) -> str:
    """'Basic life support (CORE-BLS) expired on 3 March 2027'."""
    decision = status.decision
    if status.status is Status.EXPIRED and decision is not None and decision.expires_on:
        return f"{ref.name} expired on {long_date(_day_after(decision.expires_on))}"
    if status.status is Status.SUSPENDED and status.suspension is not None:
        return f"{ref.name} suspended since {long_date(status.suspension.starts_on)}"
    if status.status is Status.REVOKED and status.revocation is not None:
        return f"{ref.name} revoked on {long_date(status.revocation.revoked_on)}"
    return f"{ref.name}: {status.status.label.lower()}"


def shown(status: StatusOnDate, lapsed: tuple[str, ...], unentitled: tuple[str, ...] = ()) -> Shown:
    """The one status every view shows: the competency's own or, when it is in force but a
    prerequisite is not, 'Competent, prerequisite lapsed (…)', and when an entitlement or
    designation it needs is missing, 'Competent, not entitled (…)'."""
    if not status.may_practise or not (lapsed or unentitled):
        return Shown(status.status.value, status.status.label)
    parts = (["prerequisite_lapsed"] if lapsed else []) + (["not_entitled"] if unentitled else [])
    return Shown(
        "_".join([status.status.value, *parts]),
        ", ".join([status.status.label, *(part.replace("_", " ") for part in parts)]),
        "; ".join([*lapsed, *unentitled]),
        lapsed=bool(lapsed),
        unentitled=bool(unentitled),
    )


def why_not(status: StatusOnDate, sign_off: SignOff | None = None) -> str:
    """The plain-English reason for each status that does not let them practise, naming the
    decision the status rests on where there is one."""
    decision = status.decision
    signed = signed_off_text(sign_off) if sign_off else None
    record = f"; {_lower(signed)}" if signed else ""
    renewal = "; a renewal is awaiting a decision" if status.renewal_awaiting else ""
    match status.status:
        case Status.REVOKED if status.revocation is not None:
            return f"Revoked on {long_date(status.revocation.revoked_on)}{record}"
        case Status.SUSPENDED if status.suspension is not None:
            return f"Suspended since {long_date(status.suspension.starts_on)}{record}"
        case Status.EXPIRED if decision is not None and decision.expires_on is not None:
            last = decision.expires_on
            return (
                f"Expired on {long_date(_day_after(last))}: valid until {long_date(last)}"
                f"{record}{renewal}"
            )
        case Status.AWAITING_COUNTERSIGNATURE:
            return f"{signed or 'Signed off'}; awaiting countersignature by a practice educator"
        case Status.AWAITING_ACCEPTANCE:
            if sign_off is None or sign_off.note is None:
                return f"{signed or 'Signed off by a previous employer'}; not yet accepted here"
            return signed or ""  # its note says it awaits acceptance here
        case Status.AWAITING_SIGN_OFF if status.request is not None:
            requested = long_date(status.request.requested_on)
            return f"Sign-off requested on {requested}; awaiting an assessor's decision"
        case Status.NOT_YET_COMPETENT if decision is not None:
            by = f" by {sign_off.assessor}" if sign_off and sign_off.assessor else ""
            return f"Assessed as not yet competent on {long_date(decision.observed_on)}{by}"
        case Status.IN_PROGRESS:
            return "In progress: evidence logged, not yet signed off"
    return "Not started: no evidence or sign-off yet"


def signed_off_text(sign_off: SignOff) -> str:
    """'Signed off on 2 March 2026 by Sam Okafor, countersigned by … on …'."""
    text = f"Signed off on {long_date(sign_off.observed_on)}"
    if sign_off.assessor:
        text += f" by {sign_off.assessor}"
    if sign_off.note:
        text += f" ({sign_off.note})"
    if sign_off.countersigned_on is not None:
        who = f" by {sign_off.countersigner}" if sign_off.countersigner else ""
        text += f", countersigned{who} on {long_date(sign_off.countersigned_on)}"
    return text


def _sign_off(decision: Decision, signers: Mapping[int, Signers]) -> SignOff:
    names = signers.get(decision.id)
    return SignOff(
        decision_id=decision.id,
        observed_on=decision.observed_on,
        assessor=names.assessor if names else None,
        countersigner=names.countersigner if names else None,
        countersigned_on=decision.countersigned_on,
        expires_on=decision.expires_on,
        note=decision.note,
    )


def _day_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1) if day < dt.date.max else day


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]
