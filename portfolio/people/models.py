"""Organisations, departments and people.

A support worker's job role, AfC band and department are kept as a dated history
(`Appointment`): each row takes effect on its date and lasts until the next one, so
"what were they on 3 March?" is a lookup, never a guess.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_login import UserMixin
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
from portfolio.core.roles import AFC_BANDS, AccountRole, JobRole, Nation
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType

if TYPE_CHECKING:
    from portfolio.frameworks.models import Post


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    nation: Mapped[Nation] = mapped_column(enum_column(Nation, "nation"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    departments: Mapped[list[Department]] = relationship(
        back_populates="organisation", order_by="Department.name"
    )


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="departments")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Stored lower-cased: sign-in is case-insensitive on the address.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    employee_number: Mapped[str | None] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the session cookie: bumping it signs the person out everywhere.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deactivated_at: Mapped[dt.datetime | None]

    # Supervisors and assessors: profession and professional registration.
    profession: Mapped[str | None] = mapped_column(String(64))
    register: Mapped[RegisterType] = mapped_column(
        enum_column(RegisterType, "register"), default=RegisterType.NONE
    )
    register_number: Mapped[str | None] = mapped_column(String(16))
    register_checked_on: Mapped[dt.date | None] = mapped_column(Date)
    register_check_result: Mapped[RegisterCheckResult | None] = mapped_column(
        enum_column(RegisterCheckResult, "register_check_result")
    )
    # An HCPC radiographer: on the diagnostic or the therapeutic part of the register.
    radiography: Mapped[Radiography | None] = mapped_column(enum_column(Radiography, "radiography"))

    # Educators: the whole organisation, or the departments in `educator_departments`.
    reach_whole_organisation: Mapped[bool] = mapped_column(Boolean, default=False)

    organisation: Mapped[Organisation] = relationship()
    account_roles: Mapped[list[UserAccountRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    appointments: Mapped[list[Appointment]] = relationship(
        back_populates="user", order_by="Appointment.effective_from", cascade="all"
    )
    # Loaded when asked for (the policy reads an educator's reach with its own query).
    educator_departments: Mapped[list[EducatorDepartment]] = relationship(
        back_populates="educator", cascade="all, delete-orphan"
    )

    # Flask-Login: the session holds id and version, so an old cookie stops working as soon
    # as the version is bumped (password change, deactivation, "sign out everywhere").
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def roles(self) -> frozenset[AccountRole]:
        return frozenset(item.role for item in self.account_roles)

    def has_role(self, role: AccountRole) -> bool:
        return role in self.roles


class RegistrationReview(Base):
    """A practice educator's review of what a registrant's conditions of practice allow, for
    the register check it followed (E1): until one is recorded they may not assess."""

    __tablename__ = "registration_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The register check whose conditions were reviewed.
    register_checked_on: Mapped[dt.date] = mapped_column(Date)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])


class UserAccountRole(Base):
    __tablename__ = "user_account_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[AccountRole] = mapped_column(
        enum_column(AccountRole, "account_role"), primary_key=True
    )

    user: Mapped[User] = relationship(back_populates="account_roles")


class Appointment(Base):
    """A support worker's job role, band and department from a date until the next row."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("user_id", "effective_from"),
        CheckConstraint(
            "afc_band IN (" + ", ".join(f"'{band}'" for band in AFC_BANDS) + ")", name="afc_band"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    effective_from: Mapped[dt.date] = mapped_column(Date)
    job_role: Mapped[JobRole] = mapped_column(enum_column(JobRole, "job_role"))
    trainee: Mapped[bool] = mapped_column(Boolean, default=False)
    afc_band: Mapped[str] = mapped_column(String(3))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    # The department's post (e.g. "MRI senior CSW"), which decides what counts as core.
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id"), index=True)
    # When they started in this post (may be before this row: a band change is not a new post).
    started_in_post_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="appointments")
    department: Mapped[Department] = relationship()
    post: Mapped[Post | None] = relationship()


class SupervisorAssignment(Base):
    """A supervisor assigned to a support worker, from a date until ended."""

    __tablename__ = "supervisor_assignments"
    __table_args__ = (
        CheckConstraint("worker_id <> supervisor_id", name="not_self"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)

    worker: Mapped[User] = relationship(foreign_keys=[worker_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])


class EducatorDepartment(Base):
    __tablename__ = "educator_departments"

    educator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), primary_key=True)

    educator: Mapped[User] = relationship(back_populates="educator_departments")
    department: Mapped[Department] = relationship(lazy="joined")
