"""The matrix's filters, columns, cells, counting, sorting and paging, without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import JobRole
from portfolio.frameworks.rules import Requirement
from portfolio.oversight.matrix import (
    NOT_IN_SCOPE,
    Cell,
    Column,
    DomainCount,
    Filters,
    Learners,
    Row,
    Sort,
    Worker,
    build_row,
    choose_columns,
    domain_summary,
    keep_status,
    page_bounds,
    page_numbers,
    select_workers,
    sort_rows,
    sort_workers,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Outcome,
    Status,
    StatusOnDate,
    status_on,
)

ON = dt.date(2026, 6, 1)


def worker(
    id: int,
    name: str,
    job_role: JobRole = JobRole.CSW,
    department: tuple[int, str] = (1, "MRI"),
    post: tuple[int, str] | None = None,
    trainee: bool = False,
) -> Worker:
    return Worker(
        id,
        name,
        job_role,
        trainee,
        department[0],
        department[1],
        post[0] if post else None,
        post[1] if post else None,
        dt.date(2025, 1, 1),
    )


COLUMNS = [
    Column("A-1", "Identification", "Core"),
    Column("B-1", "Cannulation", "Clinical"),
    Column("C-1", "Coils", "MRI"),
]

NOTHING = status_on(CompetencyHistory(), ON)


def competent(expires_on: dt.date | None = None):  # type: ignore[no-untyped-def]
    return status_on(
        CompetencyHistory(
            decisions=(
                Decision(
                    id=1,
                    outcome=Outcome.COMPETENT,
                    observed_on=dt.date(2026, 1, 1),
                    recorded_on=dt.date(2026, 1, 1),
                    expires_on=expires_on,
                ),
            )
        ),
        ON,
    )


def test_select_workers_by_department_post_and_job_role() -> None:
    mri = worker(1, "Ann", JobRole.SCSW, (1, "MRI"), (7, "MRI senior CSW"))
    ct = worker(2, "Bob", JobRole.CSW, (2, "CT"))
    also_mri = worker(3, "Cy", JobRole.CSW, (1, "MRI"))
    everyone = [mri, ct, also_mri]
    assert select_workers(everyone, Filters()) == everyone
    assert select_workers(everyone, Filters(department_id=1)) == [mri, also_mri]
    assert select_workers(everyone, Filters(post_id=7)) == [mri]
    assert select_workers(everyone, Filters(job_role=JobRole.CSW)) == [ct, also_mri]
    assert select_workers(everyone, Filters(department_id=2, job_role=JobRole.SCSW)) == []


def test_columns_are_those_in_anyones_scope_or_one_domain_or_one_competency() -> None:
    assert choose_columns(COLUMNS, {"C-1", "A-1"}) == [COLUMNS[0], COLUMNS[2]]
    assert choose_columns(COLUMNS, {"A-1", "B-1"}, "domain:Clinical") == [COLUMNS[1]]
    assert choose_columns(COLUMNS, {"A-1", "B-1"}, "B-1") == [COLUMNS[1]]
    assert choose_columns(COLUMNS, {"A-1"}, "B-1") == []  # in nobody's scope


def test_a_cell_outside_the_scope_says_so_and_cells_in_scope_carry_status_and_expiry() -> None:
    scope = {"A-1": Requirement.CORE, "B-1": Requirement.OPTIONAL}
    row = build_row(
        worker(1, "Ann"),
        scope,
        {"A-1": competent(dt.date(2027, 1, 1)), "B-1": competent()},
        COLUMNS,
    )
    first, second, third = row.cells
    assert (first.label, first.expires_on, first.counts) == ("Competent", dt.date(2027, 1, 1), True)
    assert (second.label, second.counts) == ("Competent", False)  # optional, not taken up
    assert (third.in_scope, third.label, third.status) == (False, NOT_IN_SCOPE, None)
    # Only what progress counts is counted: the optional item is not.
    assert (row.competent, row.counted) == (1, 1)


def test_due_for_reassessment_is_still_competent_in_the_count() -> None:
    due = competent(ON + dt.timedelta(days=10))
    assert due.status is Status.DUE_FOR_REASSESSMENT
    row = build_row(
        worker(1, "Ann"),
        {"A-1": Requirement.CORE, "B-1": Requirement.POST_CORE, "C-1": Requirement.PLANNED},
        {"A-1": due, "B-1": NOTHING, "C-1": competent()},
        COLUMNS,
    )
    assert (row.competent, row.counted) == (2, 3)


def _state(status: Status) -> StatusOnDate:
    return StatusOnDate(
        status=status,
        decision=None,
        supervision=None,
        conditions=(),
        expires_on=None,
        since=None,
        renewal_awaiting=False,
        request=None,
        suspension=None,
        revocation=None,
    )


def _row(
    id: int,
    name: str,
    statuses: list[Status | None],
    job_role: JobRole = JobRole.CSW,
    department: tuple[int, str] = (1, "MRI"),
) -> Row:
    return Row(
        worker(id, name, job_role, department),
        tuple(Cell(_state(item), True) if item else Cell(None) for item in statuses),
    )


def test_the_status_filter_keeps_workers_with_at_least_one_cell_in_that_status() -> None:
    rows = [
        _row(1, "Ann", [Status.EXPIRED, Status.COMPETENT]),
        _row(2, "Bob", [Status.COMPETENT, None]),
        _row(3, "Cy", [Status.NOT_STARTED, Status.EXPIRED]),
    ]
    assert [row.worker.name for row in keep_status(rows, Status.EXPIRED)] == ["Ann", "Cy"]
    assert keep_status(rows, None) == rows
    assert keep_status(rows, Status.REVOKED) == []


def test_sorting_by_progress_name_department_and_job_role() -> None:
    rows = [
        _row(1, "cy", [Status.COMPETENT, Status.COMPETENT], department=(1, "MRI")),
        _row(
            2,
            "Ann",
            [Status.NOT_STARTED, Status.COMPETENT],
            job_role=JobRole.AP,
            department=(2, "CT"),
        ),
        _row(3, "Bob", [Status.DUE_FOR_REASSESSMENT, Status.COMPETENT], job_role=JobRole.SCSW),
        _row(4, "Ann", [Status.EXPIRED, Status.IN_PROGRESS], department=(3, "breast")),
    ]

    def names(sort: Sort) -> list[tuple[str, int]]:
        return [(row.worker.name, row.worker.id) for row in sort_rows(rows, sort)]

    assert names(Sort.NAME) == [("Ann", 2), ("Ann", 4), ("Bob", 3), ("cy", 1)]
    assert names(Sort.MOST_COMPETENT) == [("Bob", 3), ("cy", 1), ("Ann", 2), ("Ann", 4)]
    assert names(Sort.FEWEST_COMPETENT) == [("Ann", 4), ("Ann", 2), ("Bob", 3), ("cy", 1)]
    assert names(Sort.DEPARTMENT) == [("Ann", 4), ("Ann", 2), ("Bob", 3), ("cy", 1)]
    # The career ladder's order: CSW, senior CSW, MA, AP.
    assert names(Sort.JOB_ROLE) == [("Ann", 4), ("cy", 1), ("Bob", 3), ("Ann", 2)]
    assert sort_workers([row.worker for row in rows], Sort.JOB_ROLE) == [
        row.worker for row in sort_rows(rows, Sort.JOB_ROLE)
    ]


@given(st.integers(0, 500), st.integers(-3, 40), st.integers(1, 50))
def test_pages_cover_every_row_once_and_a_page_out_of_range_shows_the_last(
    total: int, number: int, per_page: int
) -> None:
    chosen, start, end = page_bounds(total, number, per_page)
    last = max(1, -(-total // per_page))
    assert 1 <= chosen <= last
    assert chosen == min(max(number, 1), last)
    assert 0 <= start <= end <= total
    assert end - start == (min(per_page, total - start) if total else 0)
    covered = []
    for page in range(1, last + 1):
        _, first, stop = page_bounds(total, page, per_page)
        covered += range(first, stop)
    assert covered == list(range(total))


def test_a_page_holds_at_least_one_row() -> None:
    with pytest.raises(ValueError, match="at least one"):
        page_bounds(10, 1, 0)


@pytest.mark.parametrize(
    ("current", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 9, [1, 2, None, 9]),
        (5, 9, [1, None, 4, 5, 6, None, 9]),
        (9, 9, [1, None, 8, 9]),
        (3, 9, [1, 2, 3, 4, None, 9]),
    ],
)
def test_page_links_show_the_ends_and_neighbours(
    current: int, pages: int, expected: list[int | None]
) -> None:
    assert page_numbers(current, pages) == expected


def test_filters_needing_every_status() -> None:
    assert not Filters().needs_every_status
    assert not Filters(sort=Sort.DEPARTMENT, department_id=3).needs_every_status
    assert Filters(status=Status.EXPIRED).needs_every_status
    assert Filters(sort=Sort.FEWEST_COMPETENT).needs_every_status


def test_the_learners_filter_keeps_trainees_or_apprentices() -> None:
    trainee = worker(1, "Ann", JobRole.AP, trainee=True)
    apprentice = worker(2, "Bob")
    neither = worker(3, "Cy")
    everyone = [trainee, apprentice, neither]
    assert select_workers(everyone, Filters(), apprentices={2}) == everyone
    assert select_workers(everyone, Filters(learners=Learners.TRAINEES), {2}) == [trainee]
    assert select_workers(everyone, Filters(learners=Learners.APPRENTICES), {2}) == [apprentice]
    assert select_workers(everyone, Filters(learners=Learners.APPRENTICES)) == []


def test_the_summary_counts_each_domains_cells_by_status_leaving_out_those_not_in_scope() -> None:
    rows = [
        _row(1, "Ann", [Status.COMPETENT, Status.EXPIRED, None]),
        _row(2, "Bob", [Status.DUE_FOR_REASSESSMENT, Status.NOT_STARTED, Status.IN_PROGRESS]),
        _row(3, "Cy", [Status.COMPETENT, Status.SUSPENDED, Status.COMPETENT]),
    ]
    assert domain_summary(COLUMNS, rows) == [
        DomainCount("Core", competent=2, due=1),
        DomainCount("Clinical", expired=1, not_started=1, other=1),
        DomainCount("MRI", competent=1, other=1),
    ]
    assert domain_summary(COLUMNS, []) == [
        DomainCount("Core"),
        DomainCount("Clinical"),
        DomainCount("MRI"),
    ]


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from(Status)), min_size=3, max_size=3),
        max_size=20,
    )
)
def test_the_summary_accounts_for_every_cell_in_scope_once(
    statuses: list[list[Status | None]],
) -> None:
    rows = [_row(number, f"Worker {number}", line) for number, line in enumerate(statuses)]
    counts = domain_summary(COLUMNS, rows)
    assert [item.domain for item in counts] == ["Core", "Clinical", "MRI"]
    for index, count in enumerate(counts):
        column = [line[index] for line in statuses]
        assert count.total == sum(1 for item in column if item is not None)
        assert count.competent == column.count(Status.COMPETENT)
        assert count.due == column.count(Status.DUE_FOR_REASSESSMENT)
        assert count.expired == column.count(Status.EXPIRED)
        assert count.not_started == column.count(Status.NOT_STARTED)
