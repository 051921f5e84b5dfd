"""Reading sign-off records as the plain values `status` and `rules` work on.

Each function issues a fixed number of SQL statements however many records a portfolio
holds: histories for any number of people and competencies come from three queries.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Executable,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence.models import (
    EarliestEvidence,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.evidence.queries import latest_versions
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import PersonQualification
from portfolio.frameworks.practice_terms import AssessorList, DesignationKind
from portfolio.frameworks.rules import PolicyVersion, Rule, rule_in_force
from portfolio.frameworks.schema import Assessors
from portfolio.people import reviews
from portfolio.people.models import User, UserAccountRole
from portfolio.people.queries import appointment_on, workers_in_reach
from portfolio.people.registers import RegisterCheckResult
from portfolio.policy import Actor
from portfolio.practice import queries as practice
from portfolio.signoff import rules
from portfolio.signoff.models import (
    Authentication,
    MinimumOverride,
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Request,
    StatusOnDate,
    reassessment_evidence_after,
    status_on,
)
from portfolio.standing.status import Revocation as RevocationFact
from portfolio.standing.status import Suspension as SuspensionFact

Key = tuple[int, str]  # (person id, competency code)
_EVIDENCE, _PROCEDURES, _REQUESTS = 0, 1, 2  # the kinds of row of the histories' first read


def histories(
    session: Session, person_ids: Collection[int], codes: Collection[str] | None = None
) -> dict[Key, CompetencyHistory]:
    """Everything recorded for these people, by (person, competency), in two statements
    however many people, competencies and records (a whole trust's matrix included).
    Missing keys: nothing recorded.

    Evidence comes in as its earliest date for each person and competency (kept by
    `evidence.earliest`), not piece by piece: only the earliest can change a status (from "not
    started" to "in progress"), and a trust of 1,000 workers with 100 pieces of evidence each
    then reads one date for each competency touched (about 22,000), not 100,000 rows joined
    to their versions and links. Rows are read as plain columns, not ORM objects the session
    would track.
    """
    if not person_ids:
        return {}
    connection = session.connection()
    values = {"people": list(person_ids), "codes": list(codes or ()) or [""]}
    with_codes = codes is not None

    earliest: dict[Key, dt.date] = {}
    awaiting: dict[Key, int] = {}
    requests: dict[Key, list[Request]] = {}
    found: Sequence[Sequence[Any]] = connection.execute(_first_read(with_codes), values).all()
    for line in found:
        key: Key = (line[1], line[2])
        day: dt.date | None = line[3]
        unconfirmed: int | None = line[4]
        ended_on: dt.date | None = line[6]
        if line[0] == _REQUESTS:
            ended = RequestState(line[5])
            requests.setdefault(key, []).append(
                Request(
                    requested_on=line[3],
                    decided_on=ended_on if ended is RequestState.DECIDED else None,
                    withdrawn_on=ended_on if ended is RequestState.WITHDRAWN else None,
                )
            )
            continue
        if day is not None and (key not in earliest or day < earliest[key]):
            earliest[key] = day
        if unconfirmed:
            awaiting[key] = int(unconfirmed)

    # Decisions with their suspensions and revocation alongside: a decision comes once per
    # suspension (rarely more than one row).
    decisions: dict[Key, list[Decision]] = {}
    suspensions: dict[Key, list[SuspensionFact]] = {}
    revocations: dict[Key, list[RevocationFact]] = {}
    seen_decisions: set[int] = set()
    seen_suspensions: set[int] = set()
    for row in connection.execute(_decisions_read(with_codes), values).all():
        decision_id = row[0]
        key = (row[1], row[2])
        if decision_id not in seen_decisions:
            seen_decisions.add(decision_id)
            decisions.setdefault(key, []).append(
                Decision(
                    id=decision_id,
                    outcome=row[3],
                    observed_on=row[4],
                    recorded_on=row[5],
                    supervision=row[6],
                    conditions=tuple(line for line in row[7].splitlines() if line),
                    expires_on=row[8],
                    countersignature_required=row[9],
                    countersigned_on=row[10],
                    transcribed=row[11] is Authentication.TRANSCRIBED,
                    accepted_locally_on=row[18],
                    minimum_overridden=row[19] is not None,
                    acceptance_required=row[20],
                    accepted_on=row[21],
                )
            )
            if row[16] is not None:
                revocations.setdefault(key, []).append(
                    RevocationFact(decision_id=decision_id, revoked_on=row[16], reason=row[17])
                )
        if row[12] is not None and row[12] not in seen_suspensions:
            seen_suspensions.add(row[12])
            suspensions.setdefault(key, []).append(
                SuspensionFact(
                    decision_id=decision_id,
                    starts_on=row[13],
                    reinstated_on=row[14],
                    reason=row[15],
                )
            )
    return {
        key: CompetencyHistory(
            evidence_dates=(earliest[key],) if key in earliest else (),
            requests=tuple(requests.get(key, ())),
            decisions=tuple(decisions.get(key, ())),
            suspensions=tuple(suspensions.get(key, ())),
            revocations=tuple(revocations.get(key, ())),
            procedures_awaiting=awaiting.get(key, 0),
        )
        for key in {*earliest, *awaiting, *requests, *decisions}
    }


# The histories' two statements, built once for each shape (the people, and the codes when
# given, are bound when they run): building them costs more than running them for one page.
_PEOPLE: BindParameter[Any] = bindparam("people", expanding=True)
_CODES: BindParameter[Any] = bindparam("codes", expanding=True)


def _only(column: InstrumentedAttribute[str], with_codes: bool) -> ColumnElement[bool]:
    return column.in_(_CODES) if with_codes else true()


@functools.cache
def _first_read(with_codes: bool) -> Executable:
    """One statement for three kinds of row, told apart by the first column: evidence, kept
    beside it (`evidence.earliest`) as one row per worker and competency; procedures; and
    requests. Columns: worker, competency, a date, a count, a request's state and end."""
    no_state = cast(null(), String).label("state")
    no_end = cast(null(), Date).label("ended_on")
    evidence = select(
        literal(_EVIDENCE).label("kind"),
        EarliestEvidence.worker_id,
        EarliestEvidence.competency_code,
        EarliestEvidence.activity_on,
        literal(0),
        no_state,
        no_end,
    ).where(
        EarliestEvidence.worker_id.in_(_PEOPLE),
        _only(EarliestEvidence.competency_code, with_codes),
    )
    confirmed = ProcedureLine.confirmed_at.is_not(None)
    procedures = (
        select(
            literal(_PROCEDURES),
            ProcedureLine.worker_id,
            ProcedureLine.competency_code,
            # Lines count once their witness has confirmed them; the others are counted
            # for the worker's "awaiting confirmation".
            func.min(case((confirmed, ProcedureLine.performed_on))),
            func.sum(case((confirmed, 0), else_=1)),
            no_state,
            no_end,
        )
        .where(
            ProcedureLine.worker_id.in_(_PEOPLE),
            _only(ProcedureLine.competency_code, with_codes),
        )
        .group_by(ProcedureLine.worker_id, ProcedureLine.competency_code)
    )
    asked = select(
        literal(_REQUESTS),
        SignOffRequest.worker_id,
        SignOffRequest.competency_code,
        SignOffRequest.requested_on,
        literal(0),
        type_coerce(SignOffRequest.state, String),
        SignOffRequest.ended_on,
    ).where(
        SignOffRequest.worker_id.in_(_PEOPLE),
        _only(SignOffRequest.competency_code, with_codes),
    )
    return union_all(evidence, procedures, asked)


@functools.cache
def _decisions_read(with_codes: bool) -> Executable:
    """Decisions with their suspensions and revocation alongside: a decision comes once per
    suspension (rarely more than one row)."""
    return (
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
            Suspension.id,
            Suspension.starts_on,
            Suspension.reinstated_on,
            Suspension.reason,
            Revocation.revoked_on,
            Revocation.reason,
            SignOffDecision.local_observed_on,
            SignOffDecision.minimum_override_id,
            SignOffDecision.acceptance_required,
            SignOffDecision.accepted_on,
        )
        .outerjoin(Suspension, Suspension.decision_id == SignOffDecision.id)
        .outerjoin(Revocation, Revocation.decision_id == SignOffDecision.id)
        .where(
            SignOffDecision.worker_id.in_(_PEOPLE),
            _only(SignOffDecision.competency_code, with_codes),
        )
        .order_by(SignOffDecision.id, Suspension.id)
    )


def statuses(
    session: Session,
    person_id: int,
    codes: Collection[str],
    on: dt.date,
    *,
    due_window_days: int,
) -> dict[str, StatusOnDate]:
    found = histories(session, [person_id], codes)
    return {
        code: status_on(
            found.get((person_id, code), CompetencyHistory()), on, due_window_days=due_window_days
        )
        for code in codes
    }


@dataclass(frozen=True)
class EvidenceChoice:
    evidence_id: int
    version_id: int
    version: int
    title: str
    kind_label: str
    activity_on: dt.date


@dataclass(frozen=True)
class CountedProcedure:
    id: int
    performed_on: dt.date
    setting: str
    witness: str


@dataclass(frozen=True)
class OpenOverride:
    """An educator's override of the supervised procedure minimum, waiting for a sign-off."""

    id: int
    procedures_required: int
    procedures_confirmed: int
    reason: str
    by: str
    recorded_on: dt.date


@dataclass(frozen=True)
class SignOffContext:
    """Everything a sign-off page or service needs about one worker and one competency."""

    worker_id: int
    worker_name: str
    organisation_id: int
    job_role: JobRole | None
    competency: frameworks.CompetencyView
    rule: Rule  # in force on the day asked about
    default_rule: Rule  # the framework's, for the rule in force on another day
    policy_versions: tuple[PolicyVersion, ...]
    history: CompetencyHistory
    status: StatusOnDate
    # Evidence must be dated after this day to count (a reassessment); None: any date.
    evidence_after: dt.date | None
    evidence: list[EvidenceChoice]
    procedures: list[CountedProcedure]
    prerequisites: list[rules.Prerequisite]
    # The procedure minimum overridden for the next sign-off, if an educator did.
    override: OpenOverride | None = None

    def procedures_by(self, day: dt.date) -> list[CountedProcedure]:
        """The counted procedures performed by a day (an observation counts none after it)."""
        return [line for line in self.procedures if line.performed_on <= day]

    def missing(
        self, evidence_chosen: int, rule: Rule | None = None, *, by: dt.date | None = None
    ) -> tuple[str, ...]:
        return rules.missing_for_sign_off(
            procedures_required=(rule or self.rule).supervised_procedures,
            procedures_confirmed=len(self.procedures_by(by) if by else self.procedures),
            prerequisites=self.prerequisites,
            evidence_chosen=evidence_chosen,
            minimum_overridden=self.override is not None,
        )


def sign_off_context(
    session: Session, worker: User, code: str, on: dt.date, *, due_window_days: int
) -> SignOffContext | None:
    """None when the competency is not in any current framework."""
    competencies = frameworks.current_competencies(session)
    competency = competencies.get(code)
    if competency is None:
        return None
    definition = competency.definition
    default_rule = frameworks.framework_default(definition)
    policy_versions = tuple(
        row.as_version() for row in frameworks.policies(session, worker.organisation_id, code)
    )
    prerequisite_codes = [
        item for item in definition.evidence.prerequisites if item in competencies
    ]
    found = histories(session, [worker.id], [code, *prerequisite_codes])
    history = found.get((worker.id, code), CompetencyHistory())
    after = reassessment_evidence_after(history, on)
    appointment = appointment_on(session, worker.id, on)
    return SignOffContext(
        worker_id=worker.id,
        worker_name=worker.name,
        organisation_id=worker.organisation_id,
        job_role=appointment.job_role if appointment else None,
        competency=competency,
        rule=rule_in_force(default_rule, policy_versions, on),
        default_rule=default_rule,
        policy_versions=policy_versions,
        history=history,
        status=status_on(history, on, due_window_days=due_window_days),
        evidence_after=after,
        evidence=_evidence_choices(session, worker.id, code, after, on),
        procedures=_counted_procedures(session, worker.id, code, after, on),
        prerequisites=[
            rules.Prerequisite(
                item,
                competencies[item].title,
                status_on(
                    found.get((worker.id, item), CompetencyHistory()),
                    on,
                    due_window_days=due_window_days,
                ),
            )
            for item in prerequisite_codes
        ],
        override=open_override(session, worker.id, code),
    )


def open_override(session: Session, worker_id: int, code: str) -> OpenOverride | None:
    row = session.scalar(
        select(MinimumOverride)
        .where(
            MinimumOverride.worker_id == worker_id,
            MinimumOverride.competency_code == code,
            MinimumOverride.closed_on.is_(None),
        )
        .order_by(MinimumOverride.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    return OpenOverride(
        row.id,
        row.procedures_required,
        row.procedures_confirmed,
        row.reason,
        row.overridden_by_name,
        row.recorded_on,
    )


def _evidence_choices(
    session: Session, worker_id: int, code: str, after: dt.date | None, on: dt.date
) -> list[EvidenceChoice]:
    query = (
        latest_versions(worker_id)
        .join(EvidenceLink, EvidenceLink.version_id == EvidenceVersion.id)
        .where(EvidenceLink.competency_code == code, EvidenceVersion.activity_on <= on)
        .order_by(EvidenceVersion.activity_on.desc(), EvidenceVersion.id.desc())
    )
    if after is not None:
        query = query.where(EvidenceVersion.activity_on > after)
    return [
        EvidenceChoice(
            version.evidence_id,
            version.id,
            version.number,
            version.title,
            version.kind.label,
            version.activity_on,
        )
        for version in session.scalars(query)
    ]


def _counted_procedures(
    session: Session, worker_id: int, code: str, after: dt.date | None, on: dt.date
) -> list[CountedProcedure]:
    """Successful procedures confirmed by their witness, after the previous sign-off."""
    witness = aliased(User)
    query = (
        select(ProcedureLine, func.coalesce(witness.name, ProcedureLine.witness_name))
        # A line brought in from another organisation names its witness as written there.
        .outerjoin(witness, witness.id == ProcedureLine.witness_id)
        .where(
            ProcedureLine.worker_id == worker_id,
            ProcedureLine.competency_code == code,
            ProcedureLine.confirmed_at.is_not(None),
            ProcedureLine.outcome == ProcedureOutcome.SUCCESSFUL,
            ProcedureLine.performed_on <= on,
        )
        .order_by(ProcedureLine.performed_on, ProcedureLine.id)
    )
    if after is not None:
        query = query.where(ProcedureLine.performed_on > after)
    return [
        CountedProcedure(line.id, line.performed_on, line.setting, name)
        for line, name in session.execute(query)
    ]


def facts_of_assessor(
    session: Session, assessor: User, context: SignOffContext, on: dt.date, *, due_window_days: int
) -> rules.AssessorFacts:
    """One assessor about to decide this competency (their own sign-off read where the
    framework asks that assessors hold one)."""
    return assessor_facts(
        session,
        [assessor],
        context.competency.code,
        on,
        due_window_days=due_window_days,
        own_status_needed=context.competency.definition.assessors.must_hold_sign_off,
        rule=context.competency.definition.assessors,
    )[assessor.id]


def assessor_facts(
    session: Session,
    people: Sequence[User],
    code: str,
    on: dt.date,
    *,
    due_window_days: int,
    own_status_needed: bool,
    rule: Assessors | None = None,
) -> dict[int, rules.AssessorFacts]:
    """Facts for several would-be assessors at once (a fixed number of queries). Given the
    rule, also what it asks beyond the person's row: their lists and designations on the day,
    and the review of any conditions of practice (each read only when the rule or the people
    need it, so other competencies cost no more statements)."""
    ids = [person.id for person in people]
    if not ids:
        return {}
    extra = _standing_extras(session, people, on, rule)
    codes_by_person: dict[int, set[str]] = {}
    for user_id, qualification in session.execute(
        select(PersonQualification.user_id, PersonQualification.qualification_code).where(
            PersonQualification.user_id.in_(ids),
            PersonQualification.status == "achieved",
            PersonQualification.qualification_code.is_not(None),
            # Self-recorded qualifications never qualify anyone to assess (careers.queries).
            PersonQualification.recorded_by_id.is_not(None),
            PersonQualification.recorded_by_id != PersonQualification.user_id,
        )
    ):
        if qualification is not None:
            codes_by_person.setdefault(user_id, set()).add(qualification)
    tags_of = {item.code: set(item.tags) for item in frameworks.catalogue(session).qualifications}
    found = histories(session, ids, [code]) if own_status_needed else {}
    return {
        person.id: rules.AssessorFacts(
            id=person.id,
            name=person.name,
            active=person.active,
            organisation_id=person.organisation_id,
            roles=person.roles,
            profession=person.profession,
            register=person.register,
            register_number=person.register_number,
            register_checked_on=person.register_checked_on,
            register_check_result=person.register_check_result,
            qualification_tags=frozenset(
                tag
                for qualification in codes_by_person.get(person.id, set())
                for tag in tags_of.get(qualification, set())
            ),
            own_status=status_on(
                found.get((person.id, code), CompetencyHistory()),
                on,
                due_window_days=due_window_days,
            )
            if own_status_needed
            else None,
            radiography=person.radiography,
            conditions_reviewed_on=extra.reviewed.get(person.id),
            approved_lists=extra.lists.get(person.id, frozenset()),
            designations=extra.designations.get(person.id, frozenset()),
        )
        for person in people
    }


@dataclass(frozen=True)
class _Extras:
    reviewed: dict[int, dt.date]
    lists: dict[int, frozenset[AssessorList]]
    designations: dict[int, frozenset[DesignationKind]]


def _standing_extras(
    session: Session, people: Sequence[User], on: dt.date, rule: Assessors | None
) -> _Extras:
    ids = [person.id for person in people]
    under_conditions = [
        person.id
        for person in people
        if person.register_check_result is RegisterCheckResult.CONDITIONS_OF_PRACTICE
    ]
    return _Extras(
        reviewed=reviews.reviewed_on(session, under_conditions) if under_conditions else {},
        lists=practice.lists_on(session, ids, on) if rule and rule.approved_lists else {},
        designations=practice.current_designations(session, ids, on)
        if rule and rule.designations
        else {},
    )


def possible_assessors(session: Session, organisation_id: int, worker_id: int) -> list[User]:
    """Active supervisors, assessors and educators in the organisation, by name."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.active.is_(True),
                User.id != worker_id,
                User.id.in_(
                    select(UserAccountRole.user_id).where(
                        UserAccountRole.role.in_([AccountRole.SUPERVISOR, AccountRole.EDUCATOR])
                    )
                ),
            )
            .order_by(func.lower(User.name))
        )
    )


def eligible_assessors(
    session: Session,
    context: SignOffContext,
    on: dt.date,
    *,
    due_window_days: int,
    register_check_valid_days: int,
) -> tuple[list[User], dict[int, rules.AssessorFacts]]:
    """The colleagues who may assess this competency for this worker on the day, by name,
    and the facts about every candidate (for re-checking the one chosen)."""
    assessors = context.competency.definition.assessors
    candidates = possible_assessors(session, context.organisation_id, context.worker_id)
    facts = assessor_facts(
        session,
        candidates,
        context.competency.code,
        on,
        due_window_days=due_window_days,
        own_status_needed=assessors.must_hold_sign_off,
        rule=assessors,
    )
    eligible = [
        person
        for person in candidates
        if rules.eligibility(
            assessors,
            facts[person.id],
            worker_id=context.worker_id,
            worker_organisation_id=context.organisation_id,
            on=on,
            register_check_valid_days=register_check_valid_days,
        ).eligible
    ]
    return eligible, facts


@dataclass(frozen=True)
class ToDoRow:
    request_id: int
    worker_id: int
    worker: str
    competency_code: str
    competency: str
    requested_at: dt.datetime
    waiting_days: int


def to_do(session: Session, assessor_id: int, on: dt.date) -> list[ToDoRow]:
    """Requests waiting on this assessor, oldest first."""
    worker = aliased(User)
    competencies = frameworks.current_competencies(session)
    return [
        ToDoRow(
            request.id,
            request.worker_id,
            name,
            request.competency_code,
            competencies[request.competency_code].title
            if request.competency_code in competencies
            else request.competency_code,
            request.requested_at,
            (on - request.requested_on).days,
        )
        for request, name in session.execute(
            select(SignOffRequest, worker.name)
            .join(worker, worker.id == SignOffRequest.worker_id)
            .where(
                SignOffRequest.assessor_id == assessor_id,
                SignOffRequest.state == RequestState.WAITING,
                # A leaver's requests are withdrawn when they leave; older ones never show.
                worker.active.is_(True),
            )
            .order_by(SignOffRequest.requested_at, SignOffRequest.id)
        )
    ]


@dataclass(frozen=True)
class CountersignRow:
    decision_id: int
    worker_id: int
    worker: str
    competency_code: str
    competency: str
    assessor: str
    observed_on: dt.date
    recorded_on: dt.date


def awaiting_countersignature(session: Session, actor: Actor, on: dt.date) -> list[CountersignRow]:
    """Sign-offs waiting for a practice educator's countersignature, for workers in the
    educator's reach (none for anyone else), oldest first."""
    if not actor.is_(AccountRole.EDUCATOR):
        return []
    reach = {
        row.id
        for row in workers_in_reach(
            session,
            actor.organisation_id,
            whole_organisation=actor.reach_whole_organisation,
            department_ids=actor.reach_department_ids,
            on=on,
        )
    }
    if not reach:
        return []
    revoked = select(Revocation.decision_id)
    competencies = frameworks.current_competencies(session)
    return [
        CountersignRow(
            decision.id,
            decision.worker_id,
            name,
            decision.competency_code,
            competencies[decision.competency_code].title
            if decision.competency_code in competencies
            else decision.competency_code,
            decision.assessor_name,
            decision.observed_on,
            decision.recorded_on,
        )
        for decision, name in session.execute(
            select(SignOffDecision, User.name)
            .join(User, User.id == SignOffDecision.worker_id)
            .where(
                SignOffDecision.worker_id.in_(reach),
                SignOffDecision.worker_id != actor.id,
                # Nobody countersigns their own sign-off.
                or_(SignOffDecision.assessor_id.is_(None), SignOffDecision.assessor_id != actor.id),
                SignOffDecision.countersignature_required.is_(True),
                SignOffDecision.countersigned_on.is_(None),
                SignOffDecision.id.not_in(revoked),
            )
            .order_by(SignOffDecision.recorded_at, SignOffDecision.id)
        )
    ]
