"""Who may assess (E1, E18, E20, section 2b of the domain review): conditions of practice
until an educator's review, the other registers, diagnostic or therapeutic radiographers, and
approved-assessor lists; each refusal says why in one line."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import AccountRole
from portfolio.frameworks.practice_terms import AssessorList, DesignationKind
from portfolio.frameworks.schema import AssessorRule, Assessors
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.signoff.rules import AssessorFacts, Eligibility, eligibility

ON = dt.date(2026, 6, 1)
CHECKED = dt.date(2026, 5, 1)
DAY = dt.timedelta(days=1)

AP_CHEST = Assessors(
    rule=AssessorRule.REGISTRANT,
    registers=[RegisterType.HCPC],
    professions=["radiographer"],
    radiography=Radiography.DIAGNOSTIC,
)
RT_OBS = Assessors(
    rule=AssessorRule.REGISTRANT,
    registers=[RegisterType.HCPC, RegisterType.NMC],
    professions=["radiographer", "nurse"],
    radiography=Radiography.THERAPEUTIC,
)
CANNULATION = Assessors(
    rule=AssessorRule.APPROVED_LIST,
    registers=[RegisterType.HCPC, RegisterType.NMC, RegisterType.GMC],
    approved_lists=[AssessorList.CANNULATION_ASSESSOR],
)
LIFE_SUPPORT = Assessors(
    rule=AssessorRule.APPROVED_LIST, approved_lists=[AssessorList.BLS_INSTRUCTOR]
)
MR_SAFETY = Assessors(
    rule=AssessorRule.REGISTRANT,
    registers=[RegisterType.HCPC],
    professions=["radiographer", "clinical_scientist"],
    designations=[DesignationKind.MR_AUTHORISED_PERSON],
    approved_lists=[AssessorList.MR_SAFETY_TRAINER],
)


def radiographer(**changes: Any) -> AssessorFacts:
    facts = AssessorFacts(
        id=2,
        name="Priya Shah",
        active=True,
        organisation_id=10,
        roles=frozenset({AccountRole.SUPERVISOR}),
        profession="radiographer",
        register=RegisterType.HCPC,
        register_number="RA123456",
        register_checked_on=CHECKED,
        register_check_result=RegisterCheckResult.REGISTERED,
        qualification_tags=frozenset(),
        radiography=Radiography.DIAGNOSTIC,
    )
    return dataclasses.replace(facts, **changes)


def decide(rule: Assessors, assessor: AssessorFacts, on: dt.date = ON) -> Eligibility:
    return eligibility(
        rule,
        assessor,
        worker_id=1,
        worker_organisation_id=10,
        on=on,
        register_check_valid_days=365,
    )


# E1: conditions of practice, a caution, suspended and struck off.

CONDITIONS = RegisterCheckResult.CONDITIONS_OF_PRACTICE


def test_conditions_of_practice_stop_an_assessor_until_an_educator_reviews_them() -> None:
    result = decide(AP_CHEST, radiographer(register_check_result=CONDITIONS))
    assert result.answer == (
        "Not eligible: HCPC registration has conditions of practice, not yet reviewed by a "
        "practice educator"
    )


def test_a_review_on_or_after_the_register_check_lets_them_assess() -> None:
    for reviewed in (CHECKED, CHECKED + 10 * DAY, ON):
        facts = radiographer(register_check_result=CONDITIONS, conditions_reviewed_on=reviewed)
        assert decide(AP_CHEST, facts).answer == "Eligible"


def test_a_review_older_than_the_latest_check_or_after_the_day_does_not_count() -> None:
    for reviewed in (CHECKED - DAY, ON + DAY):
        facts = radiographer(register_check_result=CONDITIONS, conditions_reviewed_on=reviewed)
        assert not decide(AP_CHEST, facts).eligible


def test_conditions_on_an_nmc_registration_name_the_nmc() -> None:
    nurse = radiographer(
        profession="nurse",
        register=RegisterType.NMC,
        register_number="12A3456E",
        radiography=None,
        register_check_result=CONDITIONS,
    )
    assert decide(RT_OBS, nurse).reasons == (
        "NMC registration has conditions of practice, not yet reviewed by a practice educator",
    )


def test_a_caution_leaves_them_eligible() -> None:
    assert decide(
        AP_CHEST, radiographer(register_check_result=RegisterCheckResult.CAUTION)
    ).eligible


@pytest.mark.parametrize(
    ("result", "found"),
    [
        (RegisterCheckResult.SUSPENDED, "suspended"),
        (RegisterCheckResult.STRUCK_OFF, "struck off (removed by a fitness to practise decision)"),
    ],
)
def test_suspended_or_struck_off_are_never_eligible_even_after_a_review(
    result: RegisterCheckResult, found: str
) -> None:
    facts = radiographer(register_check_result=result, conditions_reviewed_on=ON)
    assert decide(AP_CHEST, facts).answer == (
        f"Not eligible: the last register check found the assessor {found}"
    )


# E18: diagnostic and therapeutic radiographers, GMC and RCT.


def test_a_therapeutic_radiographer_cannot_sign_off_a_chest_x_ray() -> None:
    therapeutic = radiographer(radiography=Radiography.THERAPEUTIC)
    assert decide(AP_CHEST, therapeutic).reasons == (
        "This competency is assessed by a diagnostic radiographer, and the assessor is a "
        "therapeutic radiographer",
    )
    assert decide(RT_OBS, therapeutic).eligible


def test_a_diagnostic_radiographer_cannot_sign_off_radiotherapy_but_a_nurse_can() -> None:
    assert not decide(RT_OBS, radiographer()).eligible
    nurse = radiographer(
        profession="nurse", register=RegisterType.NMC, register_number="12A3456E", radiography=None
    )
    assert decide(RT_OBS, nurse).eligible


def test_a_radiographer_whose_part_of_the_register_is_not_recorded_is_asked_for_it() -> None:
    assert decide(AP_CHEST, radiographer(radiography=None)).reasons == (
        "This competency is assessed by a diagnostic radiographer: record whether their HCPC "
        "registration is diagnostic or therapeutic",
    )


def test_a_gmc_registered_doctor_on_the_list_may_assess_cannulation() -> None:
    doctor = radiographer(
        profession=None,
        register=RegisterType.GMC,
        register_number="1234567",
        radiography=None,
        approved_lists=frozenset({AssessorList.CANNULATION_ASSESSOR}),
    )
    assert decide(CANNULATION, doctor).eligible


# Section 2b: approved lists instead of holding the support worker's sign-off.


def test_cannulation_is_assessed_by_the_approved_list_not_by_holding_a_sign_off() -> None:
    on_list = radiographer(approved_lists=frozenset({AssessorList.CANNULATION_ASSESSOR}))
    assert decide(CANNULATION, on_list).eligible
    assert decide(CANNULATION, radiographer()).answer == (
        "Not eligible: the assessor must be an approved cannulation assessor"
    )


def test_an_approved_list_naming_registers_still_needs_good_standing() -> None:
    on_list = radiographer(
        approved_lists=frozenset({AssessorList.CANNULATION_ASSESSOR}),
        register_check_result=CONDITIONS,
    )
    assert not decide(CANNULATION, on_list).eligible


def test_a_bls_instructor_need_not_be_registered() -> None:
    instructor = radiographer(
        profession=None,
        register=RegisterType.NONE,
        register_number=None,
        register_checked_on=None,
        register_check_result=None,
        approved_lists=frozenset({AssessorList.BLS_INSTRUCTOR}),
    )
    assert decide(LIFE_SUPPORT, instructor).eligible
    assert not decide(
        LIFE_SUPPORT, dataclasses.replace(instructor, approved_lists=frozenset())
    ).eligible


# E20: the MR safety assessor holds an MR role.


def test_mr_safety_needs_an_mr_authorised_person_or_an_approved_mr_safety_trainer() -> None:
    assert decide(MR_SAFETY, radiographer()).reasons == (
        "The assessor must hold a current MR Authorised Person designation or be an approved MR "
        "safety trainer",
    )
    authorised = radiographer(designations=frozenset({DesignationKind.MR_AUTHORISED_PERSON}))
    trainer = radiographer(approved_lists=frozenset({AssessorList.MR_SAFETY_TRAINER}))
    assert decide(MR_SAFETY, authorised).eligible
    assert decide(MR_SAFETY, trainer).eligible


def test_the_wrong_list_or_only_a_screening_record_does_not_make_an_mr_role() -> None:
    wrong = radiographer(
        approved_lists=frozenset({AssessorList.CANNULATION_ASSESSOR}),
        designations=frozenset({DesignationKind.MR_SAFETY_SCREENING}),
    )
    assert not decide(MR_SAFETY, wrong).eligible


@given(
    checked=st.dates(dt.date(2025, 7, 1), ON),
    reviewed=st.none() | st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31)),
)
def test_conditions_count_exactly_when_reviewed_between_the_check_and_the_day(
    checked: dt.date, reviewed: dt.date | None
) -> None:
    facts = radiographer(
        register_check_result=CONDITIONS,
        register_checked_on=checked,
        conditions_reviewed_on=reviewed,
    )
    assert decide(AP_CHEST, facts).eligible == (reviewed is not None and checked <= reviewed <= ON)


@given(st.sampled_from(RegisterCheckResult), st.none() | st.just(ON))
def test_only_registered_a_caution_or_reviewed_conditions_are_good_standing(
    result: RegisterCheckResult, reviewed: dt.date | None
) -> None:
    facts = radiographer(register_check_result=result, conditions_reviewed_on=reviewed)
    expected = result in (RegisterCheckResult.REGISTERED, RegisterCheckResult.CAUTION) or (
        result is CONDITIONS and reviewed is not None
    )
    assert decide(AP_CHEST, facts).eligible == expected
