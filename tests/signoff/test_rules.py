"""Who may sign a competency off, when a sign-off expires, its conditions, and what is missing."""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import PROFESSIONS, AccountRole, JobRole
from portfolio.frameworks.practice_terms import AssessorList, DesignationKind
from portfolio.frameworks.schema import AssessorRule, Assessors, Condition
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.signoff.rules import (
    AssessorFacts,
    Eligibility,
    Prerequisite,
    add_months,
    conditions_for,
    eligibility,
    expiry,
    missing_for_sign_off,
    override_refusal,
    qualification_summary,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Status,
    StatusOnDate,
    Suspension,
    record_note,
    status_on,
)
from tests.factories import histories

DAY = dt.timedelta(days=1)
ON = dt.date(2026, 6, 1)  # the day the assessor decides
WORKER = 1
ORGANISATION = 10
VALID_DAYS = 365  # the trust's register_check_valid_days

HCPC = "Health and Care Professions Council (HCPC)"
NMC = "Nursing and Midwifery Council (NMC)"

# Assessor rules as the imaging framework writes them.
RADIOGRAPHER_ONLY = Assessors(
    rule=AssessorRule.REGISTRANT, registers=[RegisterType.HCPC], professions=["radiographer"]
)
RADIOGRAPHER_OR_NURSE = Assessors(
    rule=AssessorRule.REGISTRANT,
    registers=[RegisterType.HCPC, RegisterType.NMC],
    professions=["radiographer", "nurse"],
)
ANY_COLLEAGUE = Assessors(rule=AssessorRule.ANY_COMPETENT_COLLEAGUE)
LIFE_SUPPORT = Assessors(
    rule=AssessorRule.ANY_COMPETENT_COLLEAGUE, professions=["resuscitation_officer"]
)
TWO_VIEW_MAMMOGRAPHY = Assessors(
    rule=AssessorRule.QUALIFIED_REGISTRANT,
    registers=[RegisterType.HCPC],
    professions=["radiographer"],
    qualifications=["postgraduate-mammography"],
)
CANNULATION = Assessors(
    rule=AssessorRule.REGISTRANT,
    registers=[RegisterType.HCPC, RegisterType.NMC],
    professions=["radiographer", "nurse"],
    must_hold_sign_off=True,
)


# An assessor's own status in the competency on ON, from a real history.


def own_status(record: CompetencyHistory) -> StatusOnDate:
    return status_on(record, ON, due_window_days=60)


def signed_off(expires: dt.date | None, suspensions: tuple[Suspension, ...] = ()) -> StatusOnDate:
    return own_status(
        CompetencyHistory(
            decisions=(histories.decision(observed=dt.date(2025, 9, 1), expires=expires),),
            suspensions=suspensions,
        )
    )


NOT_STARTED = own_status(CompetencyHistory())
IN_PROGRESS = own_status(CompetencyHistory(evidence_dates=(ON - 10 * DAY,)))
COMPETENT = signed_off(dt.date(2026, 8, 31))
DUE = signed_off(ON + 30 * DAY)
EXPIRED = signed_off(ON - DAY)
SUSPENDED = signed_off(
    dt.date(2026, 8, 31), suspensions=(Suspension(decision_id=1, starts_on=ON - 5 * DAY),)
)
OWN_STATUSES = (NOT_STARTED, IN_PROGRESS, COMPETENT, DUE, EXPIRED, SUSPENDED)


def test_the_assessors_own_statuses_are_what_their_names_say() -> None:
    assert [item.status for item in OWN_STATUSES] == [
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.COMPETENT,
        Status.DUE_FOR_REASSESSMENT,
        Status.EXPIRED,
        Status.SUSPENDED,
    ]


def radiographer(**changes: Any) -> AssessorFacts:
    """A supervising radiographer in the worker's department, checked on the register last month."""
    facts = AssessorFacts(
        id=2,
        name="Priya Shah",
        active=True,
        organisation_id=ORGANISATION,
        roles=frozenset({AccountRole.SUPERVISOR}),
        profession="radiographer",
        register=RegisterType.HCPC,
        register_number="RA123456",
        register_checked_on=ON - 30 * DAY,
        register_check_result=RegisterCheckResult.REGISTERED,
        qualification_tags=frozenset(),
        own_status=None,
    )
    return dataclasses.replace(facts, **changes)


def nurse(**changes: Any) -> AssessorFacts:
    facts = {
        "name": "Tom Ellis",
        "profession": "nurse",
        "register": RegisterType.NMC,
        "register_number": "12A3456E",
    }
    return radiographer(**(facts | changes))


