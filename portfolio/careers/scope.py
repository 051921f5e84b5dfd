"""The scope a worker's progress counts, as plain values: job role, post and the competencies
with their requirement. Read from the database by `careers.queries.worker_scope_of`."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.core.roles import JobRole, job_role_title
from portfolio.frameworks.rules import Requirement


@dataclass(frozen=True)
class WorkerScopeRow:
    code: str
    title: str
    domain: str
    requirement: Requirement


@dataclass(frozen=True)
class WorkerScope:
    job_role: JobRole
    post: str | None
    rows: list[WorkerScopeRow]
    trainee: bool = False  # in training for the job role (not yet qualified in it)

    @property
    def title(self) -> str:
        """'Trainee assistant practitioner': a trainee is never shown as qualified."""
        return job_role_title(self.job_role, self.trainee)

    @property
    def counted(self) -> list[WorkerScopeRow]:
        return [row for row in self.rows if row.requirement.counts]

    @property
    def optional(self) -> list[WorkerScopeRow]:
        return [row for row in self.rows if not row.requirement.counts]
