"""Frameworks as loaded: every version kept, competencies by stable code.

A competency's full definition (evidence, assessors, criteria, conditions) is stored as the
canonical JSON of its schema model, so the schema in `schema.py` stays the one description
of the format; the columns beside it are what pages filter and sort on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.core.clock import utcnow
from portfolio.core.db import Base, enum_column
from portfolio.core.roles import JobRole


class Framework(Base):
    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # framework | qualifications
    title: Mapped[str] = mapped_column(String(300))

    versions: Mapped[list[FrameworkVersion]] = relationship(
        back_populates="framework", order_by="FrameworkVersion.sequence"
    )


class FrameworkVersion(Base):
    __tablename__ = "framework_versions"
    __table_args__ = (
        UniqueConstraint("framework_id", "version"),
        UniqueConstraint("framework_id", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    # 1, 2, 3… in the order versions were loaded; the highest is current.
    sequence: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    nations: Mapped[str] = mapped_column(String(200))  # comma-separated
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    framework: Mapped[Framework] = relationship(back_populates="versions")


class FrameworkSource(Base):
    __tablename__ = "framework_sources"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    publisher: Mapped[str] = mapped_column(String(300))
    date: Mapped[str] = mapped_column(String(10))
    url: Mapped[str | None] = mapped_column(String(500))


class Competency(Base):
    __tablename__ = "competencies"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(300))
    domain: Mapped[str] = mapped_column(String(300))
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)  # canonical JSON of schema.Competency


class Scope(Base):
    __tablename__ = "scopes"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    job_role: Mapped[JobRole | None] = mapped_column(enum_column(JobRole, "scope_job_role"))
    builds_on: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)  # canonical JSON of schema.Scope


class Qualification(Base):
    __tablename__ = "qualifications"
    __table_args__ = (UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(300))
    framework: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)


class Pathway(Base):
    __tablename__ = "pathways"
    __table_args__ = (UniqueConstraint("version_id", "job_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"), index=True)
    job_role: Mapped[JobRole] = mapped_column(enum_column(JobRole, "pathway_job_role"))
    position: Mapped[int] = mapped_column(Integer)
    definition: Mapped[str] = mapped_column(Text)


class Post(Base):
    """A department's post, e.g. "MRI senior CSW": which optional competencies are core."""

    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    job_role: Mapped[JobRole] = mapped_column(enum_column(JobRole, "post_job_role"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    core_items: Mapped[list[PostCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="PostCompetency.competency_code"
    )


class PostCompetency(Base):
    __tablename__ = "post_competencies"

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    competency_code: Mapped[str] = mapped_column(String(40), primary_key=True)


class LocalPolicy(Base):
    """One version of an organisation's policy for a competency, from its effective date.

    Each change is a new row; rows are never edited, so the history is the table.
    """

    __tablename__ = "local_policies"
    __table_args__ = (UniqueConstraint("organisation_id", "competency_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    supervised_procedures: Mapped[int | None] = mapped_column(Integer)
    reassessment_months: Mapped[int | None] = mapped_column(Integer)
    countersignature_required: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PersonQualification(Base):
    """A qualification someone holds, is studying, or plans to start."""

    __tablename__ = "person_qualifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    qualification_code: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    framework: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    # achieved | in_progress | planned | waiting_list
    status: Mapped[str] = mapped_column(String(16))
    achieved_on: Mapped[dt.date | None] = mapped_column(Date)
    planned_start_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OperatorEntitlement(Base):
    """IR(ME)R operator entitlement: granted by the employer, separate from competence."""

    __tablename__ = "operator_entitlements"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scope: Mapped[str] = mapped_column(String(300))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_on: Mapped[dt.date] = mapped_column(Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanItem(Base):
    """An optional competency added to one worker's plan by their supervisor or educator."""

    __tablename__ = "plan_items"
    __table_args__ = (UniqueConstraint("worker_id", "competency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(40))
    added_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