def decide(
    rule: Assessors,
    assessor: AssessorFacts,
    *,
    on: dt.date = ON,
    valid_days: int = VALID_DAYS,
    worker_id: int = WORKER,
) -> Eligibility:
    return eligibility(
        rule,
        assessor,
        worker_id=worker_id,
        worker_organisation_id=ORGANISATION,
        on=on,
        register_check_valid_days=valid_days,
    )


def reasons(rule: Assessors, assessor: AssessorFacts) -> tuple[str, ...]:
    return decide(rule, assessor).reasons


# Who may sign off: the people and accounts.


def test_a_supervising_radiographer_checked_on_the_register_may_sign_off() -> None:
    result = decide(RADIOGRAPHER_ONLY, radiographer())
    assert result.eligible
    assert result.reasons == ()


def test_an_educator_may_sign_off_as_well_as_a_supervisor() -> None:
    assert decide(RADIOGRAPHER_ONLY, radiographer(roles=frozenset({AccountRole.EDUCATOR}))).eligible


def test_nobody_can_sign_off_their_own_competency() -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(id=WORKER)) == (
        "Nobody can sign off their own competency",
    )


@pytest.mark.parametrize(
    "changes",
    [{"active": False}, {"organisation_id": ORGANISATION + 1}],
    ids=["inactive", "another-organisation"],
)
def test_only_active_staff_of_the_same_organisation_can_assess(changes: dict[str, Any]) -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(**changes)) == (
        "Only an active member of staff in the same organisation can assess",
    )


@pytest.mark.parametrize(
    "roles",
    [frozenset(), frozenset({AccountRole.SUPPORT_WORKER}), frozenset({AccountRole.ADMIN})],
    ids=["no-role", "support-worker", "admin"],
)
def test_without_the_supervisor_or_educator_role_nobody_can_sign_off(
    roles: frozenset[AccountRole],
) -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(roles=roles)) == (
        "Only supervisors, assessors and practice educators can sign off",
    )


def test_a_nurse_cannot_sign_off_a_competency_only_radiographers_assess() -> None:
    assert reasons(RADIOGRAPHER_ONLY, nurse()) == (
        "This competency is assessed by a radiographer",
        f"The assessor must be registered with the {HCPC}",
    )


def test_a_nurse_may_sign_off_where_radiographers_or_nurses_assess() -> None:
    assert decide(RADIOGRAPHER_OR_NURSE, nurse()).eligible


def test_a_refused_profession_is_told_every_profession_wanted() -> None:
    assessor = radiographer(profession="paramedic")
    assert reasons(RADIOGRAPHER_OR_NURSE, assessor) == (
        "This competency is assessed by a radiographer or nurse",
    )


def test_someone_with_no_profession_recorded_is_refused_where_a_profession_is_named() -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(profession=None)) == (
        "This competency is assessed by a radiographer",
    )


def test_every_reason_is_given_at_once() -> None:
    assessor = radiographer(roles=frozenset({AccountRole.ADMIN}), profession="nurse")
    assert reasons(TWO_VIEW_MAMMOGRAPHY, assessor) == (
        "Only supervisors, assessors and practice educators can sign off",
        "This competency is assessed by a radiographer",
        "The assessor needs a recorded postgraduate mammography qualification, confirmed by an "
        "educator or administrator",
    )


# Registrants: the register, the number, and a recent check in good standing.


@pytest.mark.parametrize(
    "changes",
    [
        {"register": RegisterType.NONE, "register_number": None},
        {"register": RegisterType.NMC},
        {"register_number": None},
        {"register_number": ""},
    ],
    ids=["not-registered", "wrong-register", "no-number", "blank-number"],
)
def test_a_registrant_rule_refuses_someone_without_a_number_on_the_right_register(
    changes: dict[str, Any],
) -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(**changes)) == (
        f"The assessor must be registered with the {HCPC}",
    )


def test_the_refusal_names_every_register_accepted() -> None:
    assessor = nurse(register=RegisterType.NONE, register_number=None)
    assert reasons(RADIOGRAPHER_OR_NURSE, assessor) == (
        f"The assessor must be registered with the {HCPC} or {NMC}",
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"register_checked_on": None, "register_check_result": None},
        {"register_checked_on": None},
        {"register_check_result": None},
    ],
    ids=["never-checked", "no-date", "no-result"],
)
def test_a_registration_never_checked_on_the_public_register_is_not_enough(
    changes: dict[str, Any],
) -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(**changes)) == (
        "The assessor's registration has never been checked on the public register",
    )


