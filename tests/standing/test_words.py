"""The engine's words for each status that does not let someone practise (`why_not`, with and
without the sign-off it rests on), a sign-off that does not count outside the scope, the
remedy of a waiting request, and the trainee's ceiling: what a shift lead reads out."""

from __future__ import annotations

import dataclasses
import datetime as dt

from portfolio.core.roles import JobRole
from portfolio.standing.answer import ReasonCode, SignOff
from portfolio.standing.competence import why_not
from portfolio.standing.facts import Basis, Ceiling, TaskContext
from portfolio.standing.rules import standing
from portfolio.standing.status import Request, Revocation, SupervisionLevel, Suspension, status_on
from portfolio.standing.supervision import above_ceiling, ceiling_for
from portfolio.standing.terms import DesignationKind, PatientGroup
from tests.factories.histories import history, not_yet, sign_off
from tests.standing.builders import (
    ON,
    REMOTE,
    ap_chest,
    competence,
    designation,
    item,
    person,
    signed,
)

SAM = SignOff(
    decision_id=1,
    observed_on=dt.date(2026, 3, 2),
    assessor="Sam Okafor",
    countersigner=None,
    countersigned_on=None,
    expires_on=dt.date(2027, 3, 1),
    note=None,
)


def _status(*decisions: object, **kwargs: object) -> object:
    return status_on(history(*decisions, **kwargs), ON, with_since=False)  # type: ignore[arg-type]


def test_each_status_in_words_without_the_sign_off_it_rests_on() -> None:
    revoked = _status(
        sign_off(1), revocations=(Revocation(decision_id=1, revoked_on=dt.date(2026, 4, 1)),)
    )
    assert why_not(revoked) == "Revoked on 1 April 2026"  # type: ignore[arg-type]
    suspended = _status(
        sign_off(1), suspensions=(Suspension(decision_id=1, starts_on=dt.date(2026, 4, 1)),)
    )
    assert why_not(suspended) == "Suspended since 1 April 2026"  # type: ignore[arg-type]
    expired = _status(sign_off(1, expires=dt.date(2026, 4, 30)))
    assert why_not(expired) == (  # type: ignore[arg-type]
        "Expired on 1 May 2026: valid until 30 April 2026"
    )
    waiting = _status(sign_off(1, countersignature_required=True))
    assert why_not(waiting) == (  # type: ignore[arg-type]
        "Signed off; awaiting countersignature by a practice educator"
    )
    brought_in = _status(sign_off(1, acceptance_required=True, accepted=None))
    assert why_not(brought_in) == (  # type: ignore[arg-type]
        "Signed off by a previous employer; not yet accepted here"
    )
    assert why_not(_status(not_yet(9))) == "Assessed as not yet competent on 2 March 2026"  # type: ignore[arg-type]
    asked = _status(requests=(Request(requested_on=dt.date(2026, 5, 1)),))
    assert why_not(asked) == (  # type: ignore[arg-type]
        "Sign-off requested on 1 May 2026; awaiting an assessor's decision"
    )


def test_each_status_in_words_with_the_sign_off_it_rests_on() -> None:
    revoked = _status(
        sign_off(1), revocations=(Revocation(decision_id=1, revoked_on=dt.date(2026, 4, 1)),)
    )
    assert why_not(revoked, SAM) == (  # type: ignore[arg-type]
        "Revoked on 1 April 2026; signed off on 2 March 2026 by Sam Okafor"
    )
    brought_in = _status(sign_off(1, acceptance_required=True, accepted=None))
    assert why_not(brought_in, SAM) == (  # type: ignore[arg-type]
        "Signed off on 2 March 2026 by Sam Okafor; not yet accepted here"
    )
    noted = dataclasses.replace(SAM, note="previous employer's record, awaiting acceptance")
    assert why_not(brought_in, noted) == (  # type: ignore[arg-type]
        "Signed off on 2 March 2026 by Sam Okafor (previous employer's record, awaiting acceptance)"
    )
    assert why_not(_status(not_yet(9)), SAM) == (  # type: ignore[arg-type]
        "Assessed as not yet competent on 2 March 2026 by Sam Okafor"
    )
    nameless = dataclasses.replace(SAM, assessor=None)
    assert why_not(_status(not_yet(9)), nameless) == (  # type: ignore[arg-type]
        "Assessed as not yet competent on 2 March 2026"
    )


