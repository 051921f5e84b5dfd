"""Properties of the standing engine over generated histories, people and tasks (Hypothesis):
supervision never laxer than a ceiling that applies, no exposure without a current
entitlement, valid_until never past any component's end, restrictions never widen, a lapsed
prerequisite always shows the shared status."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from portfolio.core.roles import JobRole
from portfolio.standing.answer import ReasonCode, Standing
from portfolio.standing.facts import (
    Competence,
    Entitlement,
    GrantState,
    ItemFacts,
    PersonFacts,
    Preceptorship,
    RoleOnDate,
    Site,
    TaskContext,
)
from portfolio.standing.rules import shown_status, standing
from portfolio.standing.status import SupervisionLevel, status_on
from portfolio.standing.terms import EntitlementKind, Modality, PatientGroup, strictness
from tests.factories.histories import as_at, day, histories
from tests.standing.builders import ITEMS

ENGINE_ITEMS = ["AP-CHEST", "AP-APPEND", "PAED", "MAMMO-2V", "CANN", "MR-COILS", "SCSW-QA"]


def _related(code: str) -> set[str]:
    facts = ITEMS[code]
    codes = {code, *(p.code for p in facts.prerequisites)}
    codes |= {r.code for rule in facts.patient_groups for r in rule.requires}
    return codes


@st.composite
def entitlements(draw: st.DrawFn) -> Entitlement:
    granted = draw(st.integers(0, 90).map(day))
    return Entitlement(
        kind=draw(st.sampled_from([EntitlementKind.EXPOSURE, EntitlementKind.EQUIPMENT_QA])),
        modality=draw(st.none() | st.sampled_from(Modality)),
        examinations=frozenset(
            draw(
                st.lists(
                    st.sampled_from(["chest", "appendicular-skeleton", "two-view-mammography"]),
                    max_size=2,
                )
            )
        ),
        granted_on=granted,
        review_on=draw(st.none() | st.integers(0, 60).map(lambda n: granted + dt.timedelta(n))),
        withdrawn_on=draw(st.none() | st.integers(0, 60).map(lambda n: granted + dt.timedelta(n))),
    )


@st.composite
def preceptorships(draw: st.DrawFn) -> Preceptorship:
    start = draw(st.integers(0, 90).map(day))
    return Preceptorship(
        starts_on=start,
        ends_on=start + dt.timedelta(draw(st.integers(0, 60))),
        preceptor="Jo Bloggs",
        ceiling=draw(st.sampled_from(SupervisionLevel)),
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[PersonFacts, ItemFacts, dt.date, TaskContext | None]:
    code = draw(st.sampled_from(ENGINE_ITEMS))
    on = draw(as_at)
    competence = {
        related: Competence(status_on(draw(histories()), on, with_since=False))
        for related in _related(code)
    }
    role = draw(
        st.none()
        | st.builds(
            RoleOnDate,
            job_role=st.sampled_from(JobRole),
            scope=st.just(frozenset(ITEMS)) | st.just(frozenset()),
            trainee=st.booleans(),
        )
    )
    site = st.none() | st.builds(
        Site, code=st.just("s"), name=st.just("Site"), two_ma_remote_model=st.booleans()
    )
    person = PersonFacts(
        role=role,
        competence=competence,
        entitlements=tuple(draw(st.lists(entitlements(), max_size=3))),
        preceptorships=tuple(draw(st.lists(preceptorships(), max_size=1))),
        site=draw(site),
    )
    task = draw(
        st.none()
        | st.builds(
            TaskContext,
            patient_group=st.none() | st.sampled_from(PatientGroup),
            modality=st.none() | st.sampled_from(Modality),
            site=site,
        )
    )
    return person, ITEMS[code], on, task


_ENTITLEMENT_CODES = {
    ReasonCode.NO_ENTITLEMENT,
    ReasonCode.ENTITLEMENT_EXPIRED,
    ReasonCode.ENTITLEMENT_WITHDRAWN,
    ReasonCode.TRAINEE_NOT_OPERATOR,
}


def _applicable_ceilings(
    person: PersonFacts, item: ItemFacts, on: dt.date, task: TaskContext | None
) -> list[SupervisionLevel]:
    """The ceilings that apply, worked out apart from the engine."""
    role = person.role
    assert role is not None
    preceptee = any(p.applies(item.code, on) for p in person.preceptorships)
    levels = [p.ceiling for p in person.preceptorships if p.applies(item.code, on)]
    site = task.site if task and task.site else person.site
    for ceiling in item.ceilings:
        if not ceiling.applies_to(role, preceptee=preceptee):
            continue
        if ceiling.patient_group is not None:
            if task is not None and task.patient_group is ceiling.patient_group:
                levels.append(ceiling.at_most)
        elif not ceiling.remote_at_qualifying_site or not (site and site.two_ma_remote_model):
            levels.append(ceiling.at_most)
    if role.trainee and item.entitlement is not None and item.entitlement.for_task(task):
        levels.append(SupervisionLevel.DIRECT)
    return levels


def _current_covering(
    person: PersonFacts, item: ItemFacts, on: dt.date, task: TaskContext | None
) -> list[Entitlement]:
    need = item.entitlement.for_task(task) if item.entitlement else None
    if need is None:
        return []
    return [
        e
        for e in person.entitlements
        if need.covered_by(e) and e.state_on(on) is GrantState.CURRENT
    ]


@settings(max_examples=120, deadline=None)
@given(cases())
def test_may_exactly_when_nothing_blocks_and_a_may_not_says_nothing_more(case: tuple) -> None:  # type: ignore[type-arg]
    result = standing(*case)
    assert result.may == (not any(reason.blocks for reason in result.reasons))
    if not result.may:
        assert (result.supervision, result.conditions, result.valid_until) == (None, (), None)
        assert result.reasons
        assert all(reason.blocks for reason in result.reasons)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_supervision_is_never_laxer_than_any_ceiling_that_applies(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on, task = case
    result = standing(person, item, on, task)
    if not result.may:
        return
    recorded = person.competence[item.code].status.supervision
    levels = _applicable_ceilings(person, item, on, task)
    for level in [*levels, *([recorded] if recorded else [])]:
        assert result.supervision is not None
        assert strictness(result.supervision) >= strictness(level)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_no_may_for_an_entitled_task_without_a_current_entitlement(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on, task = case
    result = standing(person, item, on, task)
    needed = item.entitlement is not None and item.entitlement.for_task(task) is not None
    if needed and not _current_covering(person, item, on, task):
        assert not result.may
        assert _ENTITLEMENT_CODES & set(result.codes)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_valid_until_is_never_later_than_any_component_end(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on, task = case
    result = standing(person, item, on, task)
    if not result.may:
        return
    ends = [person.competence[item.code].status.expires_on]
    ends += [person.competence[p.code].status.expires_on for p in item.prerequisites]
    ends += [p.ends_on for p in person.preceptorships if p.applies(item.code, on)]
    covering = _current_covering(person, item, on, task)
    if covering and all(e.review_on for e in covering):
        ends.append(max(e.review_on for e in covering if e.review_on))
    for end in ends:
        if end is not None:
            assert result.valid_until is not None
            assert result.valid_until <= end
    assert result.valid_until is None or result.valid_until >= on


def _restrictions(
    person: PersonFacts, item: ItemFacts, task: TaskContext | None
) -> list[tuple[PersonFacts, ItemFacts, TaskContext | None]]:
    """Each way of taking something away or adding a limit."""
    out: list[tuple[PersonFacts, ItemFacts, TaskContext | None]] = []
    for index in range(len(person.entitlements)):
        fewer = person.entitlements[:index] + person.entitlements[index + 1 :]
        out.append((dataclasses.replace(person, entitlements=fewer), item, task))
    if person.role is not None:
        trainee = dataclasses.replace(person.role, trainee=True)
        out.append((dataclasses.replace(person, role=trainee), item, task))
    period = Preceptorship(starts_on=dt.date.min, ends_on=dt.date.max, preceptor="P")
    out.append((dataclasses.replace(person, preceptorships=(period,)), item, task))
    child = dataclasses.replace(task or TaskContext(), patient_group=PatientGroup.CHILD)
    out.append((person, item, child))
    if person.site is not None:
        out.append(
            (
                dataclasses.replace(
                    person, site=dataclasses.replace(person.site, two_ma_remote_model=False)
                ),
                item,
                task,
            )
        )
    return out


@settings(max_examples=120, deadline=None)
@given(cases())
def test_adding_a_restriction_never_turns_may_not_into_may(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on, task = case
    before = standing(person, item, on, task)
    for restricted in _restrictions(person, item, task):
        after = standing(restricted[0], restricted[1], on, restricted[2])
        assert before.may or not after.may
        if before.may and after.may and before.supervision and after.supervision:
            assert strictness(after.supervision) >= strictness(before.supervision)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_a_lapsed_prerequisite_always_gives_the_shared_status(case: tuple) -> None:  # type: ignore[type-arg]
    person, item, on, task = case
    result = standing(person, item, on, task)
    own = person.competence[item.code].status
    lapsed = [p for p in item.prerequisites if not person.competence[p.code].status.may_practise]
    unentitled = own.may_practise and any(reason.code.about_grants for reason in result.reasons)
    if lapsed:
        assert not result.may
        assert ReasonCode.PREREQUISITE_LAPSED in result.codes
        if own.may_practise:
            assert result.shown.code.startswith(f"{own.status.value}_prerequisite_lapsed")
            assert result.shown.text.startswith(f"{own.status.label}, prerequisite lapsed")
    elif unentitled:
        assert not result.may
        assert result.shown.code == f"{own.status.value}_not_entitled"
        assert result.shown.text.startswith(f"{own.status.label}, not entitled (")
    else:
        assert result.shown.code == own.status.value
    assert result.shown.lapsed == bool(lapsed and own.may_practise)
    assert result.shown.unentitled == unentitled


@settings(max_examples=120, deadline=None)
@given(cases())
def test_a_table_shows_what_the_engine_answers(case: tuple) -> None:  # type: ignore[type-arg]
    """The matrix, progress, the PDF and the verify page build the status from the statuses
    and the person's grants alone (`shown_status`): the same as the whole answer's."""
    person, item, on, _ = case
    statuses = {code: held.status for code, held in person.competence.items()}
    assert shown_status(item, statuses, on, person) == standing(person, item, on).shown


def test_every_case_strategy_produces_a_standing() -> None:
    assert isinstance(standing(PersonFacts(role=None), ITEMS["CANN"], day(0)), Standing)
