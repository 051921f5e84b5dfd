"""The task picker's order, pure: about sixty tasks from several frameworks, grouped so a
shift lead finds one.

Clinical tasks (the competencies a person is signed off for) come first, one group per domain
of their framework, the domains and the tasks in each sorted alphabetically by their words.
Standards closed by a joint declaration (the Care Certificate's) are not tasks a shift lead
hands out; they follow in a group of their own per domain ("Care Certificate standards"), in
their numbered order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    code: str
    title: str
    domain: str
    standard: bool = False  # closed by a joint declaration, like the Care Certificate's

    @property
    def label(self) -> str:
        """'Peripheral intravenous cannulation (CANN)'."""
        return f"{self.title} ({self.code})"


@dataclass(frozen=True)
class TaskGroup:
    label: str
    tasks: tuple[Task, ...]


def task_groups(tasks: Iterable[Task]) -> list[TaskGroup]:
    """Clinical tasks by domain, then each domain's standards, as the picker offers them."""
    clinical: dict[str, list[Task]] = {}
    standards: dict[str, list[Task]] = {}
    for task in tasks:
        (standards if task.standard else clinical).setdefault(task.domain, []).append(task)
    groups = [
        TaskGroup(domain, tuple(sorted(items, key=_by_words)))
        for domain, items in sorted(clinical.items(), key=lambda pair: pair[0].casefold())
    ]
    groups += [
        TaskGroup(f"{domain} standards", tuple(items)) for domain, items in standards.items()
    ]
    return groups


def _by_words(task: Task) -> tuple[str, str]:
    return (task.title.casefold(), task.code)
