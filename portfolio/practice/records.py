"""What the practice records pages show, as plain values: a person's entitlements and
designations as at a date with each one's history, their preceptorships, a department's
IR(ME)R training and entitlement record, who holds each authority, and the sites. Each read
is a fixed number of statements however many records or people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import Session, aliased

from portfolio.core.roles import job_role_title
from portfolio.people.models import Appointment, Department, User
from portfolio.practice.models import (
    Authority,
    Designation,
    IrmerEntitlement,
    PracticeAuthority,
    Preceptorship,
    Site,
    SiteModelRecord,
)
from portfolio.practice.queries import (
    DesignationRow,
    EntitlementRow,
    designation_histories,
    designations_on,
    entitlement_histories,
    entitlements_on,
)
from portfolio.standing.status import SupervisionLevel


@dataclass(frozen=True, kw_only=True)
class PreceptorshipRow:
    id: int
    starts_on: dt.date
    ends_on: dt.date  # the planned last day
    ended_on: dt.date | None
    end_reason: str | None
    preceptor: str
    ceiling: SupervisionLevel

    @property
    def last_day(self) -> dt.date:
        return self.ended_on or self.ends_on


@dataclass(frozen=True, kw_only=True)
class PersonRecords:
    """One person's practice records as at `on`, each with every version it has had."""

    on: dt.date
    entitlements: list[tuple[EntitlementRow, list[EntitlementRow]]]
    designations: list[tuple[DesignationRow, list[DesignationRow]]]
    preceptorships: list[PreceptorshipRow]
    departments: dict[int, str]


def person_records(session: Session, person: User, on: dt.date) -> PersonRecords:
    """In six statements: the records as at the date, their histories, the preceptorships
    and the department names."""
    entitled = entitlement_histories(session, person.id)
    designated = designation_histories(session, person.id)
    return PersonRecords(
        on=on,
        entitlements=[(row, entitled[row.id]) for row in entitlements_on(session, [person.id], on)],
        designations=[
            (row, designated[row.id]) for row in designations_on(session, [person.id], on)
        ],
        preceptorships=preceptorships_of(session, person.id),
        departments=dict(
            session.execute(
                select(Department.id, Department.name).where(
                    Department.organisation_id == person.organisation_id
                )
            ).all()
        ),
    )


def preceptorships_of(session: Session, user_id: int) -> list[PreceptorshipRow]:
    preceptor = aliased(User)
    rows = session.execute(
        select(Preceptorship, preceptor.name)
        .join(Appointment, Appointment.id == Preceptorship.appointment_id)
        .join(preceptor, preceptor.id == Preceptorship.preceptor_id)
        .where(Appointment.user_id == user_id)
        .order_by(Preceptorship.starts_on.desc())
    )
    return [
        PreceptorshipRow(
            id=period.id,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
            ended_on=period.ended_on,
            end_reason=period.end_reason,
            preceptor=name,
            ceiling=period.ceiling,
        )
        for period, name in rows
    ]


