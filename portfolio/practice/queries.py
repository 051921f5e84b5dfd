"""Practice records as plain values: as at a date, their history, and the standing engine's
facts for many people at once (`facts_for`, a fixed number of statements however many).

"As at a date" is the record as it applied that day: for each entitlement or designation the
latest version in effect then (`effective_on` on or before it), judged against that version's
own dates. A review recorded late therefore leaves the lapse showing for the days between.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session, aliased

from portfolio.frameworks.practice_terms import (
    AssessorList,
    DesignationKind,
    EntitlementKind,
    Modality,
)
from portfolio.people.models import Appointment, User
from portfolio.practice.grants import PracticeFacts, grants_for
from portfolio.practice.models import (
    AppointmentSite,
    AssessorListEntry,
    Change,
    Designation,
    DesignationVersion,
    EntitlementVersion,
    IrmerEntitlement,
    Preceptorship,
    Site,
    SiteModelRecord,
)
from portfolio.standing import facts


@dataclass(frozen=True, kw_only=True)
class EntitlementRow:
    id: int
    user_id: int
    department_id: int
    kind: EntitlementKind
    modality: Modality | None
    version: int
    change: Change
    effective_on: dt.date
    granted_on: dt.date
    granted_by: str
    review_on: dt.date | None
    withdrawn_on: dt.date | None
    withdrawn_by: str | None
    withdrawal_reason: str | None
    examinations: frozenset[str]

    @property
    def grant(self) -> facts.Entitlement:
        return facts.Entitlement(
            kind=self.kind,
            modality=self.modality,
            examinations=self.examinations,
            granted_on=self.granted_on,
            granted_by=self.granted_by,
            review_on=self.review_on,
            withdrawn_on=self.withdrawn_on,
        )

    def state_on(self, on: dt.date) -> facts.GrantState:
        return self.grant.state_on(on)


@dataclass(frozen=True, kw_only=True)
class DesignationRow:
    id: int
    user_id: int
    department_id: int
    kind: DesignationKind
    version: int
    change: Change
    effective_on: dt.date
    granted_on: dt.date
    granted_by: str
    review_on: dt.date | None
    withdrawn_on: dt.date | None
    withdrawn_by: str | None
    withdrawal_reason: str | None

    @property
    def grant(self) -> facts.Designation:
        return facts.Designation(
            kind=self.kind,
            granted_on=self.granted_on,
            granted_by=self.granted_by,
            review_on=self.review_on,
            withdrawn_on=self.withdrawn_on,
        )

    def state_on(self, on: dt.date) -> facts.GrantState:
        return self.grant.state_on(on)


# --- Entitlements ----------------------------------------------------------------------------


def _entitlement_rows(
    session: Session,
    user_ids: Collection[int],
    on: dt.date | None,
    entitlement_id: int | None = None,
) -> list[EntitlementRow]:
    """With `on`: the version of each entitlement in effect that day. Without: every version
    of one entitlement (its history), or of every entitlement of the people."""
    granter, withdrawer = aliased(User), aliased(User)
    query = (
        select(EntitlementVersion, IrmerEntitlement, granter.name, withdrawer.name)
        .join(IrmerEntitlement, IrmerEntitlement.id == EntitlementVersion.entitlement_id)
        .join(granter, granter.id == EntitlementVersion.granted_by_id)
        .outerjoin(withdrawer, withdrawer.id == EntitlementVersion.withdrawn_by_id)
    )
    if on is not None:
        latest = (
            select(
                EntitlementVersion.entitlement_id,
                func.max(EntitlementVersion.number).label("number"),
            )
            .join(IrmerEntitlement, IrmerEntitlement.id == EntitlementVersion.entitlement_id)
            .where(IrmerEntitlement.user_id.in_(user_ids), EntitlementVersion.effective_on <= on)
            .group_by(EntitlementVersion.entitlement_id)
            .subquery()
        )
        query = query.join(
            latest,
            (latest.c.entitlement_id == EntitlementVersion.entitlement_id)
            & (latest.c.number == EntitlementVersion.number),
        )
    elif entitlement_id is not None:
        query = query.where(EntitlementVersion.entitlement_id == entitlement_id)
    else:
        query = query.where(IrmerEntitlement.user_id.in_(user_ids))
    query = query.order_by(
        IrmerEntitlement.user_id,
        IrmerEntitlement.kind,
        IrmerEntitlement.id,
        EntitlementVersion.number,
    )
    return [
        EntitlementRow(
            id=entitlement.id,
            user_id=entitlement.user_id,
            department_id=entitlement.department_id,
            kind=entitlement.kind,
            modality=entitlement.modality,
            version=version.number,
            change=version.change,
            effective_on=version.effective_on,
            granted_on=version.granted_on,
            granted_by=granted_by,
            review_on=version.review_on,
            withdrawn_on=version.withdrawn_on,
            withdrawn_by=withdrawn_by,
            withdrawal_reason=version.withdrawal_reason,
            examinations=version.examinations,
        )
        for version, entitlement, granted_by, withdrawn_by in session.execute(query)
    ]


def entitlements_as_at(session: Session, user_id: int, on: dt.date) -> list[EntitlementRow]:
    """A person's IR(ME)R operator entitlements as they applied on a date (withdrawn and
    lapsed ones included: `state_on` says which)."""
    return _entitlement_rows(session, [user_id], on)


def entitlement_history(session: Session, entitlement_id: int) -> list[EntitlementRow]:
    """Every version of one entitlement, oldest first: the grant, each review, a withdrawal."""
    return _entitlement_rows(session, (), None, entitlement_id)


def entitlements_on(
    session: Session, user_ids: Collection[int], on: dt.date
) -> list[EntitlementRow]:
    """Many people's entitlements as they applied on a date, in one statement."""
    return _entitlement_rows(session, user_ids, on) if user_ids else []


