"""The edges of the standing engine's rules: the first and last day of each grant and
period, the words of each answer where two facts meet, and the values a task is matched on.
Each is something a shift lead reads or a worker is refused on."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from portfolio.core.roles import JobRole
from portfolio.standing.answer import ReasonCode, SignOff
from portfolio.standing.competence import signed_off_text
from portfolio.standing.facts import (
    Basis,
    Ceiling,
    Competence,
    Condition,
    ConditionKind,
    ConditionRule,
    Designation,
    Entitlement,
    EntitlementNeed,
    GrantState,
    ItemRef,
    PatientGroupRule,
    Preceptorship,
    Settings,
    Site,
    TaskContext,
)
from portfolio.standing.rules import standing
from portfolio.standing.terms import DesignationKind, EntitlementKind, Modality, PatientGroup
from tests.factories.histories import SIGNED, history, sign_off
from tests.standing.builders import (
    DAY,
    DIRECT,
    INDIRECT,
    ON,
    REMOTE,
    ap_chest,
    competence,
    exposure,
    item,
    person,
    signed,
)

CHILD = TaskContext(patient_group=PatientGroup.CHILD)
ADULT = TaskContext(patient_group=PatientGroup.ADULT)
SOURCE = Basis("A published standard")


# --- Grants, periods and settings -----------------------------------------------------------


def test_a_grant_is_current_from_its_first_day_through_its_review_day() -> None:
    grant = Entitlement(kind=EntitlementKind.EXPOSURE, granted_on=ON, review_on=ON + 10 * DAY)
    assert grant.state_on(ON - DAY) is GrantState.NOT_YET
    assert grant.state_on(ON) is GrantState.CURRENT
    assert grant.state_on(ON + 10 * DAY) is GrantState.CURRENT
    assert grant.state_on(ON + 11 * DAY) is GrantState.REVIEW_LAPSED
    withdrawn = dataclasses.replace(grant, withdrawn_on=ON + 5 * DAY)
    assert withdrawn.state_on(ON + 4 * DAY) is GrantState.CURRENT
    assert withdrawn.state_on(ON + 5 * DAY) is GrantState.WITHDRAWN


def test_impossible_grants_periods_and_settings_are_refused_in_words() -> None:
    with pytest.raises(
        ValueError, match=r"^a grant cannot be due for review before it is granted$"
    ):
        Designation(kind=DesignationKind.MR_SAFETY_SCREENING, granted_on=ON, review_on=ON - DAY)
    with pytest.raises(ValueError, match=r"^a grant cannot be withdrawn before it is granted$"):
        Designation(kind=DesignationKind.MR_SAFETY_SCREENING, granted_on=ON, withdrawn_on=ON - DAY)
    with pytest.raises(ValueError, match=r"^a preceptorship cannot end before it starts$"):
        Preceptorship(starts_on=ON, ends_on=ON - DAY, preceptor="Alex Morgan")
    with pytest.raises(ValueError, match=r"^the warning window cannot be negative$"):
        Settings(warn_within_days=-1)
    assert Settings(warn_within_days=0).warn_within_days == 0  # warn on the day itself only


def test_a_preceptorship_applies_from_its_first_through_its_last_day_to_its_items() -> None:
    period = Preceptorship(starts_on=ON, ends_on=ON + 30 * DAY, preceptor="Alex Morgan")
    assert [period.applies("AP-CHEST", ON + n * DAY) for n in (-1, 0, 30, 31)] == [
        False,
        True,
        True,
        False,
    ]
    some = dataclasses.replace(period, items=frozenset({"AP-CHEST"}))
    assert some.applies("AP-CHEST", ON)
    assert not some.applies("PAED", ON)


def test_an_entitlement_needed_only_on_radiological_equipment_takes_the_tasks_modality() -> None:
    need = EntitlementNeed(kind=EntitlementKind.EQUIPMENT_QA, basis=SOURCE, task_modality_only=True)
    assert need.for_task(None) is None
    assert need.for_task(TaskContext(room="US 1")) is None
    assert need.for_task(TaskContext(modality=Modality.CT)) == EntitlementNeed(
        kind=EntitlementKind.EQUIPMENT_QA, basis=SOURCE, modality=Modality.CT
    )
    always = EntitlementNeed(kind=EntitlementKind.EXPOSURE, basis=SOURCE)
    assert always.for_task(None) is always


# --- Conditions and tasks ---------------------------------------------------------------------


def test_a_task_gives_a_value_for_each_kind_of_condition_and_none_where_it_says_nothing() -> None:
    task = TaskContext(
        patient_group=PatientGroup.CHILD,
        room="Room 2",
        equipment="Mobile 4",
        site=Site("NORTH", "North Hospital"),
        modality=Modality.FLUOROSCOPY,
    )
    assert [task.value_for(kind) for kind in ConditionKind] == [
        "child",
        "Room 2",
        "Mobile 4",
        "NORTH",
        "fluoroscopy",
        None,  # a note is matched against nothing
    ]
    assert [TaskContext().value_for(kind) for kind in ConditionKind] == [None] * 6


def test_an_excluding_condition_admits_every_task_but_those_it_names() -> None:
    not_children = Condition(
        ConditionKind.PATIENT_GROUP, frozenset({"child"}), "Not children", excluded=True
    )
    assert not not_children.admits(CHILD)
    assert not_children.admits(ADULT)
    assert not_children.admits(TaskContext())
    adults_only = Condition(ConditionKind.PATIENT_GROUP, frozenset({"adult"}), "Adults only")
    assert adults_only.admits(ADULT)
    assert not adults_only.admits(CHILD)
    capped = Condition(ConditionKind.PATIENT_GROUP, frozenset({"child"}), "Direct", DIRECT)
    assert capped.admits(CHILD)  # a level caps supervision; it never refuses the task


def test_a_framework_condition_with_a_level_keeps_the_level() -> None:
    rule = ConditionRule(
        code="direct-children",
        label="Direct supervision when imaging children",
        patient_groups=frozenset({PatientGroup.CHILD}),
        supervision=DIRECT,
    )
    assert rule.structured() == Condition(
        ConditionKind.PATIENT_GROUP,
        frozenset({"child"}),
        "Direct supervision when imaging children",
        DIRECT,
    )
    note = ConditionRule(code="calm", label="Co-operative patients only")
    assert note.structured() == Condition(ConditionKind.NOTE, frozenset(), note.label)


def test_a_restriction_with_a_level_caps_the_task_it_matches_and_says_which() -> None:
    adults_direct = Condition(
        ConditionKind.PATIENT_GROUP,
        frozenset({"adult"}),
        "Direct supervision for Adults on the ward",
        DIRECT,
    )
    held = Competence(
        competence(history(sign_off(supervision=INDIRECT))).status, restrictions=(adults_direct,)
    )
    result = standing(ap_chest(competence={"AP-CHEST": held}), item("AP-CHEST"), ON, ADULT)
    assert result.may
    assert result.supervision is DIRECT
    assert result.reasons[-1].code is ReasonCode.ABOVE_CEILING_CAPPED
    assert result.reasons[-1].text == (
        "Recorded as indirect supervision; at most direct supervision for direct supervision "
        "for adults on the ward (a condition of the sign-off)"
    )


# --- The words of an answer -------------------------------------------------------------------


def test_the_sign_off_line_names_assessor_kind_of_record_and_countersignature() -> None:
    full = SignOff(
        decision_id=1,
        observed_on=SIGNED,
        assessor="Sam Okafor",
        countersigner="Priya Patel",
        countersigned_on=SIGNED + 7 * DAY,
        expires_on=None,
        note="transcribed record",
    )
    assert signed_off_text(full) == (
        "Signed off on 2 March 2026 by Sam Okafor (transcribed record), countersigned by "
        "Priya Patel on 9 March 2026"
    )
    unnamed = dataclasses.replace(full, assessor=None, countersigner=None, note=None)
    assert signed_off_text(unnamed) == "Signed off on 2 March 2026, countersigned on 9 March 2026"


def test_a_transcribed_sign_off_says_so_in_the_answer() -> None:
    held = signed(transcribed=True)
    result = standing(ap_chest(competence={"AP-CHEST": held}), item("AP-CHEST"), ON)
    assert result.sign_off is not None
    assert result.sign_off.note == "transcribed record"
    assert result.summary.startswith(
        "Signed off on 2 March 2026 by Sam Okafor (transcribed record), valid until"
    )


def test_the_refusal_names_the_grant_that_explains_it() -> None:
    """The latest grant begun by the date (one begun that very day included), else the
    earliest still to come; withdrawn only when it was, lapsed only when it did."""
    chest = item("AP-CHEST")

    def refusal(*grants: Entitlement) -> str:
        return standing(ap_chest(entitlements=grants), chest, ON).reasons[0].text

    old = exposure(granted=ON - 100 * DAY, review=None, withdrawn=ON - 50 * DAY)
    today = exposure(granted=ON, review=None, withdrawn=ON)
    assert refusal(old, today).endswith(f"was withdrawn on {_long(ON)}")
    later, sooner = exposure(granted=ON + 20 * DAY), exposure(granted=ON + 10 * DAY)
    assert refusal(later, sooner).endswith(f"yet: granted from {_long(ON + 10 * DAY)}")
    lapsed = exposure(granted=ON - 100 * DAY, review=ON - 10 * DAY, withdrawn=ON + 10 * DAY)
    assert refusal(lapsed).endswith(f"lapsed: its review was due by {_long(ON - 10 * DAY)}")


def test_a_designation_still_to_come_is_not_called_lapsed() -> None:
    coming = Designation(
        kind=DesignationKind.MR_AUTHORISED_PERSON,
        granted_on=ON + 5 * DAY,
        review_on=ON + 300 * DAY,
        withdrawn_on=ON + 400 * DAY,
    )
    screened = Designation(kind=DesignationKind.MR_SAFETY_SCREENING, granted_on=SIGNED)
    worker = person(
        JobRole.SCSW,
        competence={"MR-COILS": signed(), "MR-SAFETY": signed()},
        designations=(coming, screened),
    )
    result = standing(worker, item("MR-COILS"), ON)
    assert result.codes == (ReasonCode.NOT_MR_AUTHORISED,)
    assert result.reasons[0].text.endswith(f"yet: granted from {_long(ON + 5 * DAY)}")


def test_qa_equipment_is_narrowed_by_an_equipment_qa_entitlement_only() -> None:
    """An exposure entitlement for any modality says nothing about QA of the equipment."""
    any_exposure = Entitlement(kind=EntitlementKind.EXPOSURE, granted_on=SIGNED)
    scsw = person(JobRole.SCSW, competence={"SCSW-QA": signed()}, entitlements=(any_exposure,))
    (condition,) = standing(scsw, item("SCSW-QA"), ON).conditions
    assert condition.kind is ConditionKind.MODALITY
    assert condition.values == frozenset(m.value for m in Modality)


# --- Ceilings and patient groups --------------------------------------------------------------


def _with(code: str, **fields: object) -> object:
    return dataclasses.replace(item(code), **fields)  # type: ignore[arg-type]


def test_a_trainee_or_preceptee_ceiling_names_them_so_in_the_capped_reason() -> None:
    trainee_only = Ceiling(at_most=DIRECT, basis=SOURCE, trainee=True)
    chest = _with("AP-CHEST", ceilings=(trainee_only,), patient_groups=())
    held = {"AP-CHEST": signed(supervision=REMOTE)}
    result = standing(ap_chest(competence=held, trainee=True), chest, ON)  # type: ignore[arg-type]
    assert result.supervision is DIRECT
    ours = [r.text for r in result.reasons if r.text.endswith("(A published standard)")]
    assert ours == [
        "Recorded as remote supervision; at most direct supervision for a trainee in "
        f"{item('AP-CHEST').title.lower()} (A published standard)"
    ]
    preceptee_only = Ceiling(at_most=INDIRECT, basis=SOURCE, preceptee=True)
    chest = _with("AP-CHEST", ceilings=(preceptee_only,), patient_groups=())
    period = Preceptorship(starts_on=ON, ends_on=ON + DAY, preceptor="Alex Morgan", ceiling=REMOTE)
    result = standing(
        ap_chest(competence=held, preceptorships=(period,)),
        chest,
        ON,  # type: ignore[arg-type]
    )
    assert any(
        f"indirect supervision for a preceptee in {item('AP-CHEST').title.lower()} (A" in r.text
        for r in result.reasons
    )


def test_a_patient_group_ceiling_applied_to_the_task_names_whom_it_is_for() -> None:
    children = Ceiling(at_most=DIRECT, basis=SOURCE, patient_group=PatientGroup.CHILD)
    chest = _with("AP-CHEST", ceilings=(children,), patient_groups=())
    held = {"AP-CHEST": signed(supervision=INDIRECT, conditions=())}
    result = standing(ap_chest(competence=held), chest, ON, CHILD)  # type: ignore[arg-type]
    assert result.supervision is DIRECT
    title = item("AP-CHEST").title.lower()
    assert result.reasons[-1].text == (
        "Recorded as indirect supervision; at most direct supervision for an assistant "
        f"practitioner imaging children in {title} (A published standard)"
    )


def test_a_patient_group_ceiling_is_offered_as_a_condition_unless_the_group_is_excluded() -> None:
    children = Ceiling(at_most=DIRECT, basis=SOURCE, patient_group=PatientGroup.CHILD)
    chest = _with("AP-CHEST", ceilings=(children,), patient_groups=())
    adults_only = Condition(
        ConditionKind.PATIENT_GROUP, frozenset({"child"}), "Not children", excluded=True
    )
    other_room = Condition(ConditionKind.ROOM, frozenset({"child"}), "Room child", excluded=True)
    for restrictions, offered in (((adults_only,), False), ((other_room,), True), ((), True)):
        held = Competence(competence(history(sign_off())).status, restrictions=restrictions)
        result = standing(ap_chest(competence={"AP-CHEST": held}), chest, ON)  # type: ignore[arg-type]
        labels = [c.label for c in result.conditions]
        assert ("Direct supervision when imaging children" in labels) is offered, restrictions


def test_the_two_associate_model_without_a_site_says_none_is_recorded() -> None:
    worker = person(
        JobRole.MA,
        competence={"MAMMO-2V": signed(supervision=REMOTE)},
        entitlements=(exposure("two-view-mammography", Modality.MAMMOGRAPHY),),
    )
    mammo = item("MAMMO-2V")
    (reason,) = standing(worker, mammo, ON).reasons
    assert reason.code is ReasonCode.SITE_NOT_QUALIFYING
    assert reason.text == (
        "Recorded as remote supervision; at most indirect supervision for a mammography "
        f"associate in {mammo.title.lower()}: remote supervision only at a site qualifying for "
        "the two-associate model, and no qualifying site is recorded for the task "
        f"({mammo.ceilings[0].basis.label})"
    )


def test_a_patient_group_needing_two_competencies_names_both_and_its_own_code() -> None:
    rule = PatientGroupRule(
        group=PatientGroup.ADULT,
        job_roles=frozenset({JobRole.AP}),
        requires=(ItemRef("PAED", "Paediatrics"), ItemRef("CORE-BLS", "Basic life support")),
        basis=SOURCE,
    )
    chest = _with("AP-CHEST", patient_groups=(rule,))
    result = standing(ap_chest(), chest, ON, ADULT)  # type: ignore[arg-type]
    assert result.codes == (ReasonCode.CONDITION_NOT_MET,)
    assert result.reasons[0].text == (
        "This task is for adults: that needs Paediatrics (PAED) and Basic life support "
        "(CORE-BLS) current (A published standard)"
    )


def _long(day: dt.date) -> str:
    from portfolio.core.clock import long_date

    return long_date(day)


def test_two_lapsed_prerequisites_are_both_named_in_the_one_shared_status() -> None:
    worker = person(JobRole.SCSW, competence={"CANN": signed()})
    result = standing(worker, item("CANN"), ON)
    assert result.codes == (ReasonCode.PREREQUISITE_LAPSED, ReasonCode.PREREQUISITE_LAPSED)
    names = [ref.name for ref in item("CANN").prerequisites]
    assert result.shown.text == (
        f"Competent, prerequisite lapsed ({names[0]}: not started; {names[1]}: not started)"
    )