# --- Who holds an authority ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AuthorityRow:
    id: int
    user_id: int
    name: str
    authority: Authority
    starts_on: dt.date
    ends_on: dt.date | None

    def holds_on(self, on: dt.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


def authorities_of(session: Session, department_id: int) -> list[AuthorityRow]:
    """Every record of who held which authority in the department, newest first."""
    rows = session.execute(
        select(PracticeAuthority, User.name)
        .join(User, User.id == PracticeAuthority.user_id)
        .where(PracticeAuthority.department_id == department_id)
        .order_by(PracticeAuthority.authority, PracticeAuthority.starts_on.desc())
    )
    return [
        AuthorityRow(
            id=record.id,
            user_id=record.user_id,
            name=name,
            authority=record.authority,
            starts_on=record.starts_on,
            ends_on=record.ends_on,
        )
        for record, name in rows
    ]


def granter_ids(session: Session, department_id: int | None, on: dt.date) -> frozenset[int]:
    """The people holding any authority to grant in the department on the date (for the
    policy: they may see and record the practice records of its people)."""
    if department_id is None:
        return frozenset()
    return frozenset(
        session.scalars(
            select(PracticeAuthority.user_id).where(
                PracticeAuthority.department_id == department_id,
                PracticeAuthority.starts_on <= on,
                or_(PracticeAuthority.ends_on.is_(None), PracticeAuthority.ends_on >= on),
            )
        )
    )


def holders(
    session: Session, department_id: int, authorities: Collection[Authority], on: dt.date
) -> list[tuple[int, str]]:
    """(id, name) of the active people holding one of the authorities on the date."""
    return [
        (user_id, name)
        for user_id, name in session.execute(
            select(User.id, User.name)
            .join(PracticeAuthority, PracticeAuthority.user_id == User.id)
            .where(
                PracticeAuthority.department_id == department_id,
                PracticeAuthority.authority.in_(list(authorities)),
                PracticeAuthority.starts_on <= on,
                or_(PracticeAuthority.ends_on.is_(None), PracticeAuthority.ends_on >= on),
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.name)
        )
    ]


def colleagues(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    """(id, name) of the organisation's active people, for choosing a preceptor or holder."""
    return [
        (user_id, name)
        for user_id, name in session.execute(
            select(User.id, User.name)
            .where(User.organisation_id == organisation_id, User.active.is_(True))
            .order_by(User.name)
        )
    ]


# --- A department's IR(ME)R training and entitlement record ----------------------------------


@dataclass(frozen=True, kw_only=True)
class RegisterLine:
    """One person on the department's record: their current job role (if appointed there)
    and their entitlements and designations under its procedures as at the date."""

    id: int
    name: str
    job_role: str | None
    entitlements: list[EntitlementRow] = field(default_factory=list)
    designations: list[DesignationRow] = field(default_factory=list)


def department_register(
    session: Session, department: Department, on: dt.date
) -> list[RegisterLine]:
    """Everyone appointed to the department on the date, and anyone holding a record under
    its procedures, with their records as at the date: four statements."""
    latest = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.effective_from <= on)
        .group_by(Appointment.user_id)
        .subquery()
    )
    appointed = (
        select(Appointment.user_id)
        .join(
            latest,
            (latest.c.user_id == Appointment.user_id)
            & (latest.c.effective_from == Appointment.effective_from),
        )
        .where(Appointment.department_id == department.id)
    )
    recorded = union(
        appointed,
        select(IrmerEntitlement.user_id).where(IrmerEntitlement.department_id == department.id),
        select(Designation.user_id).where(Designation.department_id == department.id),
    ).subquery()
    current = aliased(Appointment)
    people = session.execute(
        select(User.id, User.name, current.job_role, current.trainee)
        .join(recorded, recorded.c.user_id == User.id)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(
            current,
            (current.user_id == User.id)
            & (current.effective_from == latest.c.effective_from)
            & (current.department_id == department.id),
        )
        .order_by(User.name, User.id)
    ).all()
    lines = {
        user_id: RegisterLine(
            id=user_id,
            name=name,
            job_role=job_role_title(job_role, trainee) if job_role else None,
        )
        for user_id, name, job_role, trainee in people
    }
    for row in entitlements_on(session, list(lines), on):
        if row.department_id == department.id:
            lines[row.user_id].entitlements.append(row)
    for item in designations_on(session, list(lines), on):
        if item.department_id == department.id:
            lines[item.user_id].designations.append(item)
    return list(lines.values())


# --- Sites -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SiteRow:
    id: int
    code: str
    name: str
    # Each record of whether it meets the two-associate model, newest first: (from, qualifies).
    records: list[tuple[dt.date, bool]]

    def qualifies_on(self, on: dt.date) -> bool:
        return next((flag for from_on, flag in self.records if from_on <= on), False)


def sites_of(session: Session, organisation_id: int) -> list[SiteRow]:
    """The organisation's sites with their two-associate model records: two statements."""
    sites = session.scalars(
        select(Site).where(Site.organisation_id == organisation_id).order_by(Site.code)
    ).all()
    records: dict[int, list[tuple[dt.date, bool]]] = {}
    for site_id, from_on, flag in session.execute(
        select(SiteModelRecord.site_id, SiteModelRecord.from_on, SiteModelRecord.qualifies)
        .join(Site, Site.id == SiteModelRecord.site_id)
        .where(Site.organisation_id == organisation_id)
        .order_by(SiteModelRecord.from_on.desc(), SiteModelRecord.id.desc())
    ):
        records.setdefault(site_id, []).append((from_on, flag))
    return [
        SiteRow(id=site.id, code=site.code, name=site.name, records=records.get(site.id, []))
        for site in sites
    ]


def site_row(session: Session, site: Site) -> SiteRow:
    """One site with its two-associate model records, newest first."""
    found = session.execute(
        select(SiteModelRecord.from_on, SiteModelRecord.qualifies)
        .where(SiteModelRecord.site_id == site.id)
        .order_by(SiteModelRecord.from_on.desc(), SiteModelRecord.id.desc())
    )
    return SiteRow(
        id=site.id, code=site.code, name=site.name, records=[(day, flag) for day, flag in found]
    )