@pytest.mark.parametrize(
    ("result", "found"),
    [
        (RegisterCheckResult.SUSPENDED, "suspended"),
        (RegisterCheckResult.LAPSED, "lapsed (removed, not renewed)"),
        (RegisterCheckResult.NOT_FOUND, "not found on the register"),
    ],
)
def test_the_last_register_check_must_have_found_them_in_good_standing(
    result: RegisterCheckResult, found: str
) -> None:
    assert reasons(RADIOGRAPHER_ONLY, radiographer(register_check_result=result)) == (
        f"The last register check found the assessor {found}",
    )


def test_a_caution_does_not_stop_anyone_assessing() -> None:
    assessor = radiographer(register_check_result=RegisterCheckResult.CAUTION)
    assert decide(RADIOGRAPHER_ONLY, assessor).eligible


def test_a_register_check_lasts_exactly_the_trusts_number_of_days() -> None:
    checked_exactly_then = radiographer(register_checked_on=ON - VALID_DAYS * DAY)
    assert decide(RADIOGRAPHER_ONLY, checked_exactly_then).eligible
    a_day_older = radiographer(register_checked_on=ON - (VALID_DAYS + 1) * DAY)
    assert reasons(RADIOGRAPHER_ONLY, a_day_older) == (
        "The assessor's register check has lapsed (last checked on 31 May 2025; "
        "checks last 365 days here)",
    )
    # The same check is fine where the trust lets checks last longer.
    assert decide(RADIOGRAPHER_ONLY, a_day_older, valid_days=VALID_DAYS + 1).eligible


def test_a_register_check_done_on_the_day_itself_is_fine() -> None:
    assert decide(RADIOGRAPHER_ONLY, radiographer(register_checked_on=ON), valid_days=0).eligible


def test_any_competent_colleague_needs_no_register() -> None:
    support_worker = radiographer(
        profession="support_worker",
        register=RegisterType.NONE,
        register_number=None,
        register_checked_on=None,
        register_check_result=None,
    )
    assert decide(ANY_COLLEAGUE, support_worker).eligible
    lapsed = radiographer(register_check_result=RegisterCheckResult.LAPSED)
    assert decide(ANY_COLLEAGUE, lapsed).eligible


def test_basic_life_support_is_assessed_by_a_resuscitation_officer_registered_or_not() -> None:
    officer = radiographer(
        profession="resuscitation_officer",
        register=RegisterType.NONE,
        register_number=None,
        register_checked_on=None,
        register_check_result=None,
    )
    assert decide(LIFE_SUPPORT, officer).eligible
    assert reasons(LIFE_SUPPORT, radiographer()) == (
        "This competency is assessed by a resuscitation officer",
    )


# Qualified registrants: a recorded qualification with the tag the framework names.


def test_a_radiographer_without_the_postgraduate_award_cannot_sign_off_mammography() -> None:
    assessor = radiographer(qualification_tags=frozenset({"paediatric-imaging"}))
    assert reasons(TWO_VIEW_MAMMOGRAPHY, assessor) == (
        "The assessor needs a recorded postgraduate mammography qualification, confirmed by an "
        "educator or administrator",
    )
    assert qualification_summary(TWO_VIEW_MAMMOGRAPHY, assessor) is None


def test_a_radiographer_with_the_postgraduate_award_may_sign_off_mammography() -> None:
    assessor = radiographer(
        qualification_tags=frozenset({"postgraduate-mammography", "paediatric-imaging"})
    )
    assert decide(TWO_VIEW_MAMMOGRAPHY, assessor).eligible
    # The record names the qualification that made them eligible, and only that one.
    assert qualification_summary(TWO_VIEW_MAMMOGRAPHY, assessor) == "postgraduate mammography"


def test_the_qualification_does_not_replace_the_register_check() -> None:
    assessor = radiographer(
        qualification_tags=frozenset({"postgraduate-mammography"}),
        register_check_result=RegisterCheckResult.SUSPENDED,
    )
    assert reasons(TWO_VIEW_MAMMOGRAPHY, assessor) == (
        "The last register check found the assessor suspended",
    )


