"""The rules behind an educator's lists, as pure functions of plain values.

Supporting someone to start a qualification within 6 months
-----------------------------------------------------------
The seed page: "Individuals who do not possess the recommended qualifications on recruitment
should be supported to start an appropriate occupation specific qualification, such as an
apprenticeship, within 6 months of starting in post." It is guidance, not a breach: start
dates depend on provider intakes and funding, so the list shows planned starts and waiting
lists beside the dates.

- *Recommended qualifications* for a job role are those its pathway's entry routes name
  (`competencies/qualifications.yaml`) at the job role's own level or above. A route such as
  "alongside any of these, level 2 English and maths" names GCSEs for a level 3 job role:
  they go with an entry qualification, so they are not one on their own.
- Someone *has* one when a qualification of theirs with that code is achieved or in
  progress. Planned and waiting-list records are the support the guidance asks for: they are
  shown, and the person stays on the list until the course starts.
- *The 6 months end* on the day with the same number six calendar months after the day they
  started in post, or on the last day of that month when it has no such day (the
  "corresponding date" rule): started 15 March, the 6 months end on 15 September; started
  31 August 2025, on 28 February 2026; started 29 February 2024, on 29 August 2024. The last
  day is still within the 6 months; from the next day the 6 months have passed.

Reassessment lists
------------------
A sign-off in force is *due within N days* when its expiry day is between today and N days
ahead (today counts as day 0, as in the status table). A sign-off *expired within the last N
days* when its expiry day, the last valid day, fell in the N days before today: it was first
expired at most N days ago.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from portfolio.frameworks.rules import equivalent_levels
from portfolio.frameworks.schema import Pathway, QualificationFramework
from portfolio.standing.status import Status, StatusOnDate

SUPPORT_WITHIN_MONTHS = 6

# A qualification record's status, as stored (careers.services.QualificationStatus).
HELD = frozenset({"achieved", "in_progress"})
PLANNED = "planned"
WAITING_LIST = "waiting_list"


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date `months` calendar months later, or the last day of that month
    when it is shorter (31 August + 6 months = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def support_ends_on(started_in_post_on: dt.date) -> dt.date:
    """The last day of the 6 months after starting in post (still within them)."""
    return add_months(started_in_post_on, SUPPORT_WITHIN_MONTHS)


def reaches_level(framework: QualificationFramework, level: int, role_level: int) -> bool:
    """Whether a qualification can stand at a job role's RQF level: its band's highest RQF
    equivalent (SCQF 8 is RQF 4 or 5, so it counts for level 5). Outside levels 2 to 6, which
    the equivalence table covers, RQF, CQFW and FHEQ number alike, the EQF is one above and
    the SCQF three above at the bottom and four above at the top (SCQF 4 is RQF 1, SCQF 11
    is RQF 7)."""
    try:
        rqf = equivalent_levels(framework, level)[QualificationFramework.RQF]
    except ValueError:
        return _outside_the_table(framework, level) >= role_level
    return bool(rqf) and max(rqf) >= role_level


def _outside_the_table(framework: QualificationFramework, level: int) -> int:
    if framework is QualificationFramework.EQF:
        return level - 1
    if framework is QualificationFramework.SCQF:
        return level - 3 if level < 5 else level - 4
    return level


def recommended_qualifications(
    pathway: Pathway, levels: Mapping[str, tuple[QualificationFramework, int]]
) -> frozenset[str]:
    """Codes named in the pathway's entry routes at the job role's level or above.
    `levels`: each catalogue qualification's framework and level, by code."""
    return frozenset(
        code
        for route in pathway.entry_routes
        for code in route.qualifications
        if code in levels and reaches_level(*levels[code], pathway.level)
    )


@dataclass(frozen=True)
class HeldQualification:
    """One of a person's qualification records, as the rule needs it."""

    code: str | None
    title: str
    status: str  # achieved | in_progress | planned | waiting_list
    planned_start_on: dt.date | None = None


