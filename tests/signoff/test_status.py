"""Status of a competency as at any date: every rule, the precedence table, and invariants."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Request,
    Revocation,
    Status,
    StatusOnDate,
    SupervisionLevel,
    Suspension,
    evidence_counting_towards_reassessment,
    long_date,
    reassessment_evidence_after,
    status_on,
)
from tests.factories.histories import (
    DAY,
    EXPIRY,
    SIGNED,
    as_at,
    dates,
    day,
    decisions,
    histories,
    history,
    not_yet,
    sign_off,
)


def status(record: CompetencyHistory, on: dt.date, window: int = 60) -> Status:
    return status_on(record, on, due_window_days=window).status


# One test per rule of the table, bottom up.


def test_not_started_until_the_first_evidence_exists() -> None:
    record = history(evidence=(dt.date(2026, 1, 10),))
    assert status_on(CompetencyHistory(), SIGNED).status is Status.NOT_STARTED
    before = status_on(record, dt.date(2026, 1, 9))
    assert (before.status, before.since, before.decision) == (Status.NOT_STARTED, None, None)
    assert before.reason() == "No evidence or sign-off yet"
    assert status(record, dt.date(2026, 1, 10)) is Status.IN_PROGRESS


def test_in_progress_from_the_date_of_the_first_evidence() -> None:
    result = status_on(history(evidence=(dt.date(2026, 1, 20), dt.date(2026, 1, 10))), SIGNED)
    assert result.status is Status.IN_PROGRESS
    assert result.since == dt.date(2026, 1, 10)
    assert not result.may_practise


def test_awaiting_sign_off_while_a_request_waits_and_not_on_the_day_it_is_withdrawn() -> None:
    request = Request(requested_on=dt.date(2026, 2, 1), withdrawn_on=dt.date(2026, 2, 10))
    record = history(evidence=(dt.date(2026, 1, 10),), requests=(request,))
    assert status(record, dt.date(2026, 1, 31)) is Status.IN_PROGRESS
    waiting = status_on(record, dt.date(2026, 2, 9))
    assert (waiting.status, waiting.since) == (Status.AWAITING_SIGN_OFF, dt.date(2026, 2, 1))
    # As it stood on 9 February: the withdrawal the next day was not known yet.
    assert waiting.request == Request(requested_on=dt.date(2026, 2, 1))
    assert (
        waiting.reason() == "Sign-off requested on 1 February 2026; awaiting an assessor's decision"
    )
    after = status_on(record, dt.date(2026, 2, 10))
    assert (after.status, after.since) == (Status.IN_PROGRESS, dt.date(2026, 2, 10))


def test_not_yet_competent_after_such_a_decision() -> None:
    decision = not_yet()
    result = status_on(history(decision, evidence=(dt.date(2026, 1, 10),)), SIGNED + DAY)
    assert (result.status, result.decision, result.since) == (
        Status.NOT_YET_COMPETENT,
        decision,
        SIGNED,
    )
    assert result.expires_on is None
    assert result.reason() == "Assessed as not yet competent on 2 March 2026"


def test_awaiting_countersignature_does_not_let_the_worker_practise() -> None:
    decision = sign_off(countersignature_required=True)
    result = status_on(history(decision), SIGNED + 5 * DAY)
    assert result.status is Status.AWAITING_COUNTERSIGNATURE
    assert result.decision == decision
    assert not result.may_practise
    assert (result.supervision, result.conditions) == (None, ())
    assert result.reason() == (
        "Signed off on 2 March 2026, direct supervision, adults only; awaiting countersignature"
    )


def test_competent_with_level_conditions_and_expiry() -> None:
    decision = sign_off()
    result = status_on(history(decision), dt.date(2026, 6, 1))
    assert result.status is Status.COMPETENT
    assert result.may_practise
    assert result.decision == decision
    assert result.supervision is SupervisionLevel.DIRECT
    assert result.conditions == ("adults only",)
    assert (result.expires_on, result.since, result.renewal_awaiting) == (EXPIRY, SIGNED, False)
    assert result.reason() == (
        "Signed off on 2 March 2026, direct supervision, adults only, valid until 1 March 2027"
    )


def test_a_sign_off_without_expiry_never_becomes_due_or_expires() -> None:
    record = history(sign_off(expires=None, supervision=None, conditions=()))
    later = status_on(record, dt.date(2040, 1, 1))
    assert later.status is Status.COMPETENT
    assert later.reason() == "Signed off on 2 March 2026, does not expire"


def test_due_for_reassessment_still_counts_as_able_to_practise() -> None:
    result = status_on(history(sign_off()), dt.date(2027, 2, 1))
    assert result.status is Status.DUE_FOR_REASSESSMENT
    assert result.may_practise
    assert result.since == EXPIRY - 60 * DAY
    assert result.reason() == (
        "Signed off on 2 March 2026, direct supervision, adults only, valid until 1 March 2027;"
        " due for reassessment"
    )


def test_expired_the_day_after_the_expiry_day() -> None:
    result = status_on(history(sign_off()), dt.date(2027, 6, 1))
    assert (result.status, result.since, result.expires_on) == (
        Status.EXPIRED,
        EXPIRY + DAY,
        EXPIRY,
    )
    assert not result.may_practise
    assert (result.supervision, result.conditions) == (None, ())
    assert result.reason() == "Expired on 2 March 2027 (valid until 1 March 2027)"


def test_suspended_from_its_start_until_the_day_of_reinstatement() -> None:
    start, back = dt.date(2026, 5, 4), dt.date(2026, 6, 15)
    suspension = Suspension(
        decision_id=1, starts_on=start, reinstated_on=back, reason="pending an investigation"
    )
    record = history(sign_off(), suspensions=(suspension,))
    assert status(record, start - DAY) is Status.COMPETENT
    during = status_on(record, start)
    assert (during.status, during.since) == (Status.SUSPENDED, start)
    # As it stood that day: the reinstatement came later.
    assert during.suspension == dataclasses.replace(suspension, reinstated_on=None)
    assert not during.may_practise
    assert during.reason() == "Suspended since 4 May 2026: pending an investigation"
    assert status(record, back - DAY) is Status.SUSPENDED
    reinstated = status_on(record, back)
    assert (reinstated.status, reinstated.since) == (Status.COMPETENT, back)


def test_a_suspension_without_reinstatement_still_applies() -> None:
    record = history(sign_off(), suspensions=(Suspension(decision_id=1, starts_on=SIGNED),))
    assert status(record, EXPIRY - 100 * DAY) is Status.SUSPENDED


def test_revoked_from_the_day_of_revocation() -> None:
    revocation = Revocation(decision_id=1, revoked_on=dt.date(2026, 7, 1), reason="unsafe practice")
    record = history(sign_off(), revocations=(revocation,))
    assert status(record, dt.date(2026, 6, 30)) is Status.COMPETENT
    result = status_on(record, dt.date(2026, 7, 1))
    assert (result.status, result.revocation, result.since) == (
        Status.REVOKED,
        revocation,
        dt.date(2026, 7, 1),
    )
    assert not result.may_practise
    assert result.reason() == "Revoked on 1 July 2026: unsafe practice"


# Where two rules apply: the table decides.


def test_expired_with_a_renewal_awaiting_stays_expired_and_says_so() -> None:
    renewal = Request(requested_on=dt.date(2027, 2, 20))
    result = status_on(history(sign_off(), requests=(renewal,)), EXPIRY + 10 * DAY)
    assert (result.status, result.renewal_awaiting, result.request) == (
        Status.EXPIRED,
        True,
        renewal,
    )
    assert result.reason() == (
        "Expired on 2 March 2027 (valid until 1 March 2027); a renewal is awaiting a decision"
    )


def test_competent_and_due_with_a_renewal_awaiting_keep_their_status() -> None:
    renewal = Request(requested_on=dt.date(2026, 12, 1))
    record = history(sign_off(), requests=(renewal,))
    competent = status_on(record, dt.date(2026, 12, 1))
    assert (competent.status, competent.renewal_awaiting) == (Status.COMPETENT, True)
    assert competent.reason().endswith("; a renewal is awaiting a decision")
    due = status_on(record, dt.date(2027, 2, 1))
    assert (due.status, due.renewal_awaiting) == (Status.DUE_FOR_REASSESSMENT, True)
    # The request started no new run: due since the window opened.
    assert due.since == EXPIRY - 60 * DAY
    assert status_on(record, dt.date(2026, 11, 30)).renewal_awaiting is False


def test_suspended_wins_over_expired() -> None:
    record = history(sign_off(), suspensions=(Suspension(decision_id=1, starts_on=SIGNED + DAY),))
    assert status(record, EXPIRY + DAY) is Status.SUSPENDED
    reinstated = history(
        sign_off(),
        suspensions=(
            Suspension(decision_id=1, starts_on=SIGNED + DAY, reinstated_on=EXPIRY + 10 * DAY),
        ),
    )
    after = status_on(reinstated, EXPIRY + 20 * DAY)
    # Reinstated after the expiry day: expired from reinstatement, not from the expiry.
    assert (after.status, after.since) == (Status.EXPIRED, EXPIRY + 10 * DAY)


def test_revoked_wins_over_suspended_and_expired() -> None:
    record = history(
        sign_off(),
        suspensions=(Suspension(decision_id=1, starts_on=dt.date(2026, 5, 1)),),
        revocations=(Revocation(decision_id=1, revoked_on=dt.date(2026, 6, 1)),),
    )
    assert status(record, dt.date(2026, 5, 31)) is Status.SUSPENDED
    assert status(record, dt.date(2026, 6, 1)) is Status.REVOKED
    assert status(record, EXPIRY + DAY) is Status.REVOKED


def test_a_waiting_request_does_not_hide_a_missing_countersignature() -> None:
    record = history(
        sign_off(countersignature_required=True), requests=(Request(requested_on=SIGNED),)
    )
    result = status_on(record, SIGNED + DAY)
    assert (result.status, result.renewal_awaiting) == (Status.AWAITING_COUNTERSIGNATURE, False)


def test_a_sign_off_never_countersigned_before_its_expiry_is_expired() -> None:
    record = history(sign_off(countersignature_required=True, expires=SIGNED + 30 * DAY))
    assert status(record, SIGNED + 30 * DAY) is Status.AWAITING_COUNTERSIGNATURE
    assert status(record, SIGNED + 31 * DAY) is Status.EXPIRED


def test_a_request_after_not_yet_competent_is_awaiting_sign_off() -> None:
    record = history(not_yet(), requests=(Request(requested_on=SIGNED + 30 * DAY),))
    assert status(record, SIGNED + 29 * DAY) is Status.NOT_YET_COMPETENT
    assert status(record, SIGNED + 30 * DAY) is Status.AWAITING_SIGN_OFF


def test_not_yet_competent_at_reassessment_leaves_an_in_date_sign_off_and_an_expiry() -> None:
    record = history(sign_off(), not_yet(observed=dt.date(2027, 1, 20)))
    assert status(record, dt.date(2027, 1, 25)) is Status.DUE_FOR_REASSESSMENT
    assert status(record, EXPIRY + DAY) is Status.EXPIRED


# Timing.


def test_the_expiry_day_itself_is_valid_and_the_next_day_is_expired() -> None:
    record = history(sign_off())
    last_day = status_on(record, EXPIRY)
    assert last_day.may_practise
    assert last_day.status is Status.DUE_FOR_REASSESSMENT
    assert status(record, EXPIRY + DAY) is Status.EXPIRED
    assert not status_on(record, EXPIRY + DAY).may_practise


def test_the_due_window_counts_the_expiry_day_as_day_zero() -> None:
    record = history(sign_off())
    assert status(record, EXPIRY - 61 * DAY) is Status.COMPETENT
    assert status(record, EXPIRY - 60 * DAY) is Status.DUE_FOR_REASSESSMENT
    assert status(record, EXPIRY - 31 * DAY, window=30) is Status.COMPETENT
    assert status(record, EXPIRY - 30 * DAY, window=30) is Status.DUE_FOR_REASSESSMENT
    assert status(record, EXPIRY - DAY, window=0) is Status.COMPETENT
    assert status(record, EXPIRY, window=0) is Status.DUE_FOR_REASSESSMENT


def test_a_negative_due_window_is_refused() -> None:
    with pytest.raises(ValueError, match="window"):
        status_on(history(sign_off()), SIGNED, due_window_days=-1)


def test_a_decision_recorded_after_the_date_is_ignored_though_observed_before_it() -> None:
    """Asked about 3 March, a sign-off observed on 1 March and recorded on 5 March did not
    exist yet: the answer is what the portfolio showed on 3 March."""
    late = sign_off(observed=dt.date(2026, 3, 1), recorded=dt.date(2026, 3, 5))
    record = history(late, evidence=(dt.date(2026, 2, 1),))
    assert status(record, dt.date(2026, 3, 3)) is Status.IN_PROGRESS
    assert status(record, dt.date(2026, 3, 4)) is Status.IN_PROGRESS
    on_the_day = status_on(record, dt.date(2026, 3, 5))
    assert (on_the_day.status, on_the_day.since) == (Status.COMPETENT, dt.date(2026, 3, 5))
    assert on_the_day.reason().startswith("Signed off on 1 March 2026")


def test_a_sign_off_counts_from_the_day_of_its_countersignature() -> None:
    countersigned = SIGNED + 7 * DAY
    record = history(sign_off(countersignature_required=True, countersigned=countersigned))
    assert status(record, countersigned - DAY) is Status.AWAITING_COUNTERSIGNATURE
    result = status_on(record, countersigned)
    assert (result.status, result.since) == (Status.COMPETENT, countersigned)
    # A countersignature nobody asked for changes nothing.
    plain = history(sign_off(countersignature_required=False, countersigned=countersigned))
    assert status(plain, SIGNED) is Status.COMPETENT


def test_a_new_sign_off_after_revocation_makes_the_worker_competent_again() -> None:
    second = sign_off(2, observed=dt.date(2026, 9, 1), expires=dt.date(2027, 8, 31))
    record = history(
        sign_off(), second, revocations=(Revocation(decision_id=1, revoked_on=dt.date(2026, 7, 1)),)
    )
    assert status(record, dt.date(2026, 8, 31)) is Status.REVOKED
    result = status_on(record, dt.date(2026, 9, 1))
    assert (result.status, result.decision, result.since) == (
        Status.COMPETENT,
        second,
        dt.date(2026, 9, 1),
    )
    assert result.expires_on == dt.date(2027, 8, 31)


def test_revoking_the_latest_sign_off_does_not_bring_back_an_older_one() -> None:
    renewal = sign_off(2, observed=dt.date(2026, 12, 1), expires=dt.date(2027, 11, 30))
    record = history(
        sign_off(),
        renewal,
        revocations=(Revocation(decision_id=2, revoked_on=dt.date(2027, 1, 5)),),
    )
    assert status(record, dt.date(2027, 1, 5)) is Status.REVOKED


def test_a_renewal_awaiting_countersignature_leaves_the_previous_sign_off_in_force() -> None:
    first = sign_off()
    renewal = sign_off(
        2,
        observed=dt.date(2027, 2, 10),
        expires=dt.date(2028, 2, 9),
        supervision=SupervisionLevel.INDIRECT,
        countersignature_required=True,
        countersigned=dt.date(2027, 3, 10),
    )
    record = history(first, renewal)
    meanwhile = status_on(record, dt.date(2027, 2, 20))
    assert (meanwhile.status, meanwhile.decision) == (Status.DUE_FOR_REASSESSMENT, first)
    assert meanwhile.supervision is SupervisionLevel.DIRECT
    gap = status_on(record, EXPIRY + DAY)
    assert (gap.status, gap.since) == (Status.AWAITING_COUNTERSIGNATURE, EXPIRY + DAY)
    # The renewal as it stood then, without the countersignature it received later.
    assert gap.decision == dataclasses.replace(renewal, countersigned_on=None)
    renewed = status_on(record, dt.date(2027, 3, 10))
    assert (renewed.status, renewed.decision, renewed.supervision) == (
        Status.COMPETENT,
        renewal,
        SupervisionLevel.INDIRECT,
    )


def test_the_sign_off_left_in_force_by_a_pending_renewal_can_still_be_suspended() -> None:
    renewal = sign_off(2, observed=dt.date(2027, 2, 10), countersignature_required=True)
    stop = Suspension(decision_id=1, starts_on=dt.date(2027, 2, 15))
    pending = history(sign_off(), renewal)
    assert status_on(pending, dt.date(2027, 2, 15)).may_practise
    result = status_on(dataclasses.replace(pending, suspensions=(stop,)), dt.date(2027, 2, 15))
    assert not result.may_practise
    assert result.status is Status.AWAITING_COUNTERSIGNATURE
    revoked = dataclasses.replace(
        pending, revocations=(Revocation(decision_id=1, revoked_on=dt.date(2027, 2, 15)),)
    )
    assert not status_on(revoked, dt.date(2027, 2, 15)).may_practise


def test_a_transcribed_record_typed_in_later_does_not_displace_a_newer_sign_off() -> None:
    paper = sign_off(
        2,
        observed=dt.date(2019, 5, 1),
        recorded=dt.date(2026, 4, 1),
        expires=dt.date(2020, 4, 30),
        transcribed=True,
    )
    record = history(sign_off(), paper)
    result = status_on(record, dt.date(2026, 4, 1))
    assert (result.status, result.decision) == (Status.COMPETENT, sign_off())
    only_paper = status_on(history(paper), dt.date(2026, 4, 1))
    assert only_paper.status is Status.EXPIRED
    in_date_paper = status_on(
        history(dataclasses.replace(paper, expires_on=None)), dt.date(2026, 4, 1)
    )
    assert in_date_paper.reason().startswith("Signed off on 1 May 2019 (transcribed record), ")


def test_a_sign_off_brought_in_by_an_import_counts_only_from_the_day_it_is_accepted() -> None:
    brought_in = dt.date(2026, 5, 1)
    accepted = dt.date(2026, 5, 20)
    waiting = history(sign_off(recorded=brought_in, transcribed=True, acceptance_required=True))
    result = status_on(waiting, dt.date(2026, 5, 10))
    assert result.status is Status.AWAITING_ACCEPTANCE
    assert not result.may_practise
    assert (result.supervision, result.conditions) == (None, ())
    assert result.reason() == (
        "Signed off on 2 March 2026 (previous employer's record, awaiting local acceptance), "
        "direct supervision, adults only; counts here once accepted after one practice "
        "observed on local equipment"
    )
    record = history(
        sign_off(recorded=brought_in, transcribed=True, acceptance_required=True, accepted=accepted)
    )
    before = status_on(record, accepted - DAY)
    assert before.status is Status.AWAITING_ACCEPTANCE
    assert before.decision is not None
    assert before.decision.accepted_on is None  # not known yet on that day
    after = status_on(record, accepted)
    assert after.status is Status.COMPETENT
    assert after.since == accepted
    assert after.decision is not None
    assert after.decision.note == "transcribed record, accepted after local observation"


def test_a_sign_off_brought_in_and_not_accepted_does_not_displace_one_in_force() -> None:
    ours = sign_off(1, observed=dt.date(2026, 4, 1))
    theirs = sign_off(2, observed=dt.date(2026, 4, 20), transcribed=True, acceptance_required=True)
    assert status(history(ours, theirs), dt.date(2026, 5, 1)) is Status.COMPETENT
    assert status(history(theirs), EXPIRY + DAY) is Status.EXPIRED
    # Nor does it use up evidence for a reassessment here while it waits.
    assert reassessment_evidence_after(history(ours, theirs), dt.date(2026, 5, 1)) == (
        dt.date(2026, 4, 1)
    )


def test_a_suspension_of_a_superseded_sign_off_does_not_touch_the_new_one() -> None:
    back_to_work = sign_off(2, observed=dt.date(2026, 10, 1), expires=dt.date(2027, 9, 30))
    record = history(
        sign_off(),
        back_to_work,
        suspensions=(Suspension(decision_id=1, starts_on=dt.date(2026, 8, 1)),),
    )
    assert status(record, dt.date(2026, 9, 30)) is Status.SUSPENDED
    assert status(record, dt.date(2026, 10, 1)) is Status.COMPETENT


# Statuses, labels and records.


def test_only_competent_and_due_for_reassessment_may_practise() -> None:
    assert {s for s in Status if s.may_practise} == {
        Status.COMPETENT,
        Status.DUE_FOR_REASSESSMENT,
    }
    labels = [s.label for s in Status]
    assert len(set(labels)) == len(Status)
    assert Status.AWAITING_SIGN_OFF.label == "Awaiting sign-off"
    assert SupervisionLevel.REMOTE.label == "Remote supervision"


def test_long_dates_are_written_the_british_way() -> None:
    assert long_date(dt.date(2027, 3, 1)) == "1 March 2027"


@pytest.mark.parametrize(
    "build",
    [
        lambda: sign_off(observed=SIGNED, recorded=SIGNED - DAY),
        lambda: sign_off(countersignature_required=True, countersigned=SIGNED - DAY),
        lambda: sign_off(recorded=SIGNED + DAY, acceptance_required=True, accepted=SIGNED),
        lambda: Suspension(decision_id=1, starts_on=SIGNED, reinstated_on=SIGNED - DAY),
        lambda: Request(requested_on=SIGNED, decided_on=SIGNED, withdrawn_on=SIGNED),
        lambda: Request(requested_on=SIGNED, withdrawn_on=SIGNED - DAY),
    ],
    ids=[
        "recorded-before-observed",
        "countersigned-before-observed",
        "accepted-before-brought-in",
        "reinstated-before-suspended",
        "decided-and-withdrawn",
        "withdrawn-before-requested",
    ],
)
def test_impossible_records_are_refused(build: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"cannot|either"):
        build()


# Reassessment counts only evidence dated after the previous sign-off.


def test_reassessment_counts_only_evidence_after_the_previous_sign_off() -> None:
    evidence = (dt.date(2026, 2, 1), SIGNED, SIGNED + DAY, dt.date(2027, 1, 5), dt.date(2027, 5, 1))
    record = history(sign_off())
    on = dt.date(2027, 2, 1)
    assert reassessment_evidence_after(record, on) == SIGNED
    assert evidence_counting_towards_reassessment(evidence, record, on) == (
        SIGNED + DAY,
        dt.date(2027, 1, 5),
    )


def test_before_any_sign_off_all_evidence_to_date_counts() -> None:
    evidence = (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    late = sign_off(observed=dt.date(2026, 1, 15), recorded=dt.date(2026, 3, 1))
    record = history(not_yet(observed=dt.date(2026, 1, 20)), late)
    assert reassessment_evidence_after(record, dt.date(2026, 2, 15)) is None
    assert (
        evidence_counting_towards_reassessment(evidence, record, dt.date(2026, 2, 15)) == evidence
    )
    # Once the late sign-off is recorded, only what followed its observation counts.
    assert evidence_counting_towards_reassessment(evidence, record, dt.date(2026, 3, 1)) == (
        dt.date(2026, 2, 1),
    )


def test_a_revoked_sign_off_still_used_up_its_evidence() -> None:
    record = history(sign_off(), revocations=(Revocation(decision_id=1, revoked_on=SIGNED + DAY),))
    assert evidence_counting_towards_reassessment([SIGNED - DAY], record, SIGNED + 5 * DAY) == ()


# Invariants over random histories (tests/factories/histories.py).


def sign_offs_by(record: CompetencyHistory, on: dt.date) -> list[Decision]:
    return [d for d in record.decisions if d.outcome is Outcome.COMPETENT and d.recorded_on <= on]


@given(histories(), as_at)
def test_before_any_record_exists_the_status_is_not_started(
    record: CompetencyHistory, on: dt.date
) -> None:
    existence = [
        *record.evidence_dates,
        *(r.requested_on for r in record.requests),
        *(d.recorded_on for d in record.decisions),
        *(s.starts_on for s in record.suspensions),
        *(r.revoked_on for r in record.revocations),
    ]
    if existence and on >= min(existence):
        return
    result = status_on(record, on)
    assert (result.status, result.decision, result.since) == (Status.NOT_STARTED, None, None)


@given(histories(), as_at)
def test_practising_rests_on_a_valid_countersigned_unsuspended_unrevoked_sign_off(
    record: CompetencyHistory, on: dt.date
) -> None:
    result = status_on(record, on)
    assert result.reason()
    assert "\n" not in result.reason()
    if not result.may_practise:
        assert (result.supervision, result.conditions) == (None, ())
        return
    decision = result.decision
    assert decision is not None
    assert decision in sign_offs_by(record, on)
    assert decision.expires_on is None or on <= decision.expires_on
    assert not decision.countersignature_required or (
        decision.countersigned_on is not None and decision.countersigned_on <= on
    )
    assert not decision.acceptance_required or (
        decision.accepted_on is not None and decision.accepted_on <= on
    )
    assert not any(s.decision_id == decision.id and s.applies_on(on) for s in record.suspensions)
    assert not any(r.decision_id == decision.id and r.revoked_on <= on for r in record.revocations)
    assert (result.supervision, result.conditions) == (decision.supervision, decision.conditions)


@given(histories(), as_at)
def test_competent_or_due_only_with_a_sign_off_recorded_by_then(
    record: CompetencyHistory, on: dt.date
) -> None:
    if status_on(record, on).status in (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT):
        assert sign_offs_by(record, on)


@given(histories(), as_at)
def test_no_one_practises_once_every_sign_off_to_date_has_passed_its_expiry(
    record: CompetencyHistory, on: dt.date
) -> None:
    sign_offs = sign_offs_by(record, on)
    if all(d.expires_on is not None and d.expires_on < on for d in sign_offs):
        assert not status_on(record, on).may_practise


@given(histories(), as_at, st.integers(0, 40))
def test_suspending_or_revoking_the_governing_sign_off_stops_practice(
    record: CompetencyHistory, on: dt.date, back: int
) -> None:
    decision = status_on(record, on).decision
    if decision is None or decision.outcome is not Outcome.COMPETENT:
        return
    start = max(decision.recorded_on, on - back * DAY)
    suspended = dataclasses.replace(
        record,
        suspensions=(*record.suspensions, Suspension(decision_id=decision.id, starts_on=start)),
    )
    revoked = dataclasses.replace(
        record,
        revocations=(*record.revocations, Revocation(decision_id=decision.id, revoked_on=start)),
    )
    assert not status_on(suspended, on).may_practise
    assert not status_on(revoked, on).may_practise


@given(histories(), as_at)
def test_revoking_every_sign_off_to_date_leaves_the_status_revoked(
    record: CompetencyHistory, on: dt.date
) -> None:
    sign_offs = sign_offs_by(record, on)
    revoked = dataclasses.replace(
        record,
        revocations=tuple(
            Revocation(decision_id=d.id, revoked_on=d.recorded_on) for d in sign_offs
        ),
    )
    assert status(revoked, on) is (Status.REVOKED if sign_offs else status(record, on))


@st.composite
def with_later_records(
    draw: st.DrawFn,
) -> tuple[CompetencyHistory, dt.date, CompetencyHistory]:
    """A history, a date, and the same history with records added or completed after it."""
    record, on = draw(histories()), draw(as_at)
    later = st.integers(1, 40).map(lambda n: on + n * DAY)
    ids = len(record.decisions)
    extra_decisions = tuple(
        draw(decisions(100 + n, after=on)) for n in range(draw(st.integers(0, 2)))
    )
    any_id = st.integers(1, ids + 1) | st.sampled_from([d.id for d in extra_decisions] or [1])

    def complete_decision(d: Decision) -> Decision:
        if d.countersignature_required and d.countersigned_on is None and draw(st.booleans()):
            d = dataclasses.replace(d, countersigned_on=max(draw(later), d.observed_on))
        if d.acceptance_required and d.accepted_on is None and draw(st.booleans()):
            accepted = max(draw(later), d.recorded_on)
            d = dataclasses.replace(d, accepted_on=accepted, accepted_locally_on=accepted)
        return d

    def complete_suspension(s: Suspension) -> Suspension:
        if s.reinstated_on is None and s.starts_on <= on and draw(st.booleans()):
            return dataclasses.replace(s, reinstated_on=draw(later))
        return s

    def complete_request(r: Request) -> Request:
        if r.decided_on is None and r.withdrawn_on is None and r.requested_on <= on:
            end = draw(st.none() | later)
            if draw(st.booleans()):
                return dataclasses.replace(r, decided_on=end)
            return dataclasses.replace(r, withdrawn_on=end)
        return r

    extended = CompetencyHistory(
        evidence_dates=(*record.evidence_dates, *draw(st.lists(later, max_size=2))),
        requests=(
            *(complete_request(r) for r in record.requests),
            *(Request(requested_on=d) for d in draw(st.lists(later, max_size=2))),
        ),
        decisions=(*(complete_decision(d) for d in record.decisions), *extra_decisions),
        suspensions=(
            *(complete_suspension(s) for s in record.suspensions),
            *(
                Suspension(decision_id=draw(any_id), starts_on=d)
                for d in draw(st.lists(later, max_size=2))
            ),
        ),
        revocations=(
            *record.revocations,
            *(
                Revocation(decision_id=draw(any_id), revoked_on=d)
                for d in draw(st.lists(later, max_size=2))
            ),
        ),
    )
    return record, on, extended


@given(with_later_records())
def test_records_dated_after_the_date_never_change_the_answer_for_it(
    case: tuple[CompetencyHistory, dt.date, CompetencyHistory],
) -> None:
    record, on, extended = case
    assert status_on(extended, on) == status_on(record, on)


@given(histories(), as_at, st.data())
def test_the_order_records_are_listed_in_does_not_matter(
    record: CompetencyHistory, on: dt.date, data: st.DataObject
) -> None:
    shuffled = CompetencyHistory(
        evidence_dates=tuple(data.draw(st.permutations(record.evidence_dates))),
        requests=tuple(data.draw(st.permutations(record.requests))),
        decisions=tuple(data.draw(st.permutations(record.decisions))),
        suspensions=tuple(data.draw(st.permutations(record.suspensions))),
        revocations=tuple(data.draw(st.permutations(record.revocations))),
    )
    assert status_on(shuffled, on) == status_on(record, on)


@given(histories(), as_at)
def test_since_is_the_first_day_of_an_unbroken_run_of_the_status(
    record: CompetencyHistory, on: dt.date
) -> None:
    result = status_on(record, on)

    def key(answer: StatusOnDate) -> tuple[Status, int | None]:
        return answer.status, answer.decision.id if answer.decision else None

    def same(other: StatusOnDate) -> bool:
        return key(other) == key(result)

    first = result.since
    if first is None:
        assert result.status is Status.NOT_STARTED
        first = day(-10)  # before any generated record
    else:
        assert first <= on
        assert not same(status_on(record, first - DAY))
    current = first
    while current <= on:
        assert same(status_on(record, current)), current
        current += DAY


@given(histories(), as_at)
def test_a_waiting_request_never_outranks_a_sign_off_but_outranks_the_rest(
    record: CompetencyHistory, on: dt.date
) -> None:
    before = status_on(record, on)
    after = status_on(
        dataclasses.replace(record, requests=(*record.requests, Request(requested_on=on))), on
    )
    if before.status in (Status.NOT_YET_COMPETENT, Status.IN_PROGRESS, Status.NOT_STARTED):
        assert after.status is Status.AWAITING_SIGN_OFF
    else:
        assert after.status is before.status
        assert after.decision == before.decision
    assert after.renewal_awaiting is (
        after.status in (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT, Status.EXPIRED)
    )


@given(histories(), as_at, st.integers(0, 5))
def test_not_yet_competent_at_reassessment_does_not_stop_practice(
    record: CompetencyHistory, on: dt.date, back: int
) -> None:
    if not status_on(record, on).may_practise:
        return
    observed = on - back * DAY
    failed = Decision(
        id=999, outcome=Outcome.NOT_YET_COMPETENT, observed_on=observed, recorded_on=observed
    )
    assert status_on(
        dataclasses.replace(record, decisions=(*record.decisions, failed)), on
    ).may_practise


@given(histories(), as_at, st.integers(0, 30))
def test_a_wider_due_window_only_turns_competent_into_due(
    record: CompetencyHistory, on: dt.date, wider: int
) -> None:
    narrow = status_on(record, on, due_window_days=30)
    wide = status_on(record, on, due_window_days=30 + wider)
    if narrow.status is Status.COMPETENT:
        assert wide.status in (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT)
    else:
        assert wide.status is narrow.status


@given(histories(), as_at, st.lists(dates, max_size=5))
def test_reassessment_evidence_is_never_from_before_a_sign_off_recorded_by_then(
    record: CompetencyHistory, on: dt.date, evidence: list[dt.date]
) -> None:
    counted = evidence_counting_towards_reassessment(evidence, record, on)
    # A previous employer's sign-off brought in and not yet accepted is no sign-off here yet.
    previous = [d for d in sign_offs_by(record, on) if not d.awaiting_acceptance_on(on)]
    assert set(counted) <= set(evidence)
    for sign_off_ in previous:
        assert all(e > sign_off_.observed_on for e in counted)
    assert all(e <= on for e in counted)
    if not previous:
        assert counted == tuple(e for e in evidence if e <= on)


@given(histories(), as_at)
def test_skipping_since_changes_nothing_else(record: CompetencyHistory, on: dt.date) -> None:
    """Matrices skip working out when a status began; every other part of the answer is the
    same."""
    full = status_on(record, on)
    quick = status_on(record, on, with_since=False)
    assert quick.since is None
    assert dataclasses.replace(full, since=None) == quick


def test_evidence_alone_reads_as_logged_and_not_yet_signed_off() -> None:
    result = status_on(history(evidence=(SIGNED,)), SIGNED)
    assert result.status is Status.IN_PROGRESS
    assert result.reason() == "Evidence logged; not yet signed off"


def test_a_revocation_or_suspension_without_a_reason_names_only_its_day() -> None:
    revoked = history(sign_off(), revocations=(Revocation(decision_id=1, revoked_on=SIGNED),))
    assert status_on(revoked, SIGNED).reason() == "Revoked on 2 March 2026"
    suspended = history(sign_off(), suspensions=(Suspension(decision_id=1, starts_on=SIGNED),))
    assert status_on(suspended, SIGNED).reason() == "Suspended since 2 March 2026"


def test_a_revoked_sign_off_shows_its_revocation_and_not_an_earlier_suspension() -> None:
    record = history(
        sign_off(),
        suspensions=(Suspension(decision_id=1, starts_on=SIGNED + DAY, reason="absence"),),
        revocations=(Revocation(decision_id=1, revoked_on=SIGNED + 2 * DAY, reason="unsafe"),),
    )
    result = status_on(record, SIGNED + 3 * DAY)
    assert result.status is Status.REVOKED
    assert result.suspension is None
    assert result.revocation == Revocation(
        decision_id=1, revoked_on=SIGNED + 2 * DAY, reason="unsafe"
    )


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: sign_off(observed=SIGNED, recorded=SIGNED - DAY),
            "a decision cannot be recorded before the practice was observed",
        ),
        (
            lambda: sign_off(countersignature_required=True, countersigned=SIGNED - DAY),
            "a decision cannot be countersigned before the practice was observed",
        ),
        (
            lambda: sign_off(
                recorded=SIGNED + 5 * DAY, acceptance_required=True, accepted=SIGNED + DAY
            ),
            "a sign-off cannot be accepted here before it was brought in",
        ),
        (
            lambda: Suspension(decision_id=1, starts_on=SIGNED, reinstated_on=SIGNED - DAY),
            "a sign-off cannot be reinstated before its suspension starts",
        ),
        (
            lambda: Request(requested_on=SIGNED, decided_on=SIGNED, withdrawn_on=SIGNED),
            "a request is either decided or withdrawn, not both",
        ),
        (
            lambda: Request(requested_on=SIGNED, decided_on=SIGNED - DAY),
            "a request cannot end before it was made",
        ),
        (
            lambda: status_on(history(), SIGNED, due_window_days=-1),
            "the due-for-reassessment window cannot be negative",
        ),
    ],
)
def test_impossible_records_are_refused_saying_what_is_wrong(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        build()
