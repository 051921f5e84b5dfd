"""The reckoner's judgement, now the standing engine's (`standing.rules`): may or may not,
under what supervision, and why, from plain values (no database), for an item with
prerequisites and no practice rules. Histories and their strategies come from the status
tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.careers.scope import WorkerScope, WorkerScopeRow
from portfolio.core.roles import JobRole
from portfolio.frameworks.rules import Requirement
from portfolio.signoff.rules import Prerequisite
from portfolio.standing.answer import Standing as Answer
from portfolio.standing.facts import (
    Competence,
    ItemFacts,
    ItemRef,
    PersonFacts,
    RoleOnDate,
    Signers,
)
from portfolio.standing.rules import standing
from portfolio.standing.status import (
    CompetencyHistory,
    Request,
    Revocation,
    Status,
    SupervisionLevel,
    Suspension,
    status_on,
)
from tests.factories.histories import SIGNED, as_at, history, not_yet, sign_off
from tests.factories.histories import histories as records

DAY = dt.timedelta(days=1)
NAMES = {1: Signers("Sam Okafor", "Priya Patel"), 9: Signers("Grace Mensah")}


def scope(*codes: str, job_role: JobRole = JobRole.SCSW) -> WorkerScope:
    return WorkerScope(
        job_role=job_role,
        post=None,
        rows=[WorkerScopeRow(code, code, "Clinical", Requirement.PLANNED) for code in codes],
    )


SCSW = scope("A-1", "CANN")


def answer(
    code: str,
    worker_scope: WorkerScope | None,
    status: object,
    *,
    on: dt.date,
    signers: dict[int, Signers],
    prerequisites: list[Prerequisite] | tuple[Prerequisite, ...] = (),
) -> Answer:
    """The engine's answer for a person with this scope, status and prerequisites."""
    role = (
        RoleOnDate(
            job_role=worker_scope.job_role,
            scope=frozenset(row.code for row in worker_scope.rows),
        )
        if worker_scope
        else None
    )
    competence = {code: Competence(status)}  # type: ignore[arg-type]
    competence |= {item.code: Competence(item.status) for item in prerequisites}
    item = ItemFacts(
        code=code,
        title=code,
        prerequisites=tuple(ItemRef(item.code, item.title) for item in prerequisites),
    )
    person = PersonFacts(role=role, competence=competence, signers=signers)
    return standing(person, item, on)


def ask(
    record: CompetencyHistory,
    on: dt.date,
    *,
    in_scope: WorkerScope | None = SCSW,
    prerequisites: tuple[Prerequisite, ...] = (),
) -> Answer:
    return answer(
        "CANN",
        in_scope,
        status_on(record, on, with_since=False),
        on=on,
        signers=NAMES,
        prerequisites=prerequisites,
    )


def current(code: str, title: str, record: CompetencyHistory, on: dt.date) -> Prerequisite:
    return Prerequisite(code, title, status_on(record, on, with_since=False))


def test_signed_off_and_in_scope_may_with_the_level_conditions_expiry_and_assessor() -> None:
    result = ask(history(sign_off()), SIGNED + DAY)
    assert result.may
    assert result.in_scope
    assert result.label == "May"
    assert (result.supervision, result.condition_labels) == (
        SupervisionLevel.DIRECT,
        ("adults only",),
    )
    assert result.supervision_text == "Direct supervision; adults only"
    assert result.valid_until == dt.date(2027, 3, 1)
    assert (result.signed_off_on, result.signed_off_by) == (SIGNED, "Sam Okafor")
    assert result.reason == "Signed off on 2 March 2026 by Sam Okafor, valid until 1 March 2027"
    assert result.missing == ()


def test_the_countersignature_is_named_once_it_exists_on_the_date() -> None:
    record = history(
        sign_off(countersignature_required=True, countersigned=SIGNED + 2 * DAY),
    )
    before = ask(record, SIGNED + DAY)
    after = ask(record, SIGNED + 2 * DAY)
    assert not before.may
    assert before.status is Status.AWAITING_COUNTERSIGNATURE
    assert "countersigned" not in before.reason  # given later: not known on the day asked
    assert before.reason.endswith("awaiting countersignature by a practice educator")
    assert before.missing == ("A practice educator's countersignature",)
    assert after.may
    assert "countersigned by Priya Patel on 4 March 2026" in after.reason


def test_a_transcribed_sign_off_says_so_and_one_that_never_expires_says_that() -> None:
    result = ask(history(sign_off(transcribed=True, expires=None)), SIGNED)
    assert result.may
    assert result.valid_until is None
    assert result.reason == (
        "Signed off on 2 March 2026 by Sam Okafor (transcribed record), does not expire"
    )