class Support(enum.Enum):
    """What has been arranged so far."""

    PLANNED = "planned"
    WAITING_LIST = "waiting_list"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            "planned": "Start planned",
            "waiting_list": "On a waiting list",
            "none": "No start planned yet",
        }[self.value]


@dataclass(frozen=True)
class QualificationGuidance:
    """Someone the 6-month guidance applies to, and where things stand on a date."""

    started_in_post_on: dt.date
    ends_on: dt.date  # the last day of the 6 months
    on: dt.date
    support: Support
    qualification: str | None  # the planned or waiting-list qualification's title
    planned_start_on: dt.date | None

    @property
    def passed(self) -> bool:
        return self.on > self.ends_on

    @property
    def days_left(self) -> int:
        """Days of the 6 months left after today (0 on the last day); 0 once passed."""
        return max(0, (self.ends_on - self.on).days)

    @property
    def days_since_passed(self) -> int:
        """Days since the 6 months passed (1 on the first day after them); 0 before."""
        return max(0, (self.on - self.ends_on).days)

    def timing(self) -> str:
        """Plain words, as guidance rather than a breach."""
        if not self.passed:
            if self.days_left == 0:
                return "The 6 months end today"
            return f"{_days(self.days_left)} left of the 6 months"
        return f"The 6 months passed {_days(self.days_since_passed)} ago"


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"


def qualification_guidance(
    *,
    started_in_post_on: dt.date,
    on: dt.date,
    recommended: Collection[str],
    held: Iterable[HeldQualification],
) -> QualificationGuidance | None:
    """None when the person has a recommended qualification (achieved or in progress), or
    when the job role recommends none; otherwise where their support stands on `on`."""
    if not recommended:
        return None
    records = [item for item in held if item.code in recommended]
    if any(item.status in HELD for item in records):
        return None
    planned = _earliest(item for item in records if item.status == PLANNED)
    waiting = _earliest(item for item in records if item.status == WAITING_LIST)
    chosen, support = (
        (planned, Support.PLANNED)
        if planned
        else (waiting, Support.WAITING_LIST)
        if waiting
        else (None, Support.NONE)
    )
    return QualificationGuidance(
        started_in_post_on=started_in_post_on,
        ends_on=support_ends_on(started_in_post_on),
        on=on,
        support=support,
        qualification=chosen.title if chosen else None,
        planned_start_on=chosen.planned_start_on if chosen else None,
    )


def _earliest(items: Iterable[HeldQualification]) -> HeldQualification | None:
    """The one starting soonest; records without a date come after those with one."""
    ordered = sorted(items, key=lambda item: (item.planned_start_on is None, item.planned_start_on))
    return ordered[0] if ordered else None


class Renewal(enum.Enum):
    DUE = "due"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"due": "Due for reassessment", "expired": "Expired"}[self.value]


def renewal_within(status: StatusOnDate, on: dt.date, days: int) -> Renewal | None:
    """DUE when the sign-off in force expires within `days` days (today is day 0), EXPIRED
    when the latest sign-off's last valid day fell in the `days` days before today."""
    if days < 0:
        raise ValueError("the number of days cannot be negative")
    expires_on = status.expires_on
    if expires_on is None:
        return None
    if status.may_practise and (expires_on - on).days <= days:
        return Renewal.DUE
    if status.status is Status.EXPIRED and 0 < (on - expires_on).days <= days:
        return Renewal.EXPIRED
    return None


def studying_apprenticeship(
    held: Iterable[HeldQualification], apprenticeships: Collection[str]
) -> bool:
    """An apprentice: studying (in progress) a qualification that is an apprenticeship
    standard (`apprenticeships`: the catalogue's codes with one). Planned, on a waiting list
    or achieved is not studying."""
    return any(item.status == "in_progress" and item.code in apprenticeships for item in held)