def test_any_one_of_several_qualifications_will_do_and_all_held_are_recorded() -> None:
    rule = TWO_VIEW_MAMMOGRAPHY.model_copy(
        update={"qualifications": ["pg-mammography", "breast-imaging-msc"]}
    )
    one = radiographer(qualification_tags=frozenset({"breast-imaging-msc"}))
    both = radiographer(qualification_tags=frozenset({"pg-mammography", "breast-imaging-msc"}))
    assert decide(rule, one).eligible
    assert qualification_summary(rule, one) == "breast imaging msc"
    assert qualification_summary(rule, both) == "breast imaging msc, pg mammography"
    assert reasons(rule, radiographer()) == (
        "The assessor needs a recorded pg mammography or breast imaging msc qualification, "
        "confirmed by an educator or administrator",
    )


def test_no_qualification_is_recorded_where_the_rule_asks_for_none() -> None:
    assessor = radiographer(qualification_tags=frozenset({"postgraduate-mammography"}))
    assert qualification_summary(RADIOGRAPHER_ONLY, assessor) is None


# Competencies whose assessors must hold the sign-off themselves (cannulation, ANTT).


@pytest.mark.parametrize(
    ("own", "theirs"),
    [(None, "not started"), (NOT_STARTED, "not started"), (EXPIRED, "expired")],
    ids=["not-asked", "not-started", "expired"],
)
def test_an_assessor_not_current_in_the_competency_cannot_sign_it_off(
    own: StatusOnDate | None, theirs: str
) -> None:
    assert reasons(CANNULATION, nurse(own_status=own)) == (
        "The assessor must be signed off and current in this competency themselves "
        f"(theirs is {theirs})",
    )


def test_a_suspended_assessor_is_told_their_own_sign_off_is_suspended() -> None:
    assert reasons(CANNULATION, nurse(own_status=SUSPENDED)) == (
        "The assessor must be signed off and current in this competency themselves "
        "(theirs is suspended)",
    )


@pytest.mark.parametrize("own", [COMPETENT, DUE], ids=["competent", "due-for-reassessment"])
def test_an_assessor_competent_or_due_for_reassessment_may_sign_it_off(own: StatusOnDate) -> None:
    assert decide(CANNULATION, nurse(own_status=own)).eligible


def test_the_assessors_own_status_is_ignored_where_the_framework_does_not_ask() -> None:
    assert decide(RADIOGRAPHER_OR_NURSE, nurse(own_status=EXPIRED)).eligible


# Invariants over any facts.

TAGS = ["postgraduate-mammography", "paediatric-imaging", "pg-mammography"]
ASSESSING = frozenset({AccountRole.SUPERVISOR, AccountRole.EDUCATOR})
GOOD_STANDING = [RegisterCheckResult.REGISTERED, RegisterCheckResult.CAUTION]
BAD_STANDING = [
    RegisterCheckResult.CONDITIONS_OF_PRACTICE,  # never reviewed
    RegisterCheckResult.SUSPENDED,
    RegisterCheckResult.STRUCK_OFF,
    RegisterCheckResult.NOT_FOUND,
    RegisterCheckResult.LAPSED,
]
CONDITIONS = RegisterCheckResult.CONDITIONS_OF_PRACTICE
REGISTERS = [item for item in RegisterType if item is not RegisterType.NONE]
valid_days = st.integers(0, 800)


@st.composite
def assessor_rules(draw: st.DrawFn) -> Assessors:
    kind = draw(st.sampled_from(AssessorRule))
    registered = kind in (AssessorRule.REGISTRANT, AssessorRule.QUALIFIED_REGISTRANT) or (
        kind is AssessorRule.APPROVED_LIST and draw(st.booleans())
    )
    listed = kind is AssessorRule.APPROVED_LIST
    approved = draw(
        st.lists(st.sampled_from(AssessorList), unique=True, min_size=int(listed), max_size=2)
    )
    professions = draw(st.lists(st.sampled_from(sorted(PROFESSIONS)), unique=True, max_size=3))
    qualifications = (
        draw(st.lists(st.sampled_from(TAGS), unique=True, min_size=1, max_size=2))
        if kind is AssessorRule.QUALIFIED_REGISTRANT
        else []
    )
    registers = (
        draw(st.lists(st.sampled_from(REGISTERS), unique=True, min_size=1)) if registered else []
    )
    modality = (
        draw(st.none() | st.sampled_from(Radiography))
        if "radiographer" in professions and RegisterType.HCPC in registers
        else None
    )
    return Assessors(
        rule=kind,
        registers=registers,
        professions=professions,
        must_hold_sign_off=kind is not AssessorRule.APPROVED_LIST and draw(st.booleans()),
        qualifications=qualifications,
        radiography=modality,
        approved_lists=approved,
        designations=draw(st.sampled_from([[], [DesignationKind.MR_AUTHORISED_PERSON]])),
    )


