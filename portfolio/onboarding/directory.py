"""What an import is checked against: plain values read from the database for one
organisation (`portfolio.onboarding.queries`), never ORM objects."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from portfolio.core.roles import AccountRole, JobRole


@dataclass(frozen=True)
class CurrentAppointment:
    effective_from: dt.date
    job_role: JobRole
    trainee: bool
    afc_band: str
    department_id: int
    post_id: int | None
    started_in_post_on: dt.date


@dataclass(frozen=True)
class KnownPerson:
    id: int
    name: str
    email: str
    employee_number: str | None
    organisation_id: int
    active: bool
    roles: frozenset[AccountRole]
    # Their newest job role row (the one an update follows), if any.
    appointment: CurrentAppointment | None = None
    supervisor_ids: frozenset[int] = frozenset()  # supervising now or from a later date


@dataclass(frozen=True)
class PostEntry:
    id: int
    name: str
    department_id: int
    job_role: JobRole
    active: bool


@dataclass(frozen=True)
class Directory:
    organisation_id: int
    today: dt.date
    departments: Mapping[str, tuple[int, str]]  # lower-cased name -> (id, name)
    posts: Mapping[tuple[int, str], PostEntry]  # (department id, lower-cased name)
    people: tuple[KnownPerson, ...] = ()

    # People anywhere by email address (addresses are unique across organisations); in this
    # organisation by employee number (not unique: two people may share one by mistake).
    @functools.cached_property
    def _emails(self) -> dict[str, KnownPerson]:
        return {person.email: person for person in self.people}

    @functools.cached_property
    def _numbers(self) -> dict[str, list[KnownPerson]]:
        found: dict[str, list[KnownPerson]] = {}
        for person in self.people:
            if person.employee_number and person.organisation_id == self.organisation_id:
                found.setdefault(person.employee_number, []).append(person)
        return found

    def by_email(self, email: str) -> KnownPerson | None:
        return self._emails.get(email)

    def by_employee_number(self, number: str) -> list[KnownPerson]:
        return self._numbers.get(number, [])
