"""The educator's matrix of workers by competencies, as pure functions of plain values.

`queries.py` reads the workers, their scopes and their sign-off histories in a fixed number
of statements; everything here (filtering, columns, cells, counting, sorting, paging) is
plain Python the tests exercise without a database.

- A *row* is a support worker in the educator's reach, active, with a job role on the date.
- The *columns* are the competencies in any shown worker's scope (all of them, one domain, or
  one competency), in framework order.
- A *cell* is the competency's status on the date (`standing.status`), with its expiry where
  the sign-off has one, or "not in scope" when the competency is outside that worker's scope.
- *Competent items* are the cells that count towards progress (core, core in the post, or in
  the plan) where the worker may practise: competent, or competent and due for reassessment.
- The status filter keeps workers with at least one shown cell in that status; the learners
  filter keeps trainees (the appointment's trainee flag) or apprentices (studying an
  apprenticeship: `oversight.rules.studying_apprenticeship`).
- The *summary* counts the shown cells of each domain by status, for the chart above the
  matrix.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portfolio.core.roles import JobRole, job_role_title
from portfolio.frameworks.rules import Requirement
from portfolio.standing.answer import Shown
from portfolio.standing.status import Status, StatusOnDate

NOT_IN_SCOPE = "Not in scope"
DOMAIN_PREFIX = "domain:"


class Sort(enum.Enum):
    NAME = "name"
    DEPARTMENT = "department"
    JOB_ROLE = "job_role"
    MOST_COMPETENT = "most_competent"
    FEWEST_COMPETENT = "fewest_competent"

    @property
    def label(self) -> str:
        return {
            "name": "Name",
            "department": "Department",
            "job_role": "Job role",
            "most_competent": "Most competent items first",
            "fewest_competent": "Fewest competent items first",
        }[self.value]

    @property
    def by_progress(self) -> bool:
        return self in (Sort.MOST_COMPETENT, Sort.FEWEST_COMPETENT)


class Learners(enum.Enum):
    """Which learners: in training towards their job role, or studying an apprenticeship."""

    TRAINEES = "trainees"
    APPRENTICES = "apprentices"

    @property
    def label(self) -> str:
        return {
            "trainees": "Trainees (in training towards their job role)",
            "apprentices": "Apprentices (studying an apprenticeship)",
        }[self.value]


@dataclass(frozen=True)
class Filters:
    department_id: int | None = None
    post_id: int | None = None
    job_role: JobRole | None = None
    status: Status | None = None
    # "" every competency in scope; "domain:<name>" one domain; otherwise one competency code.
    competencies: str = ""
    sort: Sort = Sort.NAME
    learners: Learners | None = None

    @property
    def needs_every_status(self) -> bool:
        """Filtering by status or sorting by progress needs every worker's statuses before
        a page can be chosen; otherwise only the page's workers are worked out."""
        return self.status is not None or self.sort.by_progress


@dataclass(frozen=True)
class FilterOptions:
    """What the selects offer: only departments and posts within the educator's reach."""

    departments: Sequence[tuple[int, str]]
    posts: Sequence[tuple[int, str]]  # (id, "name (department)")
    competencies: Sequence[Column]


@dataclass(frozen=True)
class Worker:
    id: int
    name: str
    job_role: JobRole
    trainee: bool
    department_id: int
    department: str
    post_id: int | None
    post: str | None
    started_in_post_on: dt.date

    @property
    def job_role_title(self) -> str:
        return job_role_title(self.job_role, self.trainee)


def select_workers(
    workers: Iterable[Worker], filters: Filters, apprentices: Collection[int] = frozenset()
) -> list[Worker]:
    """The workers matching the department, post, job role and learners filters;
    `apprentices`: the ids of those studying an apprenticeship."""
    return [
        worker
        for worker in workers
        if (filters.department_id is None or worker.department_id == filters.department_id)
        and (filters.post_id is None or worker.post_id == filters.post_id)
        and (filters.job_role is None or worker.job_role is filters.job_role)
        and (filters.learners is not Learners.TRAINEES or worker.trainee)
        and (filters.learners is not Learners.APPRENTICES or worker.id in apprentices)
    ]


_LADDER = {role: index for index, role in enumerate(JobRole)}


def _by_name(worker: Worker) -> tuple[Any, ...]:
    return (worker.name.casefold(), worker.id)


_WORKER_ORDER: dict[Sort, Callable[[Worker], tuple[Any, ...]]] = {
    Sort.NAME: _by_name,
    Sort.DEPARTMENT: lambda worker: (worker.department.casefold(), *_by_name(worker)),
    Sort.JOB_ROLE: lambda worker: (
        _LADDER[worker.job_role],
        worker.trainee,
        *_by_name(worker),
    ),
}


def sort_workers(workers: Iterable[Worker], sort: Sort) -> list[Worker]:
    """By name, department or job role (the career ladder's order); ties by name."""
    return sorted(workers, key=_WORKER_ORDER.get(sort, _by_name))


@dataclass(frozen=True)
class Column:
    code: str
    title: str
    domain: str


def choose_columns(
    competencies: Sequence[Column], in_scope: Iterable[str], choice: str = ""
) -> list[Column]:
    """The competencies in anyone's scope, in the order given, narrowed to one domain
    ("domain:<name>") or one competency code."""
    wanted = set(in_scope)
    columns = [item for item in competencies if item.code in wanted]
    if not choice:
        return columns
    if choice.startswith(DOMAIN_PREFIX):
        domain = choice.removeprefix(DOMAIN_PREFIX)
        return [item for item in columns if item.domain == domain]
    return [item for item in columns if item.code == choice]


