"""Progress against a scope of practice, readiness for the next job role, and the Care
Certificate: pure rules over plain values, no database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.careers.scope import WorkerScope, WorkerScopeRow
from portfolio.core.roles import JobRole
from portfolio.frameworks.rules import Requirement
from portfolio.frameworks.schema import EntryRoute, Pathway, SourceRef
from portfolio.progress.rules import (
    DomainProgress,
    Tally,
    care_certificate_applies,
    entry_routes,
    readiness,
    scope_progress,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Request,
    Revocation,
    Status,
    StatusOnDate,
    Suspension,
    status_on,
)
from tests.factories import histories

DAY = dt.timedelta(days=1)
ON = dt.date(2026, 6, 1)  # the day progress is asked about
SIGNED = dt.date(2026, 3, 2)


def sign_off(
    *,
    decision_id: int = 1,
    expires: dt.date | None = None,
    countersignature_required: bool = False,
) -> Decision:
    return histories.decision(
        decision_id,
        observed=SIGNED,
        expires=expires,
        countersignature_required=countersignature_required,
    )


# One real history for every status on ON, answered by the status rules themselves.
HISTORIES: dict[Status, CompetencyHistory] = {
    Status.NOT_STARTED: CompetencyHistory(),
    Status.IN_PROGRESS: CompetencyHistory(evidence_dates=(dt.date(2026, 5, 1),)),
    Status.AWAITING_SIGN_OFF: CompetencyHistory(
        evidence_dates=(dt.date(2026, 5, 1),),
        requests=(Request(requested_on=dt.date(2026, 5, 20)),),
    ),
    Status.AWAITING_COUNTERSIGNATURE: CompetencyHistory(
        decisions=(sign_off(countersignature_required=True),)
    ),
    Status.AWAITING_ACCEPTANCE: CompetencyHistory(
        decisions=(histories.decision(observed=SIGNED, transcribed=True, acceptance_required=True),)
    ),
    Status.NOT_YET_COMPETENT: CompetencyHistory(
        decisions=(histories.decision(observed=SIGNED, outcome=Outcome.NOT_YET_COMPETENT),)
    ),
    Status.COMPETENT: CompetencyHistory(decisions=(sign_off(expires=dt.date(2027, 3, 1)),)),
    Status.DUE_FOR_REASSESSMENT: CompetencyHistory(decisions=(sign_off(expires=ON + 30 * DAY),)),
    Status.EXPIRED: CompetencyHistory(decisions=(sign_off(expires=ON - DAY),)),
    Status.SUSPENDED: CompetencyHistory(
        decisions=(sign_off(),),
        suspensions=(Suspension(decision_id=1, starts_on=dt.date(2026, 5, 1)),),
    ),
    Status.REVOKED: CompetencyHistory(
        decisions=(sign_off(),),
        revocations=(Revocation(decision_id=1, revoked_on=dt.date(2026, 5, 1)),),
    ),
}
STATUSES: dict[Status, StatusOnDate] = {
    status: status_on(record, ON) for status, record in HISTORIES.items()
}
DONE = (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT)


def row(
    code: str, domain: str = "Patient care", requirement: Requirement = Requirement.CORE
) -> WorkerScopeRow:
    return WorkerScopeRow(code, f"Title of {code}", domain, requirement)


def scope(*rows: WorkerScopeRow, job_role: JobRole = JobRole.CSW) -> WorkerScope:
    return WorkerScope(job_role=job_role, post=None, rows=list(rows))


def test_every_status_the_tests_rely_on_comes_from_a_real_history() -> None:
    assert {status: answer.status for status, answer in STATUSES.items()} == {
        status: status for status in Status
    }


# Progress against the scope: what is counted.


def test_optional_items_are_never_in_the_totals_whatever_their_status() -> None:
    worker = scope(
        row("CORE", requirement=Requirement.CORE),
        row("POST", requirement=Requirement.POST_CORE),
        row("PLAN", requirement=Requirement.PLANNED),
        row("OPT-DONE", requirement=Requirement.OPTIONAL),
        row("OPT-EXPIRED", requirement=Requirement.OPTIONAL),
    )
    statuses = {
        "CORE": STATUSES[Status.COMPETENT],
        "POST": STATUSES[Status.NOT_STARTED],
        "PLAN": STATUSES[Status.DUE_FOR_REASSESSMENT],
        "OPT-DONE": STATUSES[Status.COMPETENT],
        "OPT-EXPIRED": STATUSES[Status.EXPIRED],
    }
    result = scope_progress(worker, statuses)
    assert result.overall == Tally(2, 3)
    assert result.by_domain == (DomainProgress("Patient care", Tally(2, 3)),)
    assert result.expired == ()


def test_post_core_and_planned_items_count_like_core_ones() -> None:
    worker = scope(
        row("POST", requirement=Requirement.POST_CORE),
        row("PLAN", requirement=Requirement.PLANNED),
    )
    result = scope_progress(worker, dict.fromkeys(("POST", "PLAN"), STATUSES[Status.COMPETENT]))
    assert result.overall == Tally(2, 2)


@pytest.mark.parametrize("status", list(Status), ids=lambda status: status.value)
def test_done_means_competent_or_due_for_reassessment_and_nothing_else(status: Status) -> None:
    result = scope_progress(scope(row("A")), {"A": STATUSES[status]})
    assert result.overall == Tally(1 if status in DONE else 0, 1)


def test_due_for_reassessment_is_done_until_it_expires_and_not_after() -> None:
    expires = ON + 10 * DAY
    record = CompetencyHistory(decisions=(sign_off(expires=expires),))
    worker = scope(row("A"))
    on_expiry_day = scope_progress(worker, {"A": status_on(record, expires)})
    day_after = scope_progress(worker, {"A": status_on(record, expires + DAY)})
    assert (on_expiry_day.overall.done, on_expiry_day.due) == (1, ("A",))
    assert (day_after.overall.done, day_after.expired) == (0, ("A",))


def test_domains_are_listed_in_the_order_the_scope_first_lists_them() -> None:
    worker = scope(
        row("B1", "Radiation safety"),
        row("A1", "Communication"),
        row("B2", "Radiation safety"),
        row("C1", "Infection control"),
        row("A2", "Communication"),
    )
    statuses = {
        "B1": STATUSES[Status.COMPETENT],
        "A1": STATUSES[Status.EXPIRED],
        "B2": STATUSES[Status.DUE_FOR_REASSESSMENT],
        "C1": STATUSES[Status.NOT_STARTED],
        "A2": STATUSES[Status.COMPETENT],
    }
    result = scope_progress(worker, statuses)
    assert result.by_domain == (
        DomainProgress("Radiation safety", Tally(2, 2)),
        DomainProgress("Communication", Tally(1, 2)),
        DomainProgress("Infection control", Tally(0, 1)),
    )
    assert result.overall == Tally(3, 5)


def test_a_domain_with_only_optional_items_is_not_shown() -> None:
    worker = scope(row("A", "Communication"), row("X", "Mammography", Requirement.OPTIONAL))
    result = scope_progress(worker, dict.fromkeys("AX", STATUSES[Status.COMPETENT]))
    assert [item.domain for item in result.by_domain] == ["Communication"]


def test_each_list_of_what_needs_doing_holds_exactly_the_codes_in_its_statuses() -> None:
    # Two counted items in every status, interleaved, and an optional one in each as well.
    rows, statuses = [], {}
    for round_ in (1, 2):
        for status, answer in STATUSES.items():
            code = f"{status.value}-{round_}"
            rows.append(row(code))
            statuses[code] = answer
    for status, answer in STATUSES.items():
        rows.append(row(f"{status.value}-optional", requirement=Requirement.OPTIONAL))
        statuses[f"{status.value}-optional"] = answer

    result = scope_progress(scope(*rows), statuses)

    def codes(*wanted: Status) -> set[str]:
        return {f"{status.value}-{round_}" for status in wanted for round_ in (1, 2)}

    # Single-status lists keep the scope's order.
    assert result.due == ("due_for_reassessment-1", "due_for_reassessment-2")
    assert result.expired == ("expired-1", "expired-2")
    assert result.suspended == ("suspended-1", "suspended-2")
    assert result.not_yet_competent == ("not_yet_competent-1", "not_yet_competent-2")
    # Awaiting is every kind of wait, each code once.
    assert len(result.awaiting) == 6
    assert set(result.awaiting) == codes(
        Status.AWAITING_SIGN_OFF, Status.AWAITING_COUNTERSIGNATURE, Status.AWAITING_ACCEPTANCE
    )
    assert result.overall == Tally(4, 2 * len(Status))


def test_as_at_a_date_before_the_sign_off_was_recorded_the_item_is_not_done() -> None:
    # Observed on 1 March, typed in on 5 March: asked about 3 March, it did not exist yet.
    decision = Decision(
        id=1,
        outcome=Outcome.COMPETENT,
        observed_on=dt.date(2026, 3, 1),
        recorded_on=dt.date(2026, 3, 5),
    )
    record = CompetencyHistory(decisions=(decision,))
    worker = scope(row("A"), row("B"))
    other = STATUSES[Status.NOT_STARTED]

    def on(day: dt.date) -> Tally:
        return scope_progress(worker, {"A": status_on(record, day), "B": other}).overall

    assert on(dt.date(2026, 3, 3)) == Tally(0, 2)
    assert on(dt.date(2026, 3, 4)) == Tally(0, 2)
    assert on(dt.date(2026, 3, 5)) == Tally(1, 2)
    assert on(dt.date(2026, 4, 1)) == Tally(1, 2)


DOMAINS = ("Communication", "Radiation safety", "Infection control", "Patient care")


@st.composite
def scopes_with_statuses(draw: st.DrawFn) -> tuple[WorkerScope, dict[str, StatusOnDate]]:
    count = draw(st.integers(0, 25))
    rows = [
        row(f"C{n}", draw(st.sampled_from(DOMAINS)), draw(st.sampled_from(Requirement)))
        for n in range(count)
    ]
    statuses = {item.code: STATUSES[draw(st.sampled_from(Status))] for item in rows}
    return scope(*rows), statuses


@given(scopes_with_statuses())
def test_overall_is_the_sum_of_the_domains_and_counts_every_counted_item_once(
    drawn: tuple[WorkerScope, dict[str, StatusOnDate]],
) -> None:
    worker, statuses = drawn
    result = scope_progress(worker, statuses)
    counted = [item for item in worker.rows if item.requirement is not Requirement.OPTIONAL]
    assert result.overall.total == len(counted)
    assert result.overall.done == sum(item.tally.done for item in result.by_domain)
    assert result.overall.total == sum(item.tally.total for item in result.by_domain)
    assert result.overall.done == sum(statuses[item.code].status in DONE for item in counted)
    assert 0 <= result.overall.done <= result.overall.total
    for item in result.by_domain:
        assert 0 <= item.tally.done <= item.tally.total
        assert item.tally.total > 0
    # Every domain of a counted item once, in the order the scope first lists it.
    assert [item.domain for item in result.by_domain] == list(
        dict.fromkeys(item.domain for item in counted)
    )
    # The lists of what needs doing hold counted codes only, each once.
    listed = [
        *result.due,
        *result.expired,
        *result.suspended,
        *result.awaiting,
        *result.not_yet_competent,
    ]
    assert len(listed) == len(set(listed))
    assert set(listed) <= {item.code for item in counted}


# Whole percent, rounded down.


@pytest.mark.parametrize(
    ("done", "total", "percent"),
    [(0, 0, 0), (0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (199, 200, 99), (1, 1, 100)],
)
def test_percent_is_rounded_down(done: int, total: int, percent: int) -> None:
    assert Tally(done, total).percent == percent


@given(
    st.integers(0, 10_000).flatmap(lambda total: st.tuples(st.integers(0, total), st.just(total)))
)
def test_percent_is_100_only_when_everything_is_done(drawn: tuple[int, int]) -> None:
    done, total = drawn
    tally = Tally(done, total)
    assert 0 <= tally.percent <= 100
    assert tally.percent * total <= done * 100  # never rounded up
    assert (tally.percent == 100) == (total > 0 and done == total)
    assert tally.describe() == f"{done} of {total}"


# Readiness for the next job role.

SOURCE = SourceRef(key="sor-roles-hub")
NEXT_WORDS = {
    JobRole.CSW: "Senior clinical support worker (level 3)",
    JobRole.SCSW: "Assistant practitioner (level 5)",
    JobRole.MA: "Assistant practitioner (mammography)",
    JobRole.AP: "Radiographer, through the degree apprenticeship",
}


def pathway(
    job_role: JobRole,
    *routes: tuple[str, ...],
    next_roles: list[str] | None = None,
) -> Pathway:
    return Pathway(
        job_role=job_role,
        level=3,
        entry_routes=[
            EntryRoute(description=f"Route {n}", qualifications=list(codes))
            for n, codes in enumerate(routes or (("gcse-9-4",),), start=1)
        ],
        next_roles=[NEXT_WORDS[job_role]] if next_roles is None else next_roles,
        source=SOURCE,
    )


PATHWAYS = {job_role: pathway(job_role) for job_role in JobRole}


@pytest.mark.parametrize(
    ("current", "target"),
    [(JobRole.CSW, JobRole.SCSW), (JobRole.SCSW, JobRole.AP), (JobRole.MA, JobRole.AP)],
)
def test_the_next_step_up_the_ladder_in_the_pathways_words(
    current: JobRole, target: JobRole
) -> None:
    result = readiness(current, PATHWAYS, ["A"], {"A": STATUSES[Status.COMPETENT]}, [], [])
    assert result.next_job_role is target
    assert result.next_step == NEXT_WORDS[current]
    assert result.competencies == Tally(1, 1)


def test_an_assistant_practitioners_next_step_is_in_words_with_nothing_to_measure() -> None:
    result = readiness(
        JobRole.AP, PATHWAYS, ["A"], {"A": STATUSES[Status.NOT_STARTED]}, ["gcse-9-4"], []
    )
    assert result.next_job_role is None
    assert result.next_step == NEXT_WORDS[JobRole.AP]
    assert (result.competencies, result.missing_competencies, result.routes) == (
        Tally(0, 0),
        (),
        (),
    )


def test_without_words_from_a_pathway_the_next_step_is_the_next_job_roles_name() -> None:
    assert readiness(JobRole.CSW, {}, [], {}, [], []).next_step == "Senior clinical support worker"
    no_words = {JobRole.MA: pathway(JobRole.MA, next_roles=[])}
    assert readiness(JobRole.MA, no_words, [], {}, [], []).next_step == "Assistant practitioner"
    assert (
        readiness(JobRole.AP, {}, [], {}, [], []).next_step == "No further support worker job role"
    )


def test_missing_competencies_are_the_next_core_not_competent_and_current_in_order() -> None:
    next_core = ["E", "A", "D", "B", "C", "F"]
    statuses = {
        "A": STATUSES[Status.COMPETENT],
        "B": STATUSES[Status.DUE_FOR_REASSESSMENT],
        "C": STATUSES[Status.EXPIRED],
        "D": STATUSES[Status.AWAITING_COUNTERSIGNATURE],
        "E": STATUSES[Status.SUSPENDED],
        # F: nothing known about it at all
    }
    result = readiness(JobRole.CSW, PATHWAYS, next_core, statuses, [], [])
    assert result.missing_competencies == ("E", "D", "C", "F")
    assert result.competencies == Tally(2, 6)


@given(
    st.lists(st.sampled_from("ABCDEFGH"), unique=True, max_size=8),
    st.dictionaries(st.sampled_from("ABCDEFGH"), st.sampled_from(Status)),
)
def test_missing_competencies_and_the_tally_always_agree(
    next_core: list[str], drawn: dict[str, Status]
) -> None:
    statuses = {code: STATUSES[status] for code, status in drawn.items()}
    result = readiness(JobRole.SCSW, PATHWAYS, next_core, statuses, [], [])
    ready = [code for code in next_core if code in drawn and drawn[code] in DONE]
    assert result.missing_competencies == tuple(code for code in next_core if code not in ready)
    assert result.competencies == Tally(len(ready), len(next_core))


# Entry routes: all of a route's qualifications (AND), any one route (OR).

TWO_ROUTES = {
    JobRole.CSW: pathway(JobRole.CSW),
    JobRole.SCSW: pathway(
        JobRole.SCSW,
        ("l3-diploma-healthcare-support", "functional-skills-l2"),
        ("a-levels",),
    ),
}


def ready_for_scsw(achieved: list[str], in_progress: list[str] | None = None) -> bool:
    return readiness(JobRole.CSW, TWO_ROUTES, [], {}, achieved, in_progress or []).qualification_met


def test_a_route_needs_every_one_of_its_qualifications() -> None:
    assert not ready_for_scsw(["l3-diploma-healthcare-support"])
    assert not ready_for_scsw(["functional-skills-l2"])
    assert ready_for_scsw(["l3-diploma-healthcare-support", "functional-skills-l2"])


def test_any_one_route_will_do() -> None:
    assert ready_for_scsw(["a-levels"])
    assert ready_for_scsw(["a-levels", "functional-skills-l2"])
    assert not ready_for_scsw([])
    assert not ready_for_scsw(["gcse-9-4"])


def test_a_qualification_being_studied_is_shown_as_studying_and_is_not_met() -> None:
    result = readiness(
        JobRole.CSW,
        TWO_ROUTES,
        [],
        {},
        ["l3-diploma-healthcare-support"],
        ["functional-skills-l2", "a-levels"],
    )
    diploma, a_levels = result.routes
    assert (diploma.held, diploma.studying, diploma.missing) == (
        ("l3-diploma-healthcare-support",),
        ("functional-skills-l2",),
        (),
    )
    assert not diploma.met
    assert (a_levels.held, a_levels.studying, a_levels.missing) == ((), ("a-levels",), ())
    assert not a_levels.met
    assert not result.qualification_met


def test_a_qualification_achieved_and_still_listed_as_in_progress_counts_as_held() -> None:
    (route,) = entry_routes(pathway(JobRole.SCSW, ("a-levels",)), ["a-levels"], ["a-levels"])
    assert (route.held, route.studying, route.missing, route.met) == (("a-levels",), (), (), True)


def test_routes_keep_the_pathways_order_and_words() -> None:
    result = readiness(JobRole.CSW, TWO_ROUTES, [], {}, [], [])
    assert [route.description for route in result.routes] == ["Route 1", "Route 2"]
    assert result.routes[0].missing == ("l3-diploma-healthcare-support", "functional-skills-l2")


def test_with_no_entry_routes_to_meet_the_qualification_is_met() -> None:
    # The catalogue has no pathway for the next job role: nothing to hold the person back.
    result = readiness(JobRole.CSW, {JobRole.CSW: PATHWAYS[JobRole.CSW]}, [], {}, [], [])
    assert (result.routes, result.qualification_met) == ((), True)


QUALIFICATIONS = ("gcse-9-4", "functional-skills-l2", "a-levels", "t-level-health", "higher")


@given(
    st.lists(
        st.lists(st.sampled_from(QUALIFICATIONS), min_size=1, max_size=3, unique=True),
        min_size=1,
        max_size=4,
    ),
    st.sets(st.sampled_from(QUALIFICATIONS)),
    st.sets(st.sampled_from(QUALIFICATIONS)),
)
def test_qualification_met_exactly_when_some_route_is_fully_achieved(
    routes: list[list[str]], achieved: set[str], in_progress: set[str]
) -> None:
    target = pathway(JobRole.SCSW, *(tuple(codes) for codes in routes))
    result = readiness(
        JobRole.CSW, {JobRole.SCSW: target}, [], {}, sorted(achieved), sorted(in_progress)
    )
    assert len(result.routes) == len(routes)
    for check, codes in zip(result.routes, routes, strict=True):
        # Every qualification of the route is in exactly one of the three, in the route's order.
        assert sorted((*check.held, *check.studying, *check.missing)) == sorted(codes)
        assert check.held == tuple(code for code in codes if code in achieved)
        assert check.studying == tuple(
            code for code in codes if code in in_progress and code not in achieved
        )
        assert check.met == (set(codes) <= achieved)
    assert result.qualification_met == any(set(codes) <= achieved for codes in routes)


# The Care Certificate: England's, for people new to care.

STARTED = dt.date(2026, 1, 5)


def care_certificate(
    *,
    in_england: bool = True,
    started: dt.date | None = STARTED,
    days_after: int = 0,
    has_records: bool = False,
) -> bool:
    return care_certificate_applies(
        in_england=in_england,
        started_in_post_on=started,
        on=STARTED + days_after * DAY,
        has_records=has_records,
    )


def test_the_care_certificate_is_never_shown_outside_england() -> None:
    assert not care_certificate(in_england=False)
    assert not care_certificate(in_england=False, has_records=True)
    assert not care_certificate(in_england=False, started=None, has_records=True)


@pytest.mark.parametrize("days_after", [0, 365, 366, 5000])
def test_with_records_the_care_certificate_is_shown_whatever_the_date(days_after: int) -> None:
    assert care_certificate(days_after=days_after, has_records=True)
    assert care_certificate(started=None, days_after=days_after, has_records=True)


@pytest.mark.parametrize(
    ("days_after", "shown"),
    [(0, True), (1, True), (84, True), (364, True), (365, True), (366, False), (1000, False)],
)
def test_without_records_it_is_shown_for_365_days_after_starting_in_post(
    days_after: int, shown: bool
) -> None:
    assert care_certificate(days_after=days_after) is shown


def test_without_a_start_date_or_records_the_care_certificate_is_not_shown() -> None:
    assert not care_certificate(started=None)