def test_outside_the_scope_a_sign_off_in_force_is_said_not_to_count_and_an_expired_one_not() -> (
    None
):
    in_force = person(JobRole.CSW, competence={"AP-CHEST": signed()}, scope=())
    result = standing(in_force, item("AP-CHEST"), ON)
    assert result.in_scope is False
    [reason] = [r for r in result.reasons if r.code is ReasonCode.NOT_IN_SCOPE]
    assert reason.text.endswith(
        "; their sign-off does not count: signed off on 2 March 2026 by Sam Okafor"
    )
    lapsed = competence(history(sign_off(1, expires=dt.date(2026, 4, 30))))
    expired = person(JobRole.CSW, competence={"AP-CHEST": lapsed}, scope=())
    [reason] = [
        r
        for r in standing(expired, item("AP-CHEST"), ON).reasons
        if r.code is ReasonCode.NOT_IN_SCOPE
    ]
    assert reason.text.endswith(f"their job role on {ON.day} June 2026")
    assert "does not count" not in reason.text


def test_a_waiting_request_names_its_day_in_the_remedy() -> None:
    asked = competence(history(requests=(Request(requested_on=dt.date(2026, 5, 1)),)))
    result = standing(person(competence={"AP-CHEST": asked}), item("AP-CHEST"), ON)
    [reason] = [r for r in result.reasons if r.code is ReasonCode.AWAITING_SIGN_OFF]
    assert reason.remedy == "An assessor's decision on the request made on 1 May 2026"
    # An expired sign-off with its renewal asked for: the request is what will remove it.
    renewal = (Request(requested_on=dt.date(2026, 5, 20)),)
    lapsed = competence(history(sign_off(1, expires=dt.date(2026, 4, 30)), requests=renewal))
    result = standing(person(competence={"AP-CHEST": lapsed}), item("AP-CHEST"), ON)
    [reason] = [r for r in result.reasons if r.code is ReasonCode.EXPIRED]
    assert reason.remedy == "An assessor's decision on the request made on 20 May 2026"
    expired = competence(history(sign_off(1, expires=dt.date(2026, 4, 30))))
    result = standing(person(competence={"AP-CHEST": expired}), item("AP-CHEST"), ON)
    [reason] = [r for r in result.reasons if r.code is ReasonCode.EXPIRED]
    assert reason.remedy == "Reassessment by an eligible assessor"


def test_a_trainees_ceiling_on_an_entitled_task_is_named_as_a_trainees() -> None:
    ceiling = ceiling_for(ap_chest(trainee=True), item("AP-CHEST"), ON)
    assert ceiling is not None
    assert ceiling.what == "a trainee"
    refused = above_ceiling(REMOTE, ceiling)
    assert refused is not None
    assert refused.startswith(
        "Remote supervision is above the ceiling: at most direct supervision for a trainee (IR(ME)R"
    )


def test_one_reason_in_the_way_is_the_whole_summary_and_more_are_counted() -> None:
    result = standing(ap_chest(entitlements=()), item("AP-CHEST"), ON)
    assert result.code == "AP-CHEST"
    assert result.summary == result.blocking[0].text
    nothing = standing(person(JobRole.AP), item("AP-CHEST"), ON)
    more = len(nothing.blocking) - 1
    assert more >= 1
    assert nothing.summary == f"{nothing.blocking[0].text} (and {more} more)"


def test_each_designation_an_item_needs_is_checked_after_one_that_is_current() -> None:
    held = {"MR-COILS": signed(), "MR-SAFETY": signed()}
    authorised = designation(DesignationKind.MR_AUTHORISED_PERSON)
    result = standing(person(competence=held, designations=(authorised,)), item("MR-COILS"), ON)
    assert result.codes == (ReasonCode.NOT_MR_SCREENED,)


def test_a_rule_for_another_job_role_listed_first_does_not_hide_the_next() -> None:
    chest = item("AP-CHEST")
    other = Ceiling(
        at_most=SupervisionLevel.DIRECT, basis=Basis("local"), job_roles=frozenset({JobRole.CSW})
    )
    csw_first = dataclasses.replace(
        chest,
        ceilings=(other, *chest.ceilings),
        patient_groups=(
            dataclasses.replace(chest.patient_groups[0], job_roles=frozenset({JobRole.CSW})),
            *chest.patient_groups,
        ),
    )
    remote = ap_chest(competence={"AP-CHEST": signed(supervision=REMOTE)})
    assert standing(remote, csw_first, ON).supervision is SupervisionLevel.INDIRECT
    child = TaskContext(patient_group=PatientGroup.CHILD)
    assert ReasonCode.CHILD_WITHOUT_PAEDIATRICS in standing(remote, csw_first, ON, child).codes
