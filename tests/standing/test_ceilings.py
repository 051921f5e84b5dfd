"""The ceiling a sign-off may record (`supervision.ceiling_for`), over generated people
(Hypothesis): the strictest that applies, none when none does, a level within it always
accepted and one above it refused naming the ceiling and its source, and a sign-off recorded
within it never capped again by the engine's answer."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import JobRole
from portfolio.standing.facts import (
    IRMER_OPERATOR,
    ItemFacts,
    PersonFacts,
    Preceptorship,
    RoleOnDate,
    Site,
)
from portfolio.standing.rules import standing
from portfolio.standing.supervision import above_ceiling, ceiling_for
from portfolio.standing.terms import laxer, strictest
from tests.standing.builders import DIRECT, INDIRECT, ITEMS, ON, REMOTE, signed

CODES = ["AP-CHEST", "AP-APPEND", "PAED", "MAMMO-2V", "CANN", "MR-COILS", "SCSW-QA", "CORE-ID"]
LEVELS = st.sampled_from([DIRECT, INDIRECT, REMOTE])


@st.composite
def people(draw: st.DrawFn) -> tuple[PersonFacts, ItemFacts, dt.date]:
    code = draw(st.sampled_from(CODES))
    on = ON + dt.timedelta(draw(st.integers(-30, 30)))
    role = draw(
        st.none()
        | st.builds(
            RoleOnDate,
            job_role=st.sampled_from(JobRole),
            scope=st.just(frozenset(ITEMS)),
            trainee=st.booleans(),
        )
    )
    periods = draw(
        st.lists(
            st.builds(
                Preceptorship,
                starts_on=st.just(ON - dt.timedelta(10)),
                ends_on=st.just(ON + dt.timedelta(10)),
                preceptor=st.just("Jo Bloggs"),
                ceiling=LEVELS,
                items=st.none() | st.just(frozenset({code})) | st.just(frozenset({"OTHER"})),
            ),
            max_size=2,
        )
    )
    site = draw(
        st.none()
        | st.builds(
            Site, code=st.just("s"), name=st.just("Site"), two_ma_remote_model=st.booleans()
        )
    )
    person = PersonFacts(role=role, preceptorships=tuple(periods), site=site)
    return person, ITEMS[code], on


def _expected(person: PersonFacts, item: ItemFacts, on: dt.date) -> list:  # type: ignore[type-arg]
    """The ceilings that apply to a sign-off, worked out apart from the engine."""
    found = [p.ceiling for p in person.preceptorships if p.applies(item.code, on)]
    role = person.role
    if role is None:
        return found
    preceptee = bool(found)
    for ceiling in item.ceilings:
        if not ceiling.applies_to(role, preceptee=preceptee) or ceiling.patient_group:
            continue
        qualifying = person.site is not None and person.site.two_ma_remote_model
        if not (ceiling.remote_at_qualifying_site and qualifying):
            found.append(ceiling.at_most)
    if role.trainee and item.entitlement is not None:
        found.append(DIRECT)
    return found


@given(people())
def test_the_ceiling_is_the_strictest_that_applies_and_none_when_none_does(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on = case
    ceiling = ceiling_for(person, item, on)
    expected = _expected(person, item, on)
    assert (ceiling.level if ceiling else None) == strictest(expected)


@given(people(), LEVELS)
def test_a_level_within_the_ceiling_is_accepted_and_one_above_it_refused_with_its_source(
    case: tuple,  # type: ignore[type-arg]
    level: object,
) -> None:
    person, item, on = case
    ceiling = ceiling_for(person, item, on)
    refusal = above_ceiling(level, ceiling)  # type: ignore[arg-type]
    if ceiling is None or not laxer(level, ceiling.level):  # type: ignore[arg-type]
        assert refusal is None
    else:
        assert refusal is not None
        assert f"at most {ceiling.level.label.lower()}" in refusal
        assert ceiling.basis.label in refusal


@given(people(), LEVELS)
def test_a_sign_off_recorded_within_the_ceiling_is_never_capped_by_the_engine(
    case: tuple,  # type: ignore[type-arg]
    level: object,
) -> None:
    person, item, on = case
    ceiling = ceiling_for(person, item, on)
    if ceiling is not None and laxer(level, ceiling.level):  # type: ignore[arg-type]
        return
    person = PersonFacts(
        role=person.role,
        competence={item.code: signed(supervision=level, on=on)},  # type: ignore[arg-type]
        preceptorships=person.preceptorships,
        site=person.site,
    )
    answer = standing(person, item, on)
    if answer.may:
        assert answer.supervision is level


def test_an_assistant_practitioner_imaging_at_most_indirect_named_with_its_source() -> None:
    ap = PersonFacts(role=RoleOnDate(job_role=JobRole.AP, scope=frozenset(ITEMS)))
    refusal = above_ceiling(REMOTE, ceiling_for(ap, ITEMS["AP-CHEST"], ON))
    assert refusal is not None
    assert refusal.startswith("Remote supervision is above the ceiling: at most indirect")
    assert "assistant practitioner in chest radiography" in refusal
    assert "Society of Radiographers" in refusal
    assert above_ceiling(INDIRECT, ceiling_for(ap, ITEMS["AP-CHEST"], ON)) is None


def test_a_trainee_on_an_entitled_task_is_at_most_direct_under_irmer() -> None:
    trainee = PersonFacts(
        role=RoleOnDate(job_role=JobRole.AP, scope=frozenset(ITEMS), trainee=True)
    )
    ceiling = ceiling_for(trainee, ITEMS["AP-CHEST"], ON)
    assert ceiling is not None
    assert (ceiling.level, ceiling.basis) == (DIRECT, IRMER_OPERATOR)


def test_a_mammography_associate_at_a_qualifying_site_may_be_remote() -> None:
    def ma(qualifying: bool) -> PersonFacts:
        return PersonFacts(
            role=RoleOnDate(job_role=JobRole.MA, scope=frozenset(ITEMS)),
            site=Site("m", "Mobile unit 1", two_ma_remote_model=qualifying),
        )

    assert ceiling_for(ma(True), ITEMS["MAMMO-2V"], ON) is None
    refusal = above_ceiling(REMOTE, ceiling_for(ma(False), ITEMS["MAMMO-2V"], ON))
    assert refusal is not None
    assert "Mobile unit 1 is not recorded as qualifying" in refusal


def test_a_preceptee_is_capped_at_the_period_s_ceiling_set_by_the_trust() -> None:
    period = Preceptorship(
        starts_on=ON, ends_on=ON + dt.timedelta(30), preceptor="Jo Bloggs", ceiling=DIRECT
    )
    person = PersonFacts(
        role=RoleOnDate(job_role=JobRole.SCSW, scope=frozenset(ITEMS)), preceptorships=(period,)
    )
    ceiling = ceiling_for(person, ITEMS["CANN"], ON)
    assert ceiling is not None
    assert ceiling.level is DIRECT
    assert "set by your trust" in ceiling.basis.label
    assert ceiling_for(person, ITEMS["CANN"], ON - dt.timedelta(1)) is None