@dataclass(frozen=True)
class Cell:
    """One worker and one competency: the status on the date, or None when the competency
    is outside the worker's scope."""

    state: StatusOnDate | None
    counts: bool = False  # towards progress: core, core in the post, or in the plan
    # The status every view shows (`standing.rules.shown_status`): a lapsed prerequisite named.
    shown: Shown | None = None

    @property
    def in_scope(self) -> bool:
        return self.state is not None

    @property
    def status(self) -> Status | None:
        return self.state.status if self.state else None

    @property
    def expires_on(self) -> dt.date | None:
        return self.state.expires_on if self.state else None

    @property
    def label(self) -> str:
        if self.shown is not None:
            return self.shown.text
        return self.state.status.label if self.state else NOT_IN_SCOPE

    @property
    def note(self) -> str | None:
        """What kind of sign-off the status rests on, when not an ordinary assessment."""
        decision = self.state.decision if self.state else None
        return decision.note if decision else None

    @property
    def competent(self) -> bool:
        lapsed = self.shown is not None and self.shown.lapsed
        return self.counts and self.state is not None and self.state.may_practise and not lapsed


OUT_OF_SCOPE = Cell(None)


@dataclass(frozen=True)
class Row:
    worker: Worker
    cells: tuple[Cell, ...]

    @property
    def competent(self) -> int:
        return sum(1 for item in self.cells if item.competent)

    @property
    def counted(self) -> int:
        return sum(1 for item in self.cells if item.counts)

    def has(self, status: Status) -> bool:
        return any(item.status is status for item in self.cells)


def build_row(
    worker: Worker,
    scope: Mapping[str, Requirement],
    statuses: Mapping[str, StatusOnDate],
    columns: Sequence[Column],
    shown: Mapping[str, Shown] | None = None,
) -> Row:
    """`scope`: the worker's competencies and why each is in scope; `statuses`: the status of
    each of them on the date (at least those among the columns); `shown`: what each shows
    (`standing.rules.shown_status`), where known."""
    shown = shown or {}
    return Row(
        worker,
        tuple(
            Cell(statuses[item.code], scope[item.code].counts, shown.get(item.code))
            if item.code in scope
            else OUT_OF_SCOPE
            for item in columns
        ),
    )


def keep_status(rows: Iterable[Row], status: Status | None) -> list[Row]:
    return [row for row in rows if status is None or row.has(status)]


def sort_rows(rows: Iterable[Row], sort: Sort) -> list[Row]:
    """Rows in the chosen order; by progress, ties by name."""
    if sort is Sort.MOST_COMPETENT:
        return sorted(rows, key=lambda row: (-row.competent, *_by_name(row.worker)))
    if sort is Sort.FEWEST_COMPETENT:
        return sorted(rows, key=lambda row: (row.competent, *_by_name(row.worker)))
    order = _WORKER_ORDER.get(sort, _by_name)
    return sorted(rows, key=lambda row: order(row.worker))


@dataclass(frozen=True)
class DomainCount:
    """How the shown cells of one domain stand: the summary chart's bars."""

    domain: str
    competent: int = 0
    due: int = 0
    expired: int = 0
    not_started: int = 0
    other: int = 0  # in progress, awaiting a decision, not yet competent, suspended, revoked

    @property
    def total(self) -> int:
        return self.competent + self.due + self.expired + self.not_started + self.other


_SUMMARY_FIELD = {
    Status.COMPETENT: "competent",
    Status.DUE_FOR_REASSESSMENT: "due",
    Status.EXPIRED: "expired",
    Status.NOT_STARTED: "not_started",
}


def domain_summary(columns: Sequence[Column], rows: Iterable[Row]) -> list[DomainCount]:
    """Each domain of the columns (in their order) with its in-scope cells counted by
    status; cells outside a worker's scope are not counted."""
    counts: dict[str, dict[str, int]] = {}
    for item in columns:
        counts.setdefault(
            item.domain, dict.fromkeys(("competent", "due", "expired", "not_started", "other"), 0)
        )
    for row in rows:
        for item, cell in zip(columns, row.cells, strict=True):
            if cell.status is not None:
                lapsed = cell.shown is not None and cell.shown.lapsed  # as the cell shows it
                field = "other" if lapsed else _SUMMARY_FIELD.get(cell.status, "other")
                counts[item.domain][field] += 1
    return [DomainCount(domain, **numbers) for domain, numbers in counts.items()]


def page_bounds(total: int, number: int, per_page: int) -> tuple[int, int, int]:
    """(page number, first index, end index) with the number kept between 1 and the last
    page, so an old link to a page that no longer exists shows the last one."""
    if per_page < 1:
        raise ValueError("a page holds at least one row")
    last = max(1, -(-total // per_page))
    number = min(max(1, number), last)
    start = (number - 1) * per_page
    return number, start, min(total, start + per_page)


@dataclass(frozen=True)
class Matrix:
    """Every row: what the CSV export and the bench use."""

    on: dt.date
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class MatrixPage:
    on: dt.date
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        """The position of the first row shown (1-based; 0 when there are none)."""
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.total else 0

    @property
    def links(self) -> list[int | None]:
        return page_numbers(self.number, self.pages)

    @property
    def summary(self) -> list[DomainCount]:
        """The page's cells by domain and status (the chart counts the workers shown)."""
        return domain_summary(self.columns, self.rows)


def page_numbers(current: int, pages: int) -> list[int | None]:
    """The page links to show: the first, the last, and those next to the current one, with
    None where others are left out (shown as an ellipsis)."""
    shown = sorted({1, pages, current - 1, current, current + 1} & set(range(1, pages + 1)))
    result: list[int | None] = []
    previous = 0
    for number in shown:
        if previous and number - previous > 1:
            result.append(None)
        result.append(number)
        previous = number
    return result