@st.composite
def any_facts(draw: st.DrawFn) -> AssessorFacts:
    return AssessorFacts(
        id=draw(st.integers(1, 4)),
        name="Someone",
        active=draw(st.booleans()),
        organisation_id=draw(st.sampled_from([ORGANISATION, ORGANISATION + 1])),
        roles=draw(st.frozensets(st.sampled_from(AccountRole))),
        profession=draw(st.none() | st.sampled_from(sorted(PROFESSIONS))),
        register=draw(st.sampled_from(RegisterType)),
        register_number=draw(st.sampled_from([None, "", "RA123456", "12A3456E"])),
        register_checked_on=draw(st.none() | st.integers(-10, 900).map(lambda n: ON - n * DAY)),
        register_check_result=draw(st.none() | st.sampled_from(RegisterCheckResult)),
        qualification_tags=draw(st.frozensets(st.sampled_from(TAGS))),
        own_status=draw(st.none() | st.sampled_from(OWN_STATUSES)),
        radiography=draw(st.none() | st.sampled_from(Radiography)),
        conditions_reviewed_on=draw(st.none() | st.integers(-10, 900).map(lambda n: ON - n * DAY)),
        approved_lists=draw(st.frozensets(st.sampled_from(AssessorList))),
        designations=draw(st.frozensets(st.sampled_from(DesignationKind))),
    )


@st.composite
def eligible_facts(draw: st.DrawFn, rule: Assessors, days: int) -> AssessorFacts:
    """Someone who meets every part of the rule, with anything else left to chance."""
    extra_roles = draw(st.frozensets(st.sampled_from(AccountRole)))
    checked = ON - draw(st.integers(0, days)) * DAY
    result = draw(st.sampled_from([*GOOD_STANDING, CONDITIONS]))
    reviewed = checked + draw(st.integers(0, (ON - checked).days)) * DAY
    return AssessorFacts(
        id=draw(st.integers(2, 4)),
        name="Someone",
        active=True,
        organisation_id=ORGANISATION,
        roles=extra_roles | {draw(st.sampled_from(sorted(ASSESSING)))},
        profession=draw(
            st.sampled_from(rule.professions)
            if rule.professions
            else st.none() | st.sampled_from(sorted(PROFESSIONS))
        ),
        register=draw(st.sampled_from(rule.registers or list(RegisterType))),
        register_number=draw(st.sampled_from(["RA123456", "12A3456E"])),
        register_checked_on=checked,
        register_check_result=result,
        qualification_tags=draw(st.frozensets(st.sampled_from(TAGS)))
        | ({draw(st.sampled_from(rule.qualifications))} if rule.qualifications else set()),
        own_status=draw(st.sampled_from([COMPETENT, DUE])),
        radiography=rule.radiography or draw(st.none() | st.sampled_from(Radiography)),
        # Conditions of practice count once reviewed on or after the check.
        conditions_reviewed_on=reviewed if result is CONDITIONS else draw(st.none() | st.just(ON)),
        approved_lists=draw(st.frozensets(st.sampled_from(AssessorList)))
        | ({draw(st.sampled_from(rule.approved_lists))} if rule.approved_lists else set()),
        # Any of the rule's lists or designations will do: the list when it names one.
        designations=draw(st.frozensets(st.sampled_from(DesignationKind)))
        | ({rule.designations[0]} if rule.designations and not rule.approved_lists else set()),
    )


@given(assessor_rules(), any_facts(), valid_days)
def test_whatever_the_facts_nobody_is_eligible_to_sign_off_their_own_competency(
    rule: Assessors, facts: AssessorFacts, days: int
) -> None:
    result = decide(rule, facts, valid_days=days, worker_id=facts.id)
    assert not result.eligible
    assert result.reasons == ("Nobody can sign off their own competency",)


@given(assessor_rules(), valid_days, st.data())
def test_whoever_meets_every_part_of_the_rule_is_eligible(
    rule: Assessors, days: int, data: st.DataObject
) -> None:
    assert decide(rule, data.draw(eligible_facts(rule, days)), valid_days=days).eligible


def checks_registration(rule: Assessors) -> bool:
    """Registrant rules, and an approved list that also names registers."""
    return rule.rule is not AssessorRule.ANY_COMPETENT_COLLEAGUE and bool(rule.registers)


# A defect: what it does to the facts, and whether the rule cares about it.
Defect = Callable[[Assessors, AssessorFacts, int, st.DataObject], AssessorFacts]