def entitlement_histories(session: Session, user_id: int) -> dict[int, list[EntitlementRow]]:
    """Every version of each of a person's entitlements, by entitlement, in one statement."""
    histories: dict[int, list[EntitlementRow]] = {}
    for row in _entitlement_rows(session, [user_id], None):
        histories.setdefault(row.id, []).append(row)
    return histories


# --- Designations ----------------------------------------------------------------------------


def _designation_rows(
    session: Session,
    user_ids: Collection[int],
    on: dt.date | None,
    designation_id: int | None = None,
) -> list[DesignationRow]:
    granter, withdrawer = aliased(User), aliased(User)
    query = (
        select(DesignationVersion, Designation, granter.name, withdrawer.name)
        .join(Designation, Designation.id == DesignationVersion.designation_id)
        .join(granter, granter.id == DesignationVersion.granted_by_id)
        .outerjoin(withdrawer, withdrawer.id == DesignationVersion.withdrawn_by_id)
    )
    if on is not None:
        latest = (
            select(
                DesignationVersion.designation_id,
                func.max(DesignationVersion.number).label("number"),
            )
            .join(Designation, Designation.id == DesignationVersion.designation_id)
            .where(Designation.user_id.in_(user_ids), DesignationVersion.effective_on <= on)
            .group_by(DesignationVersion.designation_id)
            .subquery()
        )
        query = query.join(
            latest,
            (latest.c.designation_id == DesignationVersion.designation_id)
            & (latest.c.number == DesignationVersion.number),
        )
    elif designation_id is not None:
        query = query.where(DesignationVersion.designation_id == designation_id)
    else:
        query = query.where(Designation.user_id.in_(user_ids))
    query = query.order_by(
        Designation.user_id, Designation.kind, Designation.id, DesignationVersion.number
    )
    return [
        DesignationRow(
            id=designation.id,
            user_id=designation.user_id,
            department_id=designation.department_id,
            kind=designation.kind,
            version=version.number,
            change=version.change,
            effective_on=version.effective_on,
            granted_on=version.granted_on,
            granted_by=granted_by,
            review_on=version.review_on,
            withdrawn_on=version.withdrawn_on,
            withdrawn_by=withdrawn_by,
            withdrawal_reason=version.withdrawal_reason,
        )
        for version, designation, granted_by, withdrawn_by in session.execute(query)
    ]


def designations_as_at(session: Session, user_id: int, on: dt.date) -> list[DesignationRow]:
    return _designation_rows(session, [user_id], on)


def designation_history(session: Session, designation_id: int) -> list[DesignationRow]:
    return _designation_rows(session, (), None, designation_id)


def designations_on(
    session: Session, user_ids: Collection[int], on: dt.date
) -> list[DesignationRow]:
    return _designation_rows(session, user_ids, on) if user_ids else []


def designation_histories(session: Session, user_id: int) -> dict[int, list[DesignationRow]]:
    histories: dict[int, list[DesignationRow]] = {}
    for row in _designation_rows(session, [user_id], None):
        histories.setdefault(row.id, []).append(row)
    return histories


def current_designations(
    session: Session, user_ids: Collection[int], on: dt.date
) -> dict[int, frozenset[DesignationKind]]:
    """The designations each person holds, current on the date (in any department), in one
    statement: what an assessor rule asks of an MR safety assessor (E20)."""
    held: dict[int, set[DesignationKind]] = {}
    for row in _designation_rows(session, sorted(set(user_ids)), on):
        if row.state_on(on) is facts.GrantState.CURRENT:
            held.setdefault(row.user_id, set()).add(row.kind)
    return {user_id: frozenset(kinds) for user_id, kinds in held.items()}