def test_without_the_assessors_name_the_answer_still_gives_the_date() -> None:
    result = answer("CANN", SCSW, status_on(history(sign_off()), SIGNED), on=SIGNED, signers={})
    assert result.may
    assert result.signed_off_by is None
    assert result.reason.startswith("Signed off on 2 March 2026, valid until")


def test_due_for_reassessment_may_still_practise_and_says_it_is_due() -> None:
    result = ask(history(sign_off()), dt.date(2027, 2, 1))
    assert result.may
    assert result.status is Status.DUE_FOR_REASSESSMENT
    assert result.reason.endswith("; due for reassessment")


def test_outside_the_job_roles_scope_may_not_even_with_a_sign_off_in_force() -> None:
    result = ask(history(sign_off()), SIGNED, in_scope=scope("A-1", job_role=JobRole.CSW))
    assert not result.may
    assert not result.in_scope
    assert result.status is Status.COMPETENT  # the sign-off itself is fine
    assert (result.supervision, result.conditions, result.valid_until) == (None, (), None)
    assert result.reason == (
        "Not in the scope of practice of a clinical support worker, their job role on "
        "2 March 2026; their sign-off does not count: signed off on 2 March 2026 by Sam Okafor"
    )
    assert result.missing == ("A job role whose scope of practice includes it",)


def test_outside_the_scope_without_a_sign_off_just_says_not_in_scope() -> None:
    result = ask(history(), SIGNED, in_scope=scope("A-1", job_role=JobRole.CSW))
    assert result.reasons[0].text == (
        "Not in the scope of practice of a clinical support worker, their job role on 2 March 2026"
    )


def test_no_job_role_on_the_date_means_no_scope_at_all() -> None:
    result = ask(history(sign_off()), SIGNED, in_scope=None)
    assert not result.may
    assert not result.in_scope
    assert result.reason.startswith(
        "No job role was recorded for them on 2 March 2026, so they had no scope of practice"
    )
    assert result.missing == ("A job role, recorded by an administrator",)


@pytest.mark.parametrize(
    ("record", "on", "status", "reason", "missing"),
    [
        (
            history(),
            SIGNED,
            Status.NOT_STARTED,
            "Not started: no evidence or sign-off yet",
            "Evidence, then sign-off by an eligible assessor",
        ),
        (
            history(evidence=(SIGNED,)),
            SIGNED,
            Status.IN_PROGRESS,
            "In progress: evidence logged, not yet signed off",
            "Sign-off by an eligible assessor",
        ),
        (
            history(requests=(Request(requested_on=SIGNED),)),
            SIGNED,
            Status.AWAITING_SIGN_OFF,
            "Sign-off requested on 2 March 2026; awaiting an assessor's decision",
            "An assessor's decision on the request made on 2 March 2026",
        ),
        (
            history(not_yet()),
            SIGNED,
            Status.NOT_YET_COMPETENT,
            "Assessed as not yet competent on 2 March 2026 by Grace Mensah",
            "Reassessment after the action plan",
        ),
        (
            history(sign_off()),
            dt.date(2027, 3, 2),
            Status.EXPIRED,
            "Expired on 2 March 2027: valid until 1 March 2027; signed off on 2 March 2026 by "
            "Sam Okafor",
            "Reassessment by an eligible assessor",
        ),
        (
            history(
                sign_off(),
                suspensions=(
                    Suspension(decision_id=1, starts_on=SIGNED + DAY, reason="Investigation"),
                ),
            ),
            SIGNED + DAY,
            Status.SUSPENDED,
            "Suspended since 3 March 2026; signed off on 2 March 2026 by Sam Okafor",
            "Reinstatement by a practice educator or administrator",
        ),
        (
            history(
                sign_off(),
                revocations=(Revocation(decision_id=1, revoked_on=SIGNED + DAY, reason="Unsafe"),),
            ),
            SIGNED + DAY,
            Status.REVOKED,
            "Revoked on 3 March 2026; signed off on 2 March 2026 by Sam Okafor",
            "A new sign-off by an eligible assessor",
        ),
    ],
    ids=lambda value: value.value if isinstance(value, Status) else None,
)
def test_each_status_that_stops_practice_says_why_and_what_is_missing(
    record: CompetencyHistory, on: dt.date, status: Status, reason: str, missing: str
) -> None:
    result = ask(record, on)
    assert not result.may
    assert result.in_scope
    assert result.status is status
    assert result.reason == reason
    assert result.missing == (missing,)
    assert (result.supervision, result.conditions, result.valid_until) == (None, (), None)


