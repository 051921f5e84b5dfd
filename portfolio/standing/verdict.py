"""The working notes of one judgement: each rule adds what it finds, `rules.standing` reads
them once at the end. Internal to the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from portfolio.standing.answer import Notice, NoticeCode, Reason, ReasonCode
from portfolio.standing.facts import Basis, Condition, ItemFacts, PersonFacts, Settings, TaskContext
from portfolio.standing.status import SupervisionLevel


@dataclass(frozen=True)
class AppliedCeiling:
    level: SupervisionLevel
    basis: Basis
    what: str  # "an assistant practitioner's imaging", for the capped message
    code: ReasonCode = ReasonCode.ABOVE_CEILING_CAPPED


@dataclass(frozen=True)
class Question:
    """What is asked: the same for every rule."""

    person: PersonFacts
    item: ItemFacts
    on: dt.date
    task: TaskContext | None
    settings: Settings

    def soon(self, day: dt.date | None) -> bool:
        """Within the warning window: from today through the window's last day."""
        return day is not None and 0 <= (day - self.on).days <= self.settings.warn_within_days

    @property
    def preceptee(self) -> bool:
        return any(p.applies(self.item.code, self.on) for p in self.person.preceptorships)


@dataclass(slots=True)
class Verdict:
    reasons: list[Reason] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    ceilings: list[AppliedCeiling] = field(default_factory=list)
    ends: list[dt.date] = field(default_factory=list)  # each component's last day
    conditions: list[Condition] = field(default_factory=list)

    def refuse(
        self, code: ReasonCode, text: str, *, remedy: str | None = None, brief: str | None = None
    ) -> None:
        self.reasons.append(Reason(code, text, remedy, brief))

    def warn(self, code: NoticeCode, text: str) -> None:
        self.warnings.append(Notice(code, text))

    def ends_on(self, day: dt.date | None) -> None:
        if day is not None:
            self.ends.append(day)

    def cap(self, ceiling: AppliedCeiling) -> None:
        self.ceilings.append(ceiling)
