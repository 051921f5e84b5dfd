"""The standing engine, rule by rule and in combination, over the shipped framework's items.
Each "may not" answer is checked field by field, not only `may`."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from portfolio.core.roles import JobRole
from portfolio.standing.answer import NoticeCode, ReasonCode, Standing
from portfolio.standing.facts import (
    Condition,
    ConditionKind,
    Designation,
    Entitlement,
    Preceptorship,
    Settings,
    Site,
    TaskContext,
)
from portfolio.standing.rules import standing
from portfolio.standing.status import Request, Revocation, Status, Suspension
from portfolio.standing.terms import DesignationKind, EntitlementKind, Modality, PatientGroup
from tests.factories.histories import SIGNED, history, not_yet, sign_off
from tests.standing.builders import (
    DAY,
    DIRECT,
    EXPIRY,
    INDIRECT,
    ON,
    REMOTE,
    ap_chest,
    competence,
    designation,
    exposure,
    item,
    person,
    signed,
)

CHILD = TaskContext(patient_group=PatientGroup.CHILD)
ADULT = TaskContext(patient_group=PatientGroup.ADULT)
NOT_CHILDREN = Condition(
    ConditionKind.PATIENT_GROUP,
    frozenset({"child"}),
    "Not children: that needs Paediatric support and imaging (PAED) current",
    excluded=True,
)
NOTE = Condition(ConditionKind.NOTE, frozenset(), "Non-complex, co-operative patients only")


def assert_may_not(result: Standing, *codes: ReasonCode) -> None:
    assert not result.may
    assert result.label == "May not"
    assert result.codes == codes
    assert (result.supervision, result.conditions, result.valid_until) == (None, (), None)
    assert result.supervision_text == ""
    assert all(reason.blocks for reason in result.reasons)
    assert result.summary.startswith(result.reasons[0].text)


# --- The reckoner's rules -------------------------------------------------------------------


def test_an_entitled_ap_signed_off_may_with_level_conditions_validity_and_sign_off() -> None:
    result = standing(ap_chest(), item("AP-CHEST"), ON)
    assert result.may
    assert result.label == "May"
    assert result.in_scope
    assert result.status is Status.COMPETENT
    assert (result.shown.code, result.shown.text) == ("competent", "Competent")
    assert result.supervision is INDIRECT
    assert result.conditions == (NOTE, NOT_CHILDREN)
    assert result.supervision_text == (
        "Indirect supervision; Non-complex, co-operative patients only; "
        "Not children: that needs Paediatric support and imaging (PAED) current"
    )
    assert result.valid_until == dt.date(2027, 1, 31)  # the entitlement's review, before expiry
    assert result.sign_off is not None
    assert (result.sign_off.observed_on, result.sign_off.assessor) == (SIGNED, "Sam Okafor")
    assert result.sign_off.expires_on == EXPIRY
    assert result.reasons == ()
    assert result.warnings == ()
    assert result.summary == "Signed off on 2 March 2026 by Sam Okafor, valid until 31 January 2027"


def test_no_job_role_on_the_date() -> None:
    result = standing(person(None, competence={"CORE-IG": signed()}), item("CORE-IG"), ON)
    assert_may_not(result, ReasonCode.NO_JOB_ROLE)
    assert not result.in_scope
    assert result.reasons[0].text == (
        "No job role was recorded for them on 1 June 2026, so they had no scope of practice "
        "that day; their sign-off does not count: signed off on 2 March 2026 by Sam Okafor"
    )
    assert result.reasons[0].remedy == "A job role, recorded by an administrator"
    assert result.sign_off is not None  # the sign-off is named even though it does not count


def test_outside_the_scope_of_practice_names_a_trainee_as_a_trainee() -> None:
    someone = person(JobRole.AP, trainee=True, scope=("CORE-IG",), competence={"CANN": signed()})
    result = standing(someone, item("CANN"), ON)
    assert_may_not(
        result,
        ReasonCode.NOT_IN_SCOPE,
        ReasonCode.PREREQUISITE_LAPSED,
        ReasonCode.PREREQUISITE_LAPSED,
    )
    assert result.reasons[0].text == (
        "Not in the scope of practice of a trainee assistant practitioner, their job role on "
        "1 June 2026; their sign-off does not count: signed off on 2 March 2026 by Sam Okafor"
    )


REVOKED = history(sign_off(), revocations=(Revocation(decision_id=1, revoked_on=SIGNED + DAY),))
SUSPENDED = history(
    sign_off(), suspensions=(Suspension(decision_id=1, starts_on=SIGNED + DAY, reason="secret"),)
)


@pytest.mark.parametrize(
    ("record", "code", "text"),
    [
        (
            REVOKED,
            ReasonCode.REVOKED,
            "Revoked on 3 March 2026; signed off on 2 March 2026 by Sam Okafor",
        ),
        (
            SUSPENDED,
            ReasonCode.SUSPENDED,
            "Suspended since 3 March 2026; signed off on 2 March 2026 by Sam Okafor",
        ),
        (
            history(sign_off(expires=ON - DAY)),
            ReasonCode.EXPIRED,
            "Expired on 1 June 2026: valid until 31 May 2026; signed off on 2 March 2026 by "
            "Sam Okafor",
        ),
        (
            history(sign_off(countersignature_required=True)),
            ReasonCode.AWAITING_COUNTERSIGNATURE,
            "Signed off on 2 March 2026 by Sam Okafor; awaiting countersignature by a practice "
            "educator",
        ),
        (
            history(sign_off(acceptance_required=True, transcribed=True)),
            ReasonCode.AWAITING_LOCAL_ACCEPTANCE,
            "Signed off on 2 March 2026 by Sam Okafor (previous employer's record, awaiting local "
            "acceptance)",
        ),
        (
            history(requests=(Request(requested_on=SIGNED),)),
            ReasonCode.AWAITING_SIGN_OFF,
            "Sign-off requested on 2 March 2026; awaiting an assessor's decision",
        ),
        (
            history(not_yet()),
            ReasonCode.NOT_YET_COMPETENT,
            "Assessed as not yet competent on 2 March 2026",
        ),
        (
            history(evidence=(SIGNED,)),
            ReasonCode.IN_PROGRESS,
            "In progress: evidence logged, not yet signed off",
        ),
        (history(), ReasonCode.NOT_STARTED, "Not started: no evidence or sign-off yet"),
    ],
)
def test_each_status_that_stops_practice_has_its_code_and_words(
    record: object, code: ReasonCode, text: str
) -> None:
    someone = ap_chest(competence={"AP-CHEST": competence(record)})  # type: ignore[arg-type]
    result = standing(someone, item("AP-CHEST"), ON)
    assert_may_not(result, code)
    assert result.reasons[0].text == text
    assert "secret" not in result.summary
    assert result.shown.code == result.status.value


def test_an_expired_sign_off_with_a_renewal_waiting_says_so() -> None:
    record = history(sign_off(expires=ON - DAY), requests=(Request(requested_on=ON - DAY),))
    result = standing(ap_chest(competence={"AP-CHEST": competence(record)}), item("AP-CHEST"), ON)
    assert result.reasons[0].text.endswith("; a renewal is awaiting a decision")


def test_not_yet_competent_names_no_sign_off_and_others_name_it() -> None:
    nyc = standing(
        ap_chest(competence={"AP-CHEST": competence(history(not_yet()))}), item("AP-CHEST"), ON
    )
    assert nyc.sign_off is None
    suspended = standing(
        ap_chest(competence={"AP-CHEST": competence(SUSPENDED)}), item("AP-CHEST"), ON
    )
    assert suspended.sign_off is not None
    assert suspended.sign_off.decision_id == 1


def test_a_lapsed_prerequisite_gives_the_one_shared_status() -> None:
    bls = competence(history(sign_off(expires=ON - 10 * DAY)))
    someone = person(
        JobRole.SCSW, competence={"CANN": signed(), "ANTT": signed(expires=None), "CORE-BLS": bls}
    )
    result = standing(someone, item("CANN"), ON)
    assert_may_not(result, ReasonCode.PREREQUISITE_LAPSED)
    assert result.status is Status.COMPETENT
    assert result.shown.code == "competent_prerequisite_lapsed"
    assert result.shown.text == (
        "Competent, prerequisite lapsed (Basic life support (CORE-BLS) expired on 23 May 2026)"
    )
    assert result.reasons[0].text == (
        "Prerequisite not current: Basic life support (CORE-BLS) expired on 23 May 2026"
    )
    assert result.reasons[0].remedy == "A current sign-off in Basic life support (CORE-BLS)"


@pytest.mark.parametrize(
    ("record", "words"),
    [
        (SUSPENDED, "Basic life support (CORE-BLS) suspended since 3 March 2026"),
        (REVOKED, "Basic life support (CORE-BLS) revoked on 3 March 2026"),
        (history(), "Basic life support (CORE-BLS): not started"),
    ],
)
def test_each_kind_of_prerequisite_lapse_is_named(record: object, words: str) -> None:
    someone = person(
        JobRole.SCSW,
        competence={
            "CANN": signed(),
            "ANTT": signed(expires=None),
            "CORE-BLS": competence(record),  # type: ignore[arg-type]
        },
    )
    result = standing(someone, item("CANN"), ON)
    assert result.shown.text == f"Competent, prerequisite lapsed ({words})"


def test_a_due_sign_off_with_a_lapsed_prerequisite_shares_the_status_too() -> None:
    due = signed(expires=ON + 10 * DAY)
    someone = person(JobRole.SCSW, competence={"CANN": due, "ANTT": signed(expires=None)})
    result = standing(someone, item("CANN"), ON)
    assert result.shown.code == "due_for_reassessment_prerequisite_lapsed"
    assert result.shown.text.startswith("Due for reassessment, prerequisite lapsed (")


def test_current_prerequisites_bound_valid_until_and_warn_before_they_end() -> None:
    someone = person(
        JobRole.SCSW,
        competence={
            "CANN": signed(supervision=REMOTE, conditions=("Adults only",)),
            "ANTT": signed(expires=None),
            "CORE-BLS": signed(expires=ON + 5 * DAY),
        },
    )
    result = standing(someone, item("CANN"), ON)
    assert result.may
    assert result.valid_until == ON + 5 * DAY
    assert [w.code for w in result.warnings] == [NoticeCode.PREREQUISITE_EXPIRING_SOON]
    assert result.warnings[0].text == (
        "Prerequisite Basic life support (CORE-BLS) expires after 6 June 2026"
    )
    adults = Condition(ConditionKind.PATIENT_GROUP, frozenset({"adult"}), "Adults only")
    assert result.conditions == (adults,)
    assert standing(someone, item("CANN"), ON, CHILD).codes == (ReasonCode.CONDITION_NOT_MET,)
    assert standing(someone, item("CANN"), ON, ADULT).may


# --- Entitlements (E7, E9, E10) -------------------------------------------------------------


def test_no_entitlement_stops_an_exposure_and_names_what_is_needed() -> None:
    result = standing(ap_chest(entitlements=()), item("AP-CHEST"), ON)
    assert_may_not(result, ReasonCode.NO_ENTITLEMENT)
    assert result.reasons[0].text.startswith(
        "No IR(ME)R operator entitlement for exposure (general radiography: chest) (UK Government"
    )
    assert result.status is Status.COMPETENT
    # Competent, and every view says what is missing, without the source.
    assert result.shown.code == "competent_not_entitled"
    assert result.shown.text == (
        "Competent, not entitled (No IR(ME)R operator entitlement for exposure "
        "(general radiography: chest))"
    )
    assert not result.shown.lapsed


@pytest.mark.parametrize(
    ("entitlement", "code", "text"),
    [
        (
            exposure(review=ON - DAY),
            ReasonCode.ENTITLEMENT_EXPIRED,
            "The IR(ME)R operator entitlement for exposure (general radiography: chest) lapsed: "
            "its review was due by 31 May 2026",
        ),
        (
            exposure(withdrawn=ON),
            ReasonCode.ENTITLEMENT_WITHDRAWN,
            "The IR(ME)R operator entitlement for exposure (general radiography: chest) was "
            "withdrawn on 1 June 2026",
        ),
        (
            exposure(granted=ON + DAY),
            ReasonCode.NO_ENTITLEMENT,
            "No IR(ME)R operator entitlement for exposure (general radiography: chest) yet: "
            "granted from 2 June 2026",
        ),
    ],
)
def test_an_entitlement_that_is_not_current_says_why(
    entitlement: Entitlement, code: ReasonCode, text: str
) -> None:
    result = standing(ap_chest(entitlements=(entitlement,)), item("AP-CHEST"), ON)
    assert_may_not(result, code)
    assert result.reasons[0].text == text


def test_the_entitlement_must_cover_the_examination_and_modality() -> None:
    for other in (
        exposure("appendicular-skeleton"),
        exposure(modality=Modality.MAMMOGRAPHY),
        dataclasses.replace(exposure(), kind=EntitlementKind.IMAGE_PROCESSING),
    ):
        result = standing(ap_chest(entitlements=(other,)), item("AP-CHEST"), ON)
        assert result.codes == (ReasonCode.NO_ENTITLEMENT,)
    any_modality = dataclasses.replace(exposure(), modality=None)
    assert standing(ap_chest(entitlements=(any_modality,)), item("AP-CHEST"), ON).may


def test_the_latest_grant_explains_a_refusal_and_any_current_one_allows() -> None:
    old = exposure(granted=SIGNED - 300 * DAY, review=SIGNED - 10 * DAY)
    withdrawn = exposure(withdrawn=ON - DAY)
    result = standing(ap_chest(entitlements=(old, withdrawn)), item("AP-CHEST"), ON)
    assert result.codes == (ReasonCode.ENTITLEMENT_WITHDRAWN,)
    open_ended = exposure(review=None)
    both = standing(ap_chest(entitlements=(withdrawn, open_ended)), item("AP-CHEST"), ON)
    assert both.may
    assert both.valid_until == EXPIRY
    two = (exposure(review=ON + 20 * DAY), exposure(review=ON + 40 * DAY))
    assert standing(ap_chest(entitlements=two), item("AP-CHEST"), ON).valid_until == ON + 40 * DAY


def test_an_entitlement_due_for_review_soon_warns() -> None:
    soon = standing(ap_chest(entitlements=(exposure(review=ON + 7 * DAY),)), item("AP-CHEST"), ON)
    assert soon.may
    assert soon.valid_until == ON + 7 * DAY
    assert [(w.code, w.text) for w in soon.warnings] == [
        (
            NoticeCode.ENTITLEMENT_REVIEW_SOON,
            "The IR(ME)R operator entitlement for exposure (general radiography: chest) is due "
            "for review by 8 June 2026",
        )
    ]
    later = standing(ap_chest(entitlements=(exposure(review=ON + 8 * DAY),)), item("AP-CHEST"), ON)
    assert later.warnings == ()
    wide = standing(
        ap_chest(entitlements=(exposure(review=ON + 8 * DAY),)),
        item("AP-CHEST"),
        ON,
        settings=Settings(warn_within_days=8),
    )
    assert [w.code for w in wide.warnings] == [NoticeCode.ENTITLEMENT_REVIEW_SOON]


def qa_entitlement(modality: Modality | None) -> Entitlement:
    return Entitlement(kind=EntitlementKind.EQUIPMENT_QA, modality=modality, granted_on=SIGNED)


def test_qa_needs_an_entitlement_only_on_radiological_equipment() -> None:
    scsw = person(JobRole.SCSW, competence={"SCSW-QA": signed()})
    plain = standing(scsw, item("SCSW-QA"), ON)
    assert plain.may
    (condition,) = plain.conditions
    assert condition.kind is ConditionKind.MODALITY
    assert condition.excluded
    assert condition.values == frozenset(m.value for m in Modality)
    assert condition.label.startswith("Not on radiological equipment (CT, DXA, fluoroscopy")
    fluoro = TaskContext(modality=Modality.FLUOROSCOPY)
    assert standing(scsw, item("SCSW-QA"), ON, fluoro).codes == (ReasonCode.NO_ENTITLEMENT,)
    assert standing(scsw, item("SCSW-QA"), ON, TaskContext(room="US 1")).may
    entitled = dataclasses.replace(scsw, entitlements=(qa_entitlement(Modality.FLUOROSCOPY),))
    assert standing(entitled, item("SCSW-QA"), ON, fluoro).may
    xray = TaskContext(modality=Modality.GENERAL_RADIOGRAPHY)
    assert standing(entitled, item("SCSW-QA"), ON, xray).codes == (ReasonCode.NO_ENTITLEMENT,)
    narrowed = standing(entitled, item("SCSW-QA"), ON).conditions[0]
    assert "fluoroscopy" not in narrowed.values
    assert "ct" in narrowed.values
    everywhere = dataclasses.replace(scsw, entitlements=(qa_entitlement(None),))
    assert standing(everywhere, item("SCSW-QA"), ON).conditions == ()


def test_patient_identification_entitlement_is_a_local_switch() -> None:
    from portfolio.standing.items import item_facts
    from tests.standing.builders import FRAMEWORK

    core_id = next(c for c in FRAMEWORK.competencies if c.code == "CORE-ID")
    titles: dict[str, str] = {}
    assert item_facts(core_id, titles=titles, sources={}).entitlement is None
    on = item_facts(core_id, titles=titles, sources={}, switched_on={"CORE-ID"})
    assert on.entitlement is not None
    assert on.entitlement.basis.local
    assert on.entitlement.basis.label.startswith("set by your trust: Who identifies the patient")
    csw = person(JobRole.CSW, competence={"CORE-ID": signed()})
    assert standing(csw, on, ON).codes == (ReasonCode.NO_ENTITLEMENT,)


# --- Trainees (E8) --------------------------------------------------------------------------


def test_a_trainee_without_an_entitlement_is_not_an_operator() -> None:
    result = standing(ap_chest(trainee=True, entitlements=()), item("AP-CHEST"), ON)
    assert_may_not(result, ReasonCode.TRAINEE_NOT_OPERATOR)
    assert result.reasons[0].text == (
        "Trainee without an IR(ME)R operator entitlement for exposure (general radiography: "
        "chest): not an operator, so they may take part only as practical training under the "
        "direct supervision of an entitled operator"
    )


def test_an_entitled_trainee_is_capped_at_direct_and_told_why() -> None:
    result = standing(ap_chest(trainee=True), item("AP-CHEST"), ON)
    assert result.may
    assert result.supervision is DIRECT
    assert result.codes == (ReasonCode.ABOVE_CEILING_CAPPED,)
    assert not result.reasons[0].blocks
    assert result.reasons[0].remedy is None
    assert result.reasons[0].text.startswith(
        "Recorded as indirect supervision; at most direct supervision for a trainee (IR(ME)R "
        "2017 reg 2"
    )


def test_a_trainee_on_a_task_without_entitlement_is_not_capped_by_the_law() -> None:
    someone = person(JobRole.SCSW, trainee=True, competence={"CORE-IG": signed(supervision=REMOTE)})
    result = standing(someone, item("CORE-IG"), ON)
    assert result.may
    assert result.supervision is REMOTE
    assert result.reasons == ()


# --- Ceilings (E5, E6, E12) -----------------------------------------------------------------


def test_ap_imaging_recorded_remote_is_capped_at_indirect_with_the_source() -> None:
    result = standing(
        ap_chest(competence={"AP-CHEST": signed(supervision=REMOTE)}), item("AP-CHEST"), ON
    )
    assert result.may
    assert result.supervision is INDIRECT
    assert result.codes == (ReasonCode.ABOVE_CEILING_CAPPED,)
    assert result.reasons[0].text.startswith(
        "Recorded as remote supervision; at most indirect supervision for an assistant "
        "practitioner in chest radiography to protocol (Society of Radiographers, Scope of "
        "practice of assistant practitioners"
    )


def test_a_level_within_the_ceiling_or_none_recorded_is_not_reported_as_capped() -> None:
    direct = standing(
        ap_chest(competence={"AP-CHEST": signed(supervision=DIRECT)}), item("AP-CHEST"), ON
    )
    assert direct.supervision is DIRECT
    assert direct.reasons == ()
    unset = standing(
        ap_chest(competence={"AP-CHEST": signed(supervision=None)}), item("AP-CHEST"), ON
    )
    assert unset.supervision is INDIRECT
    assert unset.reasons == ()


def test_a_child_on_an_ap_examination_needs_paediatrics() -> None:
    result = standing(ap_chest(), item("AP-CHEST"), ON, CHILD)
    assert_may_not(result, ReasonCode.CHILD_WITHOUT_PAEDIATRICS)
    assert result.reasons[0].text.startswith(
        "This task is for children: that needs Paediatric support and imaging (PAED) current "
        "(Society of Radiographers (SoR/APR)"
    )
    assert standing(ap_chest(), item("AP-CHEST"), ON, ADULT).may


def test_with_paediatrics_current_an_ap_images_a_child_under_direct_supervision() -> None:
    someone = ap_chest(competence={"PAED": signed(supervision=DIRECT, expires=ON + 100 * DAY)})
    child = standing(someone, item("AP-CHEST"), ON, CHILD)
    assert child.may
    assert child.supervision is DIRECT
    assert child.valid_until == ON + 100 * DAY
    assert child.codes == (ReasonCode.ABOVE_CEILING_CAPPED,)
    assert "imaging children" in child.reasons[0].text
    general = standing(someone, item("AP-CHEST"), ON)
    assert general.supervision is INDIRECT
    assert general.conditions == (
        NOTE,
        Condition(
            ConditionKind.PATIENT_GROUP,
            frozenset({"child"}),
            "Direct supervision when imaging children",
            DIRECT,
        ),
    )
    adult = standing(someone, item("AP-CHEST"), ON, ADULT)
    assert adult.valid_until == dt.date(2027, 1, 31)  # paediatrics does not bound adult work


def test_a_sign_off_that_says_adults_only_stays_adults_only_with_paediatrics() -> None:
    someone = ap_chest(
        competence={"AP-CHEST": signed(conditions=("Adults only",)), "PAED": signed()}
    )
    result = standing(someone, item("AP-CHEST"), ON, CHILD)
    assert_may_not(result, ReasonCode.CONDITION_NOT_MET)
    assert result.reasons[0].text == "Adults only: not this task"


def test_ap_paediatrics_is_always_direct() -> None:
    someone = person(
        JobRole.AP,
        competence={"PAED": signed(supervision=REMOTE), "CORE-SAFEG": signed(expires=None)},
    )
    result = standing(someone, item("PAED"), ON)
    assert result.may
    assert result.supervision is DIRECT
    assert result.codes == (ReasonCode.ABOVE_CEILING_CAPPED,)
    child = standing(someone, item("PAED"), ON, CHILD)
    assert child.supervision is DIRECT


def ma(site: Site | None = None) -> object:
    return person(
        JobRole.MA,
        competence={"MAMMO-2V": signed(supervision=REMOTE)},
        entitlements=(exposure("two-view-mammography", Modality.MAMMOGRAPHY),),
        site=site,
    )


QUALIFYING = Site("van-2", "Mobile unit 2", two_ma_remote_model=True)
ORDINARY = Site("bh", "Breast unit, Base Hospital")


def test_the_two_associate_remote_model_only_at_a_qualifying_site() -> None:
    at_site = standing(ma(QUALIFYING), item("MAMMO-2V"), ON)  # type: ignore[arg-type]
    assert at_site.may
    assert at_site.supervision is REMOTE
    assert at_site.reasons == ()
    elsewhere = standing(ma(ORDINARY), item("MAMMO-2V"), ON)  # type: ignore[arg-type]
    assert elsewhere.may
    assert elsewhere.supervision is INDIRECT
    assert elsewhere.codes == (ReasonCode.SITE_NOT_QUALIFYING,)
    assert "Breast unit, Base Hospital is not recorded as qualifying" in elsewhere.reasons[0].text
    unknown = standing(ma(), item("MAMMO-2V"), ON)  # type: ignore[arg-type]
    assert unknown.supervision is INDIRECT
    assert "no qualifying site is recorded for the task" in unknown.reasons[0].text
    moved = standing(ma(QUALIFYING), item("MAMMO-2V"), ON, TaskContext(site=ORDINARY))  # type: ignore[arg-type]
    assert moved.supervision is INDIRECT
    there = standing(ma(ORDINARY), item("MAMMO-2V"), ON, TaskContext(site=QUALIFYING))  # type: ignore[arg-type]
    assert there.supervision is REMOTE


# --- Preceptorship --------------------------------------------------------------------------


PERIOD = Preceptorship(starts_on=ON - 30 * DAY, ends_on=ON + 60 * DAY, preceptor="Jo Bloggs")


def test_a_preceptee_is_capped_at_direct_until_the_period_ends() -> None:
    result = standing(ap_chest(preceptorships=(PERIOD,)), item("AP-CHEST"), ON)
    assert result.may
    assert result.supervision is DIRECT
    assert result.valid_until == ON + 60 * DAY
    assert result.codes == (ReasonCode.ABOVE_CEILING_CAPPED,)
    assert result.reasons[0].text == (
        "Recorded as indirect supervision; at most direct supervision for a preceptee (set by "
        "your trust: direct supervision during a preceptorship)"
    )
    assert [(w.code, w.text) for w in result.warnings] == [
        (NoticeCode.PRECEPTEE, "In preceptorship until 31 July 2026; preceptor: Jo Bloggs")
    ]


def test_a_preceptorship_applies_only_in_its_period_and_to_its_items() -> None:
    for period in (
        dataclasses.replace(PERIOD, ends_on=ON - DAY),
        dataclasses.replace(PERIOD, starts_on=ON + DAY, ends_on=ON + 2 * DAY),
        dataclasses.replace(PERIOD, items=frozenset({"CANN"})),
    ):
        result = standing(ap_chest(preceptorships=(period,)), item("AP-CHEST"), ON)
        assert result.supervision is INDIRECT
        assert result.warnings == ()
    last_day = standing(ap_chest(preceptorships=(PERIOD,)), item("AP-CHEST"), PERIOD.ends_on)
    assert last_day.supervision is DIRECT


def test_preceptee_ceilings_in_the_data_apply_only_to_preceptees() -> None:
    from portfolio.standing.facts import Basis, Ceiling

    ceiling = Ceiling(at_most=DIRECT, basis=Basis("local", local=True), preceptee=True)
    cann = dataclasses.replace(item("CORE-IG"), ceilings=(ceiling,))
    held = {"CORE-IG": signed(supervision=REMOTE)}
    assert standing(person(JobRole.CSW, competence=held), cann, ON).supervision is REMOTE
    period = dataclasses.replace(PERIOD, ceiling=REMOTE)
    precepted = person(JobRole.CSW, competence=held, preceptorships=(period,))
    assert standing(precepted, cann, ON).supervision is DIRECT
    trainee_only = dataclasses.replace(ceiling, preceptee=False, trainee=True)
    cann = dataclasses.replace(cann, ceilings=(trainee_only,))
    assert standing(person(JobRole.CSW, competence=held), cann, ON).supervision is REMOTE
    trainee = person(JobRole.CSW, competence=held, trainee=True)
    assert standing(trainee, cann, ON).supervision is DIRECT


# --- Designations (E20) ---------------------------------------------------------------------


def mr_worker(*designations: Designation) -> object:
    return person(
        JobRole.SCSW,
        competence={"MR-COILS": signed(), "MR-SAFETY": signed()},
        designations=designations,
    )


AUTHORISED = designation(DesignationKind.MR_AUTHORISED_PERSON)
SCREENED = designation(DesignationKind.MR_SAFETY_SCREENING, review=None)


def test_mr_tasks_need_the_authorised_person_designation_and_screening() -> None:
    result = standing(mr_worker(), item("MR-COILS"), ON)  # type: ignore[arg-type]
    assert_may_not(result, ReasonCode.NOT_MR_AUTHORISED, ReasonCode.NOT_MR_SCREENED)
    assert result.reasons[0].text.startswith("No MR Authorised Person designation (Society of")
    ok = standing(mr_worker(AUTHORISED, SCREENED), item("MR-COILS"), ON)  # type: ignore[arg-type]
    assert ok.may
    assert ok.valid_until == dt.date(2027, 2, 1)


@pytest.mark.parametrize(
    ("grant", "text"),
    [
        (
            designation(DesignationKind.MR_AUTHORISED_PERSON, review=ON - DAY),
            "The MR Authorised Person designation lapsed: its review was due by 31 May 2026",
        ),
        (
            designation(DesignationKind.MR_AUTHORISED_PERSON, withdrawn_on=ON - DAY),
            "The MR Authorised Person designation was withdrawn on 31 May 2026",
        ),
        (
            Designation(kind=DesignationKind.MR_AUTHORISED_PERSON, granted_on=ON + DAY),
            "No MR Authorised Person designation yet: granted from 2 June 2026",
        ),
    ],
)
def test_a_designation_that_is_not_current_says_why(grant: Designation, text: str) -> None:
    result = standing(mr_worker(grant, SCREENED), item("MR-COILS"), ON)  # type: ignore[arg-type]
    assert_may_not(result, ReasonCode.NOT_MR_AUTHORISED)
    assert result.reasons[0].text == text


def test_a_designation_due_for_review_soon_warns() -> None:
    soon = designation(DesignationKind.MR_AUTHORISED_PERSON, review=ON)
    result = standing(mr_worker(soon, SCREENED), item("MR-COILS"), ON)  # type: ignore[arg-type]
    assert [(w.code, w.text) for w in result.warnings] == [
        (
            NoticeCode.DESIGNATION_REVIEW_SOON,
            "The MR Authorised Person designation is due for review by 1 June 2026",
        )
    ]


# --- Warnings -------------------------------------------------------------------------------


def test_warnings_for_due_expiring_renewal_countersignature_and_local_observation() -> None:
    record = history(
        sign_off(expires=ON + 3 * DAY, acceptance_required=True, accepted=SIGNED),
        requests=(Request(requested_on=ON - DAY),),
    )
    accepted = dataclasses.replace(record.decisions[0], accepted_locally_on=None)
    record = dataclasses.replace(record, decisions=(accepted,))
    held = competence(record, countersignature_pending=True)
    result = standing(ap_chest(competence={"AP-CHEST": held}), item("AP-CHEST"), ON)
    assert result.may
    assert result.status is Status.DUE_FOR_REASSESSMENT
    assert [(w.code, w.text) for w in result.warnings] == [
        (NoticeCode.DUE_FOR_REASSESSMENT, "Due for reassessment"),
        (NoticeCode.EXPIRING_SOON, "The sign-off expires after 4 June 2026"),
        (NoticeCode.RENEWAL_AWAITING, "A renewal is awaiting an assessor's decision"),
        (
            NoticeCode.COUNTERSIGNATURE_PENDING,
            "A newer sign-off is awaiting a practice educator's countersignature",
        ),
        (
            NoticeCode.AWAITING_LOCAL_OBSERVATION,
            "Accepted from a previous employer; one practice is still to be observed on local "
            "equipment",
        ),
    ]
    assert result.summary.endswith("valid until 4 June 2026; due for reassessment")


def test_the_summary_names_the_countersignature_and_a_sign_off_that_never_expires() -> None:
    held = competence(
        history(sign_off(countersignature_required=True, countersigned=SIGNED, expires=None))
    )
    someone = person(JobRole.CSW, competence={"CORE-IG": held})
    result = standing(someone, item("CORE-IG"), ON)
    assert result.summary == (
        "Signed off on 2 March 2026 by Sam Okafor, countersigned by Priya Patel on 2 March 2026, "
        "does not expire"
    )


# --- Structured restrictions and combinations -------------------------------------------------


def test_room_restrictions_are_matched_against_the_task() -> None:
    room = Condition(ConditionKind.ROOM, frozenset({"xr-2"}), "X-ray room 2 only")
    held = competence(history(sign_off(supervision=INDIRECT, conditions=())), restrictions=(room,))
    someone = ap_chest(competence={"AP-CHEST": held})
    assert room in standing(someone, item("AP-CHEST"), ON).conditions
    assert standing(someone, item("AP-CHEST"), ON, TaskContext(room="xr-2")).may
    other = standing(someone, item("AP-CHEST"), ON, TaskContext(room="xr-1"))
    assert_may_not(other, ReasonCode.CONDITION_NOT_MET)
    assert other.reasons[0].text == "X-ray room 2 only: not this task"
    site = Condition(ConditionKind.SITE, frozenset({"bh"}), "Base Hospital only")
    equipment = Condition(ConditionKind.EQUIPMENT, frozenset({"dr-1"}), "DR unit 1 only")
    for condition, task in (
        (site, TaskContext(site=QUALIFYING)),
        (equipment, TaskContext(equipment="cr-3")),
    ):
        held = competence(history(sign_off(conditions=())), restrictions=(condition,))
        result = standing(ap_chest(competence={"AP-CHEST": held}), item("AP-CHEST"), ON, task)
        assert result.codes == (ReasonCode.CONDITION_NOT_MET,)


def test_a_free_text_condition_is_kept_as_a_note() -> None:
    held = signed(conditions=("CT 2 only",))
    result = standing(person(JobRole.CSW, competence={"CORE-IG": held}), item("CORE-IG"), ON, CHILD)
    assert result.may
    assert result.conditions == (Condition(ConditionKind.NOTE, frozenset(), "CT 2 only"),)


def test_every_obstacle_is_listed_in_order_for_a_trainee_child_and_lapsed_prerequisite() -> None:
    item_with_prerequisite = dataclasses.replace(
        item("AP-CHEST"), prerequisites=(item("CORE-BLS").ref,)
    )
    someone = ap_chest(trainee=True, entitlements=(), preceptorships=(PERIOD,))
    result = standing(someone, item_with_prerequisite, ON, CHILD)
    assert_may_not(
        result,
        ReasonCode.PREREQUISITE_LAPSED,
        ReasonCode.TRAINEE_NOT_OPERATOR,
        ReasonCode.CHILD_WITHOUT_PAEDIATRICS,
    )
    assert result.summary.endswith("(and 2 more)")
    assert [w.code for w in result.warnings] == [NoticeCode.PRECEPTEE]


# --- Inputs that cannot be -------------------------------------------------------------------


def test_impossible_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="review before"):
        exposure(granted=ON, review=ON - DAY)
    with pytest.raises(ValueError, match="withdrawn before"):
        exposure(granted=ON, withdrawn=ON - DAY)
    with pytest.raises(ValueError, match="end before"):
        Preceptorship(starts_on=ON, ends_on=ON - DAY, preceptor="X")
    with pytest.raises(ValueError, match="negative"):
        Settings(warn_within_days=-1)
    assert exposure(granted=ON, review=ON, withdrawn=ON).state_on(ON).value == "withdrawn"