def test_free_text_reasons_for_suspension_or_revocation_are_not_repeated() -> None:
    suspended = history(
        sign_off(),
        suspensions=(Suspension(decision_id=1, starts_on=SIGNED, reason="Investigation"),),
    )
    revoked = history(
        sign_off(), revocations=(Revocation(decision_id=1, revoked_on=SIGNED, reason="Unsafe"),)
    )
    assert "Investigation" not in ask(suspended, SIGNED).reason
    assert "Unsafe" not in ask(revoked, SIGNED).reason


def test_a_lapsed_prerequisite_stops_a_task_that_is_otherwise_signed_off() -> None:
    expired_bls = current(
        "CORE-BLS", "Basic life support", history(sign_off(expires=SIGNED)), SIGNED + DAY
    )
    antt = current("ANTT", "Aseptic non-touch technique (ANTT)", history(sign_off()), SIGNED)
    result = ask(history(sign_off()), SIGNED + DAY, prerequisites=(antt, expired_bls))
    assert not result.may
    assert result.status is Status.COMPETENT
    assert result.missing == ("A current sign-off in Basic life support (CORE-BLS)",)
    assert result.reason == (
        "Prerequisite not current: Basic life support (CORE-BLS) expired on 3 March 2026"
    )
    assert result.shown.text == (
        "Competent, prerequisite lapsed (Basic life support (CORE-BLS) expired on 3 March 2026)"
    )
    assert ask(history(sign_off()), SIGNED, prerequisites=(antt,)).may


def test_asking_about_a_day_before_the_sign_off_was_recorded_says_may_not() -> None:
    record = history(sign_off(recorded=SIGNED + 3 * DAY), evidence=(SIGNED - DAY,))
    assert not ask(record, SIGNED + 2 * DAY).may
    assert ask(record, SIGNED + 2 * DAY).status is Status.IN_PROGRESS
    assert ask(record, SIGNED + 3 * DAY).may


# Invariants over random histories, scopes and prerequisites.

scopes = st.sampled_from([SCSW, scope("A-1", job_role=JobRole.CSW), None])
prerequisite_lists = st.lists(
    st.tuples(records(), as_at).map(
        lambda pair: Prerequisite("ANTT", "Aseptic technique", status_on(*pair, with_since=False))
    ),
    max_size=1,
)


@given(records(), as_at, scopes, prerequisite_lists)
def test_may_only_in_scope_with_a_status_that_may_practise_and_current_prerequisites(
    record: CompetencyHistory,
    on: dt.date,
    worker_scope: WorkerScope | None,
    prerequisites: list[Prerequisite],
) -> None:
    status = status_on(record, on, with_since=False)
    result = answer("CANN", worker_scope, status, on=on, signers=NAMES, prerequisites=prerequisites)
    in_scope = worker_scope is not None and "CANN" in {row.code for row in worker_scope.rows}
    assert result.may == (
        in_scope and status.may_practise and all(p.status.may_practise for p in prerequisites)
    )
    assert result.in_scope == in_scope
    assert result.status is status.status
    assert result.reason
    assert "\n" not in result.reason
    assert (result.missing == ()) == result.may
    if result.may:
        assert status.decision is not None
        assert result.supervision == status.supervision
        assert result.condition_labels == tuple(dict.fromkeys(status.conditions))
        ends = [status.decision.expires_on, *(p.status.expires_on for p in prerequisites)]
        known = [day for day in ends if day is not None]
        assert result.valid_until == (min(known) if known else None)
        assert result.signed_off_on == status.decision.observed_on
    else:
        assert (result.supervision, result.conditions, result.valid_until) == (None, (), None)


@given(records(), as_at)
def test_before_any_decision_was_recorded_nobody_may(
    record: CompetencyHistory, on: dt.date
) -> None:
    recorded = [decision.recorded_on for decision in record.decisions]
    if recorded and on >= min(recorded):
        return
    result = ask(record, on)
    assert not result.may
    assert result.signed_off_on is None
    assert result.signed_off_by is None


@given(records(), as_at)
def test_a_sign_off_recorded_after_the_date_asked_never_changes_the_answer(
    record: CompetencyHistory, on: dt.date
) -> None:
    """As at a date: a sign-off recorded the next day (observed on the day or before) is not
    known on the day, so the answer for the day is the same with or without it."""
    later = sign_off(99, observed=min(on, SIGNED), recorded=on + DAY)
    with_it = CompetencyHistory(
        evidence_dates=record.evidence_dates,
        requests=record.requests,
        decisions=(*record.decisions, later),
        suspensions=record.suspensions,
        revocations=record.revocations,
    )
    assert ask(with_it, on) == ask(record, on)