def _other_profession(rule: Assessors, facts: AssessorFacts, _: int, data: st.DataObject) -> str:
    others = sorted(set(PROFESSIONS) - set(rule.professions))
    return data.draw(st.sampled_from(others))


DEFECTS: dict[str, tuple[Defect, Callable[[Assessors], bool]]] = {
    "inactive": (
        lambda rule, facts, days, data: dataclasses.replace(facts, active=False),
        lambda rule: True,
    ),
    "another organisation": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, organisation_id=ORGANISATION + 1
        ),
        lambda rule: True,
    ),
    "no assessing role": (
        lambda rule, facts, days, data: dataclasses.replace(facts, roles=facts.roles - ASSESSING),
        lambda rule: True,
    ),
    "another profession": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, profession=_other_profession(rule, facts, days, data)
        ),
        lambda rule: bool(rule.professions),
    ),
    "not registered": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, register=RegisterType.NONE, register_number=None
        ),
        lambda rule: checks_registration(rule),
    ),
    "no number": (
        lambda rule, facts, days, data: dataclasses.replace(facts, register_number=None),
        lambda rule: checks_registration(rule),
    ),
    "never checked": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, register_checked_on=None, register_check_result=None
        ),
        lambda rule: checks_registration(rule),
    ),
    "found in bad standing": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts,
            register_check_result=data.draw(st.sampled_from(BAD_STANDING)),
            conditions_reviewed_on=None,
        ),
        lambda rule: checks_registration(rule),
    ),
    "check lapsed": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, register_checked_on=ON - (days + data.draw(st.integers(1, 400))) * DAY
        ),
        lambda rule: checks_registration(rule),
    ),
    "conditions not reviewed since the check": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts,
            register_check_result=CONDITIONS,
            conditions_reviewed_on=data.draw(
                st.none()
                | st.integers(1, 30).map(lambda n: (facts.register_checked_on or ON) - n * DAY)
                | st.integers(1, 30).map(lambda n: ON + n * DAY)
            ),
        ),
        lambda rule: checks_registration(rule),
    ),
    "the other part of the HCPC register": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts,
            profession="radiographer" if rule.radiography else facts.profession,
            radiography=data.draw(
                st.none()
                | st.sampled_from([item for item in Radiography if item != rule.radiography])
            ),
        ),
        lambda rule: rule.radiography is not None,
    ),
    "on no list and holding no designation": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, approved_lists=frozenset(), designations=frozenset()
        ),
        lambda rule: bool(rule.approved_lists or rule.designations),
    ),
    "qualification missing": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts, qualification_tags=facts.qualification_tags - set(rule.qualifications)
        ),
        lambda rule: bool(rule.qualifications),
    ),
    "not current themselves": (
        lambda rule, facts, days, data: dataclasses.replace(
            facts,
            own_status=data.draw(st.sampled_from([None, NOT_STARTED, IN_PROGRESS, EXPIRED])),
        ),
        lambda rule: rule.must_hold_sign_off,
    ),
}


@given(assessor_rules(), valid_days, st.sampled_from(sorted(DEFECTS)), st.data())
def test_an_eligible_person_with_a_defect_the_rule_cares_about_is_refused(
    rule: Assessors, days: int, defect: str, data: st.DataObject
) -> None:
    spoil, matters = DEFECTS[defect]
    facts = data.draw(eligible_facts(rule, days))
    spoilt = decide(rule, spoil(rule, facts, days, data), valid_days=days)
    if matters(rule):
        assert not spoilt.eligible, defect
    else:
        assert spoilt.eligible, defect


@given(assessor_rules(), any_facts(), valid_days, st.sampled_from(sorted(DEFECTS)), st.data())
def test_a_defect_never_makes_anyone_more_eligible(
    rule: Assessors, facts: AssessorFacts, days: int, defect: str, data: st.DataObject
) -> None:
    spoil, _ = DEFECTS[defect]
    before = decide(rule, facts, valid_days=days)
    after = decide(rule, spoil(rule, facts, days, data), valid_days=days)
    assert before.eligible or not after.eligible, defect


# Expiry: the same day so many months later, or the month's last day.


def test_a_month_after_31_january_is_the_last_day_of_february() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)  # a leap year


def test_a_year_after_29_february_is_28_february_and_four_years_after_is_29_february() -> None:
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 48) == dt.date(2028, 2, 29)


def test_months_carry_into_the_next_year() -> None:
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 3, 2), 36) == dt.date(2029, 3, 2)