def lists_on(
    session: Session, user_ids: Collection[int], on: dt.date
) -> dict[int, frozenset[AssessorList]]:
    """The approved-assessor lists each person is on, on the date (a list entry is always in
    the person's own organisation)."""
    on_lists: dict[int, set[AssessorList]] = {}
    for user_id, assessor_list in session.execute(
        select(AssessorListEntry.user_id, AssessorListEntry.assessor_list).where(
            AssessorListEntry.user_id.in_(sorted(set(user_ids))),
            AssessorListEntry.approved_on <= on,
            (AssessorListEntry.removed_on.is_(None)) | (AssessorListEntry.removed_on > on),
        )
    ):
        on_lists.setdefault(user_id, set()).add(assessor_list)
    return {user_id: frozenset(lists) for user_id, lists in on_lists.items()}


# --- Preceptorships and sites ----------------------------------------------------------------


def _preceptorships_on(
    session: Session, user_ids: Collection[int], on: dt.date
) -> list[tuple[int, facts.Preceptorship]]:
    preceptor = aliased(User)
    last_day = func.coalesce(Preceptorship.ended_on, Preceptorship.ends_on)
    rows = session.execute(
        select(Preceptorship, Appointment.user_id, preceptor.name)
        .join(Appointment, Appointment.id == Preceptorship.appointment_id)
        .join(preceptor, preceptor.id == Preceptorship.preceptor_id)
        .where(Appointment.user_id.in_(user_ids), Preceptorship.starts_on <= on, last_day >= on)
        .order_by(Appointment.user_id, Preceptorship.starts_on)
    )
    return [
        (
            user_id,
            facts.Preceptorship(
                starts_on=period.starts_on,
                ends_on=period.last_day,
                preceptor=name,
                ceiling=period.ceiling,
            ),
        )
        for period, user_id, name in rows
    ]


def _sites_on(session: Session, user_ids: Collection[int], on: dt.date) -> dict[int, facts.Site]:
    """The site of each person's appointment on the date, with its two-associate model
    record as at that date (not qualifying when none is recorded)."""
    current = (
        select(Appointment.user_id, func.max(Appointment.effective_from).label("effective_from"))
        .where(Appointment.user_id.in_(user_ids), Appointment.effective_from <= on)
        .group_by(Appointment.user_id)
        .subquery()
    )
    qualifies = (
        select(SiteModelRecord.qualifies)
        .where(SiteModelRecord.site_id == Site.id, SiteModelRecord.from_on <= on)
        .order_by(SiteModelRecord.from_on.desc(), SiteModelRecord.id.desc())
        .limit(1)
        .correlate(Site)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Appointment.user_id, Site.code, Site.name, qualifies)
        .join(
            current,
            (current.c.user_id == Appointment.user_id)
            & (current.c.effective_from == Appointment.effective_from),
        )
        .join(AppointmentSite, AppointmentSite.appointment_id == Appointment.id)
        .join(Site, Site.id == AppointmentSite.site_id)
    )
    return {
        user_id: facts.Site(code, name, two_ma_remote_model=bool(flag))
        for user_id, code, name, flag in rows
    }


def site_qualifies_on(session: Session, site_id: int, on: dt.date) -> bool:
    """Whether a site was recorded as meeting the two-associate model on a date."""
    flag = session.scalar(
        select(SiteModelRecord.qualifies)
        .where(SiteModelRecord.site_id == site_id, SiteModelRecord.from_on <= on)
        .order_by(SiteModelRecord.from_on.desc(), SiteModelRecord.id.desc())
        .limit(1)
    )
    return bool(flag)


# --- The engine's facts, for many people -----------------------------------------------------


def facts_for(session: Session, user_ids: Collection[int], on: dt.date) -> dict[int, PracticeFacts]:
    """Each person's entitlements, designations, preceptorships and site on the date, as the
    engine's values, in three statements whatever the number of people (the grants in one,
    `practice.grants.grants_for`); a person without any record gets empty facts."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    grants = grants_for(session, ids, on)
    preceptorships: dict[int, list[facts.Preceptorship]] = {}
    for user_id, period in _preceptorships_on(session, ids, on):
        preceptorships.setdefault(user_id, []).append(period)
    sites = _sites_on(session, ids, on)
    return {
        user_id: PracticeFacts(
            entitlements=grants[user_id].entitlements,
            designations=grants[user_id].designations,
            preceptorships=tuple(preceptorships.get(user_id, ())),
            site=sites.get(user_id),
        )
        for user_id in ids
    }
