"""Practice records: who may grant, what was granted, preceptorships and sites.

Versioned grants. An IR(ME)R operator entitlement (`IrmerEntitlement`) and a designation
(`Designation`) keep what never changes (whose, which department, which kind) on one row, and
their terms on versions: the grant is version 1, each review and the withdrawal add one. A
version applies from its `effective_on`, so "as at a date" is the latest version in effect
then, read against that version's own dates (`portfolio.standing.facts.Grant`). A review
recorded after the review date lapsed leaves the gap visible.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.frameworks.practice_terms import (
    AssessorList,
    DesignationKind,
    EntitlementKind,
    Modality,
)
from portfolio.people.models import Appointment
from portfolio.standing.status import SupervisionLevel


class Authority(enum.StrEnum):
    """Who holds an authority in a department, as the employer's procedures name them."""

    # May grant, review and withdraw IR(ME)R operator entitlements (employer's procedure,
    # IR(ME)R 2017 Schedule 2; who that is, is set by your trust).
    ENTITLEMENT_GRANTER = "entitlement_granter"
    # The MR Responsible Person: designates MR Authorised Persons (SoR Safety in MRI §2).
    MR_RESPONSIBLE_PERSON = "mr_responsible_person"

    @property
    def label(self) -> str:
        return {
            "entitlement_granter": "IR(ME)R entitlement granter",
            "mr_responsible_person": "MR Responsible Person",
        }[self.value]


class Change(enum.StrEnum):
    """What a version of a grant records."""

    GRANTED = "granted"
    REVIEWED = "reviewed"
    WITHDRAWN = "withdrawn"


class PracticeAuthority(Base):
    """A person holding an authority in a department, from a date until ended."""

    __tablename__ = "practice_authorities"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    authority: Mapped[Authority] = mapped_column(enum_column(Authority, "authority"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)  # its last day
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def holds_on(self, on: dt.date) -> bool:
        return self.starts_on <= on and (self.ends_on is None or on <= self.ends_on)


class IrmerEntitlement(Base):
    """An IR(ME)R operator entitlement of one person for one task kind in one modality (None:
    any modality), under one department's procedures. Its terms are on its versions."""

    __tablename__ = "irmer_entitlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[EntitlementKind] = mapped_column(
        enum_column(EntitlementKind, "entitlement_kind", length=40)
    )
    modality: Mapped[Modality | None] = mapped_column(enum_column(Modality, "modality"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[EntitlementVersion]] = relationship(
        back_populates="entitlement", order_by="EntitlementVersion.number"
    )


class EntitlementVersion(Base):
    """The terms of an entitlement from `effective_on`, until a later version."""

    __tablename__ = "irmer_entitlement_versions"
    __table_args__ = (
        UniqueConstraint("entitlement_id", "number"),
        CheckConstraint("review_on IS NULL OR review_on >= granted_on", name="review_after_grant"),
        CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= granted_on", name="withdrawn_after_grant"
        ),
        CheckConstraint(
            "(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)", name="withdrawal_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entitlement_id: Mapped[int] = mapped_column(ForeignKey("irmer_entitlements.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    change: Mapped[Change] = mapped_column(enum_column(Change, "grant_change"))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    granted_on: Mapped[dt.date] = mapped_column(Date)
    # Who granted it, or last reviewed and renewed it.
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    review_on: Mapped[dt.date | None] = mapped_column(Date)  # its last day without a review
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entitlement: Mapped[IrmerEntitlement] = relationship(back_populates="versions")
    examination_rows: Mapped[list[EntitlementExamination]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def examinations(self) -> frozenset[str]:
        return frozenset(row.examination for row in self.examination_rows)


class EntitlementExamination(Base):
    """A named examination an exposure entitlement's version covers (`chest`…)."""

    __tablename__ = "irmer_entitlement_examinations"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("irmer_entitlement_versions.id"), primary_key=True
    )
    examination: Mapped[str] = mapped_column(String(64), primary_key=True)


class Designation(Base):
    """A designation of one person (MR Authorised Person, staff MR safety screening) in a
    department. Its terms are on its versions."""

    __tablename__ = "practice_designations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    kind: Mapped[DesignationKind] = mapped_column(enum_column(DesignationKind, "designation_kind"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[DesignationVersion]] = relationship(
        back_populates="designation", order_by="DesignationVersion.number"
    )


class DesignationVersion(Base):
    """The terms of a designation from `effective_on`: for screening, `granted_on` is the
    day of the screening and `granted_by` who screened them."""

    __tablename__ = "practice_designation_versions"
    __table_args__ = (
        UniqueConstraint("designation_id", "number"),
        CheckConstraint("review_on IS NULL OR review_on >= granted_on", name="review_after_grant"),
        CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= granted_on", name="withdrawn_after_grant"
        ),
        CheckConstraint(
            "(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)", name="withdrawal_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("practice_designations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    change: Mapped[Change] = mapped_column(enum_column(Change, "grant_change"))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    granted_on: Mapped[dt.date] = mapped_column(Date)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    designation: Mapped[Designation] = relationship(back_populates="versions")


class Preceptorship(Base):
    """A dated preceptorship period on an appointment, with a named preceptor and the most
    autonomy it allows (direct by default, set by your trust). It covers every item."""

    __tablename__ = "preceptorships"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "ended_on IS NULL OR (ended_on >= starts_on AND ended_on <= ends_on)",
            name="ended_within_period",
        ),
        CheckConstraint("(ended_on IS NULL) = (end_reason IS NULL)", name="end_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), index=True)
    preceptor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)  # its planned last day
    ceiling: Mapped[SupervisionLevel] = mapped_column(
        enum_column(SupervisionLevel, "supervision_level"), default=SupervisionLevel.DIRECT
    )
    # Ended before its planned end: the last day, and why (the planned end stays recorded).
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    appointment: Mapped[Appointment] = relationship()

    @property
    def last_day(self) -> dt.date:
        return self.ended_on or self.ends_on


class Site(Base):
    """A place an organisation's people work (a hospital, a screening unit or mobile)."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SiteModelRecord(Base):
    """Whether a site meets the NHSBSP two-mammography-associate model (hard-wired to the base
    site, or phone access to a qualified mammographer) from a date, until a later record."""

    __tablename__ = "site_two_ma_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    qualifies: Mapped[bool] = mapped_column(Boolean)
    from_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AppointmentSite(Base):
    """The site an appointment works at (for the engine, when a task names none)."""

    __tablename__ = "appointment_sites"

    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AssessorListEntry(Base):
    """One person on one of an organisation's approved-assessor lists (cannulation assessors,
    ANTT assessors, basic life support instructors, MR safety trainers), from the day an
    educator or administrator approved them until the day they were taken off. Nothing is
    deleted: a past sign-off can always show that its assessor was on the list that day."""

    __tablename__ = "assessor_list_entries"
    __table_args__ = (
        CheckConstraint(
            "removed_on IS NULL OR removed_on >= approved_on", name="removed_after_approval"
        ),
        CheckConstraint(
            "(removed_on IS NULL) = (removed_by_id IS NULL)", name="removal_has_remover"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    assessor_list: Mapped[AssessorList] = mapped_column(enum_column(AssessorList, "assessor_list"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    approved_on: Mapped[dt.date] = mapped_column(Date)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