def test_a_sign_off_expires_on_the_anniversary_of_the_observation() -> None:
    assert expiry(dt.date(2026, 3, 2), 12) == dt.date(2027, 3, 2)
    assert expiry(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


def test_without_reassessment_months_a_sign_off_never_expires() -> None:
    assert expiry(dt.date(2026, 3, 2), None) is None


any_day = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))
months = st.integers(1, 240)


@given(any_day, months)
def test_expiry_is_after_the_observation_and_at_most_31_days_a_month_later(
    observed: dt.date, count: int
) -> None:
    expires = expiry(observed, count)
    assert expires is not None
    assert observed < expires <= observed + 31 * count * DAY


@given(any_day, st.integers(0, 240))
def test_the_day_of_the_month_is_kept_whenever_the_month_has_it(
    observed: dt.date, count: int
) -> None:
    result = add_months(observed, count)
    assert (result.year * 12 + result.month) - (observed.year * 12 + observed.month) == count
    last = calendar.monthrange(result.year, result.month)[1]
    if observed.day <= last:
        assert result.day == observed.day
    else:
        assert result.day == last


# Conditions on a sign-off.

NON_COMPLEX = Condition(
    code="non-complex-cooperative",
    label="Non-complex, co-operative patients only",
    mandatory_for=[JobRole.AP],
)
ADULTS = Condition(code="adults-only", label="Adults only")
DIRECT = Condition(
    code="direct-supervision", label="Direct supervision", mandatory_for=[JobRole.MA, JobRole.AP]
)
AVAILABLE = (NON_COMPLEX, ADULTS, DIRECT)


def test_a_condition_mandatory_for_the_job_role_is_added_even_if_not_chosen() -> None:
    assert conditions_for(AVAILABLE, [], JobRole.AP) == (NON_COMPLEX, DIRECT)
    assert conditions_for(AVAILABLE, ["adults-only"], JobRole.MA) == (ADULTS, DIRECT)


@pytest.mark.parametrize("job_role", [JobRole.CSW, JobRole.SCSW, None])
def test_a_condition_mandatory_for_another_job_role_is_not_added(job_role: JobRole | None) -> None:
    assert conditions_for(AVAILABLE, [], job_role) == ()
    assert conditions_for(AVAILABLE, ["adults-only"], job_role) == (ADULTS,)


def test_unknown_condition_codes_are_ignored() -> None:
    assert conditions_for(AVAILABLE, ["paediatrics-only", "adults-only"], JobRole.CSW) == (ADULTS,)


def test_conditions_keep_the_frameworks_order_and_appear_once() -> None:
    chosen = ["direct-supervision", "adults-only", "non-complex-cooperative", "adults-only"]
    assert conditions_for(AVAILABLE, chosen, JobRole.AP) == AVAILABLE


@given(
    st.lists(st.sampled_from([c.code for c in AVAILABLE] + ["unknown"])),
    st.none() | st.sampled_from(JobRole),
)
def test_conditions_are_those_chosen_plus_those_mandatory_and_nothing_else(
    chosen: list[str], job_role: JobRole | None
) -> None:
    result = conditions_for(AVAILABLE, chosen, job_role)
    wanted = {c.code for c in AVAILABLE if c.code in chosen or job_role in c.mandatory_for}
    assert {c.code for c in result} == wanted
    assert list(result) == [c for c in AVAILABLE if c in result]


# What still stands between a worker and a sign-off.


def prerequisite(status: StatusOnDate) -> Prerequisite:
    return Prerequisite(code="CORE-BLS", title="Basic life support", status=status)


def missing(
    *,
    required: int = 5,
    confirmed: int = 5,
    prerequisites: tuple[Prerequisite, ...] = (),
    chosen: int = 1,
) -> tuple[str, ...]:
    return missing_for_sign_off(
        procedures_required=required,
        procedures_confirmed=confirmed,
        prerequisites=prerequisites,
        evidence_chosen=chosen,
    )


def test_nothing_is_missing_once_everything_is_in_place() -> None:
    assert missing(prerequisites=(prerequisite(COMPETENT),)) == ()
    assert missing(required=0, confirmed=0) == ()


def test_without_evidence_chosen_the_worker_is_asked_for_some() -> None:
    assert missing(chosen=0) == (
        "Choose at least one piece of evidence for the assessor to consider",
    )


def test_too_few_confirmed_procedures_are_counted_out_of_those_required() -> None:
    assert missing(required=10, confirmed=6) == (
        "6 of 10 confirmed successful supervised procedures",
    )


def test_enough_or_more_confirmed_procedures_are_not_missing() -> None:
    assert missing(required=10, confirmed=10) == ()
    assert missing(required=10, confirmed=12) == ()


@pytest.mark.parametrize(
    ("status", "said"),
    [(EXPIRED, "expired"), (NOT_STARTED, "not started"), (SUSPENDED, "suspended")],
)
def test_a_prerequisite_not_current_is_listed_with_its_title_and_status(
    status: StatusOnDate, said: str
) -> None:
    assert missing(prerequisites=(prerequisite(status),)) == (
        f"Basic life support (CORE-BLS): {said}",
    )


@pytest.mark.parametrize("status", [COMPETENT, DUE], ids=["competent", "due-for-reassessment"])
def test_a_prerequisite_competent_or_due_for_reassessment_is_not_missing(
    status: StatusOnDate,
) -> None:
    assert missing(prerequisites=(prerequisite(status),)) == ()


def test_everything_missing_is_listed_in_the_order_a_worker_would_fix_it() -> None:
    antt = Prerequisite(code="ANTT", title="Aseptic non-touch technique", status=IN_PROGRESS)
    assert missing(
        required=5, confirmed=0, prerequisites=(prerequisite(EXPIRED), antt), chosen=0
    ) == (
        "Choose at least one piece of evidence for the assessor to consider",
        "0 of 5 confirmed successful supervised procedures",
        "Basic life support (CORE-BLS): expired",
        "Aseptic non-touch technique (ANTT): in progress",
    )


@given(
    required=st.integers(min_value=0, max_value=20),
    confirmed=st.integers(min_value=0, max_value=20),
    chosen=st.integers(min_value=0, max_value=3),
    statuses=st.lists(st.sampled_from([COMPETENT, DUE, EXPIRED, NOT_STARTED, SUSPENDED])),
)
def test_an_override_waives_the_procedure_minimum_and_nothing_else(
    required: int, confirmed: int, chosen: int, statuses: list[StatusOnDate]
) -> None:
    prerequisites = tuple(prerequisite(status) for status in statuses)
    overridden = missing_for_sign_off(
        procedures_required=required,
        procedures_confirmed=confirmed,
        prerequisites=prerequisites,
        evidence_chosen=chosen,
        minimum_overridden=True,
    )
    without = missing(
        required=required, confirmed=confirmed, prerequisites=prerequisites, chosen=chosen
    )
    assert overridden == tuple(item for item in without if "supervised procedures" not in item)


@pytest.mark.parametrize(
    ("required", "confirmed", "already", "refusal"),
    [
        (10, 7, False, None),
        (10, 0, False, None),
        (10, 7, True, "The minimum is already overridden for the next sign-off"),
        (
            0,
            0,
            False,
            "This competency asks for no supervised procedures: there is nothing to override",
        ),
        (10, 10, False, "The minimum is met (10 of 10 confirmed): there is nothing to override"),
        (10, 12, False, "The minimum is met (12 of 10 confirmed): there is nothing to override"),
    ],
)
def test_only_a_minimum_actually_missing_can_be_overridden_once(
    required: int, confirmed: int, already: bool, refusal: str | None
) -> None:
    assert (
        override_refusal(
            procedures_required=required,
            procedures_confirmed=confirmed,
            already_overridden=already,
        )
        == refusal
    )


@pytest.mark.parametrize(
    ("transcribed", "accepted", "overridden", "note"),
    [
        (False, False, False, None),
        (True, False, False, "transcribed record"),
        (True, True, False, "transcribed record, accepted after local observation"),
        (False, False, True, "evidence minimum overridden"),
    ],
)
def test_a_sign_off_not_assessed_here_in_full_says_what_it_is(
    transcribed: bool, accepted: bool, overridden: bool, note: str | None
) -> None:
    assert (
        record_note(
            transcribed=transcribed, accepted_locally=accepted, minimum_overridden=overridden
        )
        == note
    )
    decision = Decision(
        id=1,
        outcome=Outcome.COMPETENT,
        observed_on=ON,
        recorded_on=ON,
        transcribed=transcribed,
        accepted_locally_on=ON if accepted else None,
        minimum_overridden=overridden,
    )
    assert decision.note == note
    history = CompetencyHistory(decisions=(decision,))
    reason = status_on(history, ON).reason()
    assert reason.startswith(
        f"Signed off on 1 June 2026 ({note}), " if note else "Signed off on 1 June 2026, "
    )
